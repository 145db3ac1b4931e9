/**
 * Property test (fixed seed, bounded) of the zone file parser and writer:
 * for generated hand-written-style zones (comments, blank lines, inherited
 * owners and TTLs, with and without `$TTL`, `$ORIGIN`, parentheses, mixed
 * case) and
 * random batches of creates, updates and deletes, the edited zone
 *  - parses, and every record extdns did not change reads exactly as before
 *    (owner as written, TTL, type, data, in file order);
 *  - holds each changed record set exactly as planned;
 *  - keeps every comment, in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import { opKey, planOps, toOps, zoneSets } from './batch.ts';
import { editZone } from './edit.ts';
import { drain } from '../../util/sliced.ts';
import { recordsToEndpoints, rrsetKey } from './endpoints.ts';
import { checkIntegrity } from './integrity.ts';
import { parseZone, type FileRecord } from './parse.ts';

const OWNERS = ['a', 'b', 'WWW', 'www', 'c.sub', '\\100', 'x.example.com.'];
const SEP = fc.constantFrom(' ', '\t', '  ', ' \t');

const recordLine = fc.record({
  owner: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
  ttl: fc.option(fc.integer({ min: 1, max: 86_400 }), { nil: undefined }),
  klass: fc.boolean(),
  type: fc.constantFrom('A', 'TXT', 'AAAA'),
  n: fc.integer({ min: 1, max: 6 }),
  sep: SEP,
  parens: fc.boolean(),
  comment: fc.option(fc.stringMatching(/^[a-z ]{0,12}$/), { nil: undefined }),
});
const line = fc.oneof(
  { weight: 5, arbitrary: recordLine.map((r) => ({ kind: 'record' as const, ...r })) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z ]{0,16}$/).map((text) => ({ kind: 'comment' as const, text })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'blank' as const }) },
  { weight: 1, arbitrary: fc.constantFrom('example.com.', 'Sub.example.com.', 'sub').map((origin) => ({ kind: 'origin' as const, origin })) },
);
const zoneSpec = fc.record({
  dollarTtl: fc.option(fc.integer({ min: 1, max: 86_400 }), { nil: undefined }),
  soaTtl: fc.option(fc.integer({ min: 1, max: 86_400 }), { nil: undefined }),
  lines: fc.array(line, { maxLength: 25 }),
});
type ZoneSpec = typeof zoneSpec extends fc.Arbitrary<infer T> ? T : never;

function data(type: string, n: number): string {
  if (type === 'A') return `192.0.2.${n}`;
  if (type === 'AAAA') return `2001:db8::${n}`;
  return `"t${n}"`;
}

let comments = 0;

function render(spec: ZoneSpec): { text: string; comments: string[] } {
  const out: string[] = [];
  const notes: string[] = [];
  const note = (text: string): string => {
    const tagged = `;c${comments++} ${text}`;
    notes.push(tagged);
    return tagged;
  };
  if (spec.dollarTtl !== undefined) out.push(`$TTL ${spec.dollarTtl}`);
  out.push(`@ ${spec.soaTtl ?? ''} IN SOA ns1.example.net. h.example.net. ( 1 3600 600 604800 300 ) ${note('soa')}`, '@ IN NS ns1.example.net.');
  for (const l of spec.lines) {
    if (l.kind === 'blank') out.push('');
    else if (l.kind === 'comment') out.push(note(l.text));
    else if (l.kind === 'origin') out.push(`$ORIGIN ${l.origin}`);
    else {
      const fields = [l.owner ?? '', l.ttl === undefined ? '' : String(l.ttl), l.klass ? 'IN' : '', l.type].filter((f, i) => i === 0 || f !== '');
      const rdata = l.parens ? `( ${data(l.type, l.n)} )` : data(l.type, l.n);
      out.push(`${fields.join(l.sep)}${l.sep}${rdata}${l.comment === undefined ? '' : ` ${note(l.comment)}`}`);
    }
  }
  return { text: `${out.join('\n')}\n`, comments: notes };
}

/** A batch built from what the zone holds: some sets deleted, some updated, some names created. */
const batchSpec = fc.record({
  picks: fc.array(fc.record({ which: fc.nat(), kind: fc.constantFrom('delete', 'update', 'ttl'), n: fc.integer({ min: 1, max: 9 }) }), { maxLength: 4 }),
  creates: fc.array(fc.record({ owner: fc.constantFrom('new1', 'new2', 'a', 'www', 'c.sub'), type: fc.constantFrom('A', 'TXT'), n: fc.integer({ min: 1, max: 9 }), ttl: fc.integer({ min: 0, max: 3600 }) }), { maxLength: 3 }),
});

function batchFor(current: readonly Endpoint[], spec: typeof batchSpec extends fc.Arbitrary<infer T> ? T : never): Changes {
  const changes = emptyChanges();
  const used = new Set<string>();
  const candidates = current.filter((e) => e.recordType !== 'NS');
  for (const p of spec.picks) {
    const e = candidates[p.which % Math.max(1, candidates.length)];
    if (e === undefined || used.has(`${e.dnsName} ${e.recordType}`)) continue;
    used.add(`${e.dnsName} ${e.recordType}`);
    if (p.kind === 'delete') changes.delete.push(e);
    else {
      changes.updateOld.push(e);
      const targets = p.kind === 'ttl' ? e.targets : [data(e.recordType, p.n).replace(/"/g, '')];
      changes.updateNew.push(newEndpoint({ ...e, targets, recordTTL: p.kind === 'ttl' ? p.n * 60 : e.recordTTL }));
    }
  }
  for (const c of spec.creates) {
    const name = `${c.owner}.example.com`;
    if (used.has(`${name} ${c.type}`) || current.some((e) => e.dnsName === name && e.recordType === c.type)) continue;
    used.add(`${name} ${c.type}`);
    changes.create.push(newEndpoint({ dnsName: name, recordType: c.type, targets: [data(c.type, c.n).replace(/"/g, '')], recordTTL: c.ttl }));
  }
  return changes;
}

const view = (r: FileRecord): string => `${r.owner} ${r.ttl} ${r.type} ${r.rdata}`;

test('edited zones read back as intended: unchanged records identical, changed sets as planned, comments kept', () => {
  fc.assert(
    fc.property(zoneSpec, batchSpec, (spec, bspec) => {
      const { text, comments: notes } = render(spec);
      const parsed = parseZone(text, { origin: 'example.com', file: 'gen' });
      const changes = batchFor(recordsToEndpoints(parsed.records), bspec);
      const ops = toOps(changes);
      const edit = { zone: 'example.com', file: 'gen', sets: drain(zoneSets(parsed.records, new Set(ops.map(opKey)))), ops };
      const [planned = []] = drain(planOps([edit], 300));
      const { accepted, refused } = drain(checkIntegrity('example.com', parsed.records, planned));
      assert.deepEqual(refused, []);
      const out = drain(editZone({ text, file: 'gen', parsed, sets: edit.sets, ops: accepted, serial: 7 }));
      const after = parseZone(out, { origin: 'example.com', file: 'gen' }).records;
      const changed = new Set(accepted.map((p) => p.key));
      const untouched = (rs: readonly FileRecord[]): string[] => rs.filter((r) => !changed.has(rrsetKey(r.name, r.type))).map(view);
      assert.deepEqual(untouched(after).map((v) => v.replace(/ 7 3600 600/, ' 1 3600 600')), untouched(parsed.records), out);
      for (const p of accepted) {
        const got = after.filter((r) => rrsetKey(r.name, r.type) === p.key);
        assert.deepEqual([...new Set(got.map((r) => r.rdata))].sort(), p.set?.rdata ?? [], out);
        for (const r of got) assert.equal(r.ttl, p.set?.ttl, out);
      }
      let from = 0;
      for (const n of notes) {
        const at = out.indexOf(n, from);
        assert.ok(at >= 0 || !text.includes(n) || deletedWithItsLine(text, n, parsed.records, changed), `comment ${n} lost:\n${out}`);
        if (at >= 0) from = at;
      }
    }),
    { seed: 13, numRuns: 300 },
  );
});

/** A comment on a record's own line goes with the record when extdns deletes or rewrites it. */
function deletedWithItsLine(text: string, note: string, records: readonly FileRecord[], changed: ReadonlySet<string>): boolean {
  const at = text.indexOf(note);
  return records.some((r) => r.start <= at && at < r.end && changed.has(rrsetKey(r.name, r.type)));
}
