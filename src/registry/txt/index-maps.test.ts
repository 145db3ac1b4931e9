import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Labels } from '../../endpoint/endpoint.ts';
import { OwnershipTxts, type IndexedTxt } from './index-maps.ts';
import { createAffixNameMapper } from './mapper.ts';

const mapper = createAffixNameMapper({ prefix: '', suffix: '', wildcardReplacement: '' });

function txt(name: string, owner: string, setIdentifier = ''): IndexedTxt {
  return { endpoint: newEndpoint({ dnsName: name, recordType: 'TXT', setIdentifier }), labels: { owner } };
}

function filed(): OwnershipTxts<IndexedTxt> {
  return new OwnershipTxts((name) => mapper.toEndpointName(name));
}

function add(index: OwnershipTxts<IndexedTxt>, t: IndexedTxt): void {
  const lower = t.endpoint.dnsName.toLowerCase();
  index.add(lower, t.endpoint.setIdentifier, t);
}

const ownerOf = (labels: Labels | undefined): string | undefined => labels?.['owner'];

describe('TXT index (OwnershipTxts)', () => {
  test('labels by record: name, type and set identifier each tell records apart; the last TXT filed for a name wins', () => {
    const index = filed();
    add(index, txt('a-www.ex.com', 'a'));
    add(index, txt('aaaa-www.ex.com', 'b'));
    add(index, txt('a-www.ex.com', 'c', 'eu'));
    add(index, txt('www.ex.com', 'd'));
    add(index, txt('A-WWW.ex.com', 'e'));
    assert.equal(index.size, 4);
    assert.equal(ownerOf(index.labels('www.ex.com', 'A', '')), 'e');
    assert.equal(ownerOf(index.labels('www.ex.com', 'A', 'eu')), 'c');
    assert.equal(ownerOf(index.labels('www.ex.com', '', '')), 'd');
    assert.equal(index.labels('www.ex.com', 'CNAME', ''), undefined);
    assert.equal(index.labels('www.ex.com', 'A', 'us'), undefined);
    assert.equal(index.get('a-www.ex.com', '')?.endpoint.dnsName, 'A-WWW.ex.com');
  });

  test('by TXT name: a name is held while any set identifier holds it; names() lists each set\'s names', () => {
    const index = filed();
    add(index, txt('a-www.ex.com', 'x'));
    add(index, txt('a-api.ex.com', 'x', 'eu'));
    add(index, txt('a-api.ex.com', 'x', 'us'));
    assert.equal(index.size, 3);
    assert.equal(index.has('a-api.ex.com', 'eu'), true);
    assert.equal(index.has('a-api.ex.com', ''), false);
    assert.equal(index.hasName('a-api.ex.com'), true);
    assert.equal(index.get('a-api.ex.com', 'us')?.endpoint.setIdentifier, 'us');
    assert.deepEqual([...index.names()].sort(), ['a-api.ex.com', 'a-api.ex.com', 'a-www.ex.com']);
    assert.equal(index.delete('a-api.ex.com', 'eu'), true);
    assert.equal(index.delete('a-api.ex.com', 'eu'), false);
    assert.equal(index.hasName('a-api.ex.com'), true);
    assert.equal(index.delete('a-api.ex.com', 'us'), true);
    assert.equal(index.hasName('a-api.ex.com'), false);
    assert.equal(index.labels('api.ex.com', 'A', 'us'), undefined);
    assert.equal(index.size, 1);
  });

  test('two TXT names that stand for one record are both held; removing either withdraws the record\'s labels', () => {
    // A mapping that sends a second name to the same record: no plain affix makes two names map to one record, but
    // the index must not lose a TXT if a mapper ever does.
    const index = new OwnershipTxts<IndexedTxt>((name) => (name === 'x-a-www.ex.com' ? { name: 'www.ex.com', recordType: 'A' } : mapper.toEndpointName(name)));
    const first = txt('a-www.ex.com', 'one');
    index.add('a-www.ex.com', '', first);
    index.add('x-a-www.ex.com', '', txt('x-a-www.ex.com', 'two'));
    assert.equal(index.size, 2);
    assert.equal(ownerOf(index.labels('www.ex.com', 'A', '')), 'two');
    assert.equal(index.get('a-www.ex.com', ''), first);
    assert.deepEqual([...index.names()].sort(), ['a-www.ex.com', 'x-a-www.ex.com']);
    assert.equal(index.delete('a-www.ex.com', ''), true);
    assert.equal(index.labels('www.ex.com', 'A', ''), undefined);
    assert.equal(index.size, 1);
    // Filing a TXT for the record again gives it labels again.
    index.add('a-www.ex.com', '', txt('a-www.ex.com', 'three'));
    assert.equal(ownerOf(index.labels('www.ex.com', 'A', '')), 'three');
  });

  test('a TXT whose name stands for no record is found by name only', () => {
    const prefixed = createAffixNameMapper({ prefix: 'own.', suffix: '', wildcardReplacement: '' });
    const index = new OwnershipTxts<IndexedTxt>((name) => prefixed.toEndpointName(name));
    const stray = txt('www.ex.com', 'x');
    index.add('www.ex.com', '', stray);
    assert.equal(index.hasRecords, false);
    assert.equal(index.get('www.ex.com', ''), stray);
    assert.equal(index.hasName('www.ex.com'), true);
    assert.deepEqual([...index.names()], ['www.ex.com']);
    assert.equal(index.delete('www.ex.com', ''), true);
    assert.equal(index.size, 0);
  });
});
