import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyZoneGroups, chunkBySize } from './apply.ts';
import type { ChangeGroup } from './changes.ts';
import type { PdnsClient, PdnsRrsetChange } from './client.ts';

/** A PowerDNS stand-in with PowerDNS's PATCH semantics: atomic, refused whole when any RRset is bad. */
function atomicServer(bad: ReadonlySet<string>): { client: PdnsClient; stored: Set<string>; calls: number } {
  const state = { stored: new Set<string>(), calls: 0 };
  const client: PdnsClient = {
    stats: () => ({ calls: [], throttles: 0 }),
    listZones: () => Promise.resolve([]),
    getZone: () => Promise.reject(new Error('unused')),
    patchZone: (_zone, rrsets: readonly PdnsRrsetChange[]) => {
      state.calls++;
      const refused = rrsets.find((r) => bad.has(r.name));
      if (refused !== undefined) return Promise.resolve({ status: 422, error: `RRset ${refused.name} IN ${refused.type}: Conflicts with pre-existing RRset` });
      for (const r of rrsets) state.stored.add(r.name);
      return Promise.resolve(undefined);
    },
  };
  return {
    client,
    stored: state.stored,
    get calls() {
      return state.calls;
    },
  };
}

function groups(n: number): ChangeGroup[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `n${i}.example.com`,
    changes: [`n${i}.example.com.`, `a-n${i}.example.com.`].map((name, j) => ({
      key: `${name}/${j === 0 ? 'A' : 'TXT'}`,
      change: { name, type: j === 0 ? 'A' : 'TXT', changetype: 'REPLACE' as const, ttl: 300, records: [{ content: j === 0 ? '192.0.2.1' : '"x"', disabled: false }] },
      origin: 'create' as const,
      description: name,
    })),
  }));
}

const signal = new AbortController().signal;

test('bisection applies every good group, rejects exactly the bad ones, and keeps a record with its TXT', async () => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 5) }))),
    async ([n, badIdx]) => {
      const all = groups(n);
      // A bad TXT makes its whole group bad (the record must not land without it).
      const bad = new Set(badIdx.map((i) => `a-n${i}.example.com.`));
      const server = atomicServer(bad);
      const result = await applyZoneGroups({ client: server.client, zoneId: 'example.com.', groups: all, signal });
      const rejected = result.rejected.map((r) => r.group.name).sort();
      assert.deepEqual(rejected, badIdx.map((i) => `n${i}.example.com`).sort());
      for (let i = 0; i < n; i++) {
        const isBad = badIdx.includes(i);
        assert.equal(server.stored.has(`n${i}.example.com.`), !isBad);
        assert.equal(server.stored.has(`a-n${i}.example.com.`), !isBad);
      }
      for (const r of result.rejected) assert.match(r.error, new RegExp(`a-${r.group.name.replace(/\./g, '\\.')}`));
      if (badIdx.length === 0) assert.equal(server.calls, 1);
      if (badIdx.length === 1) assert.ok(server.calls <= 1 + 2 * Math.ceil(Math.log2(n)), `${server.calls} calls for n=${n}`);
      assert.equal(result.patches, server.calls);
    },
  ), { numRuns: 300, seed: 4 });
});

test('bodies above the size limit are split between groups, never inside one', () => {
  const all = groups(10);
  const one = JSON.stringify(all[0]?.changes.map((c) => c.change)).length;
  const chunks = chunkBySize(all, one * 3);
  assert.deepEqual(chunks.map((c) => c.length), [3, 3, 3, 1]);
  assert.deepEqual(chunks.flat(), all);
  assert.deepEqual(chunkBySize(all, 1).map((c) => c.length), Array(10).fill(1));
});

test('a transport failure during bisection aborts the zone instead of being read as a rejection', async () => {
  let calls = 0;
  const client: PdnsClient = {
    stats: () => ({ calls: [], throttles: 0 }),
    listZones: () => Promise.resolve([]),
    getZone: () => Promise.reject(new Error('unused')),
    patchZone: () => {
      calls++;
      return calls === 1 ? Promise.resolve({ status: 422, error: 'bad' }) : Promise.reject(new Error('connection reset'));
    },
  };
  await assert.rejects(applyZoneGroups({ client, zoneId: 'z.', groups: groups(4), signal }), /connection reset/);
  assert.equal(calls, 2);
});
