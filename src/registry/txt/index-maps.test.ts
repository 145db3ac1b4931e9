import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ByNameAndSet, LabelsByRecord } from './index-maps.ts';

describe('TXT index maps', () => {
  test('labels by record: name, type and set identifier each tell records apart; size counts records', () => {
    const m = new LabelsByRecord();
    m.set('www.ex.com', 'A', '', { owner: 'a' });
    m.set('www.ex.com', 'AAAA', '', { owner: 'b' });
    m.set('www.ex.com', 'A', 'eu', { owner: 'c' });
    m.set('www.ex.com', '', '', { owner: 'd' });
    m.set('www.ex.com', 'A', '', { owner: 'e' });
    assert.equal(m.size, 4);
    assert.deepEqual(m.get('www.ex.com', 'A', ''), { owner: 'e' });
    assert.deepEqual(m.get('www.ex.com', 'A', 'eu'), { owner: 'c' });
    assert.deepEqual(m.get('www.ex.com', '', ''), { owner: 'd' });
    assert.equal(m.get('www.ex.com', 'CNAME', ''), undefined);
    assert.equal(m.get('www.ex.com', 'A', 'us'), undefined);
    m.delete('www.ex.com', 'A', 'eu');
    m.delete('www.ex.com', 'A', 'eu');
    m.delete('nothing.ex.com', 'A', '');
    assert.equal(m.size, 3);
    assert.equal(m.get('www.ex.com', 'A', 'eu'), undefined);
  });

  test('by name and set: a name is held while any set identifier holds it; names() lists each set\'s names', () => {
    const m = new ByNameAndSet<number>();
    m.set('a-www.ex.com', '', 1);
    m.set('a-api.ex.com', 'eu', 2);
    m.set('a-api.ex.com', 'us', 3);
    assert.equal(m.size, 3);
    assert.equal(m.has('a-api.ex.com', 'eu'), true);
    assert.equal(m.has('a-api.ex.com', ''), false);
    assert.equal(m.hasName('a-api.ex.com'), true);
    assert.equal(m.get('a-api.ex.com', 'us'), 3);
    assert.deepEqual([...m.names()].sort(), ['a-api.ex.com', 'a-api.ex.com', 'a-www.ex.com']);
    assert.equal(m.delete('a-api.ex.com', 'eu'), true);
    assert.equal(m.delete('a-api.ex.com', 'eu'), false);
    assert.equal(m.hasName('a-api.ex.com'), true);
    assert.equal(m.delete('a-api.ex.com', 'us'), true);
    assert.equal(m.hasName('a-api.ex.com'), false);
    assert.equal(m.size, 1);
  });
});
