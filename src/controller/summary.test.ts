import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../endpoint/endpoint.ts';
import { emptyChanges } from '../plan/plan.ts';
import { hasChanges } from '../plan/calculate.ts';
import { countByGroup, describeChanges, zoneGroup } from './summary.ts';

const ep = (name: string) => newEndpoint({ dnsName: name, recordType: 'A', targets: ['10.0.0.1'] });

test('zoneGroup keeps the last two labels', () => {
  assert.equal(zoneGroup('a.b.example.com'), 'example.com');
  assert.equal(zoneGroup('example.com'), 'example.com');
  assert.equal(zoneGroup('localhost'), 'localhost');
});

test('describeChanges counts per group, sorted, omitting zero counts', () => {
  const changes = {
    create: [ep('a.example.org'), ep('b.example.com'), ep('c.x.example.com')],
    updateOld: [ep('d.example.com')],
    updateNew: [ep('d.example.com')],
    delete: [ep('e.example.net')],
  };
  assert.equal(describeChanges(changes), 'example.com: 2 created, 1 updated; example.net: 1 deleted; example.org: 1 created');
  assert.deepEqual(countByGroup(changes).get('example.com'), { create: 2, update: 1, delete: 0 });
});

test('describeChanges shortens long lists', () => {
  const changes = { ...emptyChanges(), create: Array.from({ length: 25 }, (_, i) => ep(`www.zone${String(i).padStart(2, '0')}.test`)) };
  const line = describeChanges(changes);
  assert.equal(line.split('; ').length, 21);
  assert.match(line, /; and 5 more groups$/);
});

test('hasChanges', () => {
  assert.equal(hasChanges(emptyChanges()), false);
  assert.equal(hasChanges({ ...emptyChanges(), delete: [ep('x.test')] }), true);
});

test('names are grouped under the longest --domain-filter zone they are in', () => {
  assert.equal(zoneGroup('www.apps.example.co.uk', ['example.co.uk', 'apps.example.co.uk']), 'apps.example.co.uk');
  assert.equal(zoneGroup('example.co.uk.', ['.example.co.uk']), 'example.co.uk');
  assert.equal(zoneGroup('x.notexample.co.uk', ['example.co.uk']), 'co.uk', 'a suffix that is not a label boundary does not count');
});
