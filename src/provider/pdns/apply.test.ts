import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyZoneGroups, chunkBySize, jsonLowerBound } from './apply.ts';
import type { ChangeGroup } from './changes.ts';
import type { PdnsClient, PdnsRrsetChange } from './client.ts';

/** A PowerDNS stand-in with PowerDNS's PATCH semantics: atomic, refused whole when any RRset is bad. */
function atomicServer(bad: ReadonlySet<string>): { client: PdnsClient; stored: Set<string>; calls: number; bodies: string[] } {
  const state = { stored: new Set<string>(), calls: 0, bodies: [] as string[] };
  const client: PdnsClient = {
    stats: () => ({ calls: [], throttles: 0 }),
    listZones: () => Promise.resolve([]),
    getZone: () => Promise.reject(new Error('unused')),
    patchZone: (_zone, patch) => {
      state.calls++;
      // The body as PowerDNS reads it: the JSON text, which must say what the changes say.
      const rrsets = (JSON.parse(patch.json) as { rrsets: PdnsRrsetChange[] }).rrsets;
      assert.deepEqual(rrsets, patch.rrsets);
      state.bodies.push(patch.json);
      const refused = rrsets.find((r) => bad.has(r.name));
      if (refused !== undefined) return Promise.resolve({ status: 422, error: `RRset ${refused.name} IN ${refused.type}: Conflicts with pre-existing RRset` });
      for (const r of rrsets) state.stored.add(r.name);
      return Promise.resolve(undefined);
    },
  };
  return {
    client,
    stored: state.stored,
    bodies: state.bodies,
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

test('a body under the limit goes as one PATCH; above it, as several, split between groups', async () => {
  const all = groups(10);
  const one = JSON.stringify(all[0]?.changes.map((c) => c.change)).length;
  const whole = atomicServer(new Set());
  assert.equal((await applyZoneGroups({ client: whole.client, zoneId: 'example.com.', groups: all, signal })).patches, 1);
  assert.equal(whole.bodies[0], JSON.stringify({ rrsets: all.flatMap((g) => g.changes.map((c) => c.change)) }));
  const split = atomicServer(new Set());
  const result = await applyZoneGroups({ client: split.client, zoneId: 'example.com.', groups: all, signal, maxBytes: one * 3 });
  assert.equal(result.patches, 4);
  assert.equal(split.stored.size, 20);
  assert.deepEqual(result.applied, all);
});

const changeArb = fc.record({
  name: fc.string({ unit: 'grapheme', maxLength: 12 }),
  type: fc.constantFrom('A', 'TXT', 'CNAME'),
  del: fc.boolean(),
  contents: fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 3 }),
});

test('jsonLowerBound is never above the length of the body it stands for', () => {
  fc.assert(fc.property(fc.array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), { maxLength: 6 }), (spec) => {
    const gs: ChangeGroup[] = spec.map((changes, i) => ({
      name: `g${i}`,
      changes: changes.map((c) => ({
        key: `${c.name}/${c.type}`,
        change: c.del
          ? { name: c.name, type: c.type, changetype: 'DELETE' as const }
          : { name: c.name, type: c.type, changetype: 'REPLACE' as const, ttl: 0, records: c.contents.map((content) => ({ content, disabled: false })) },
        origin: 'create' as const,
        description: c.name,
      })),
    }));
    assert.ok(jsonLowerBound(gs) <= JSON.stringify({ rrsets: gs.flatMap((g) => g.changes.map((c) => c.change)) }).length);
  }), { numRuns: 300, seed: 7 });
});
