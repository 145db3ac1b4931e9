/**
 * The zone-file parser on any input (issue 12: property tests on every parser
 * of outside input): whatever a zone file holds, reading it gives records or
 * one EXTDNS_ZONEFILE_SYNTAX error naming `file:line`, never another failure;
 * and lexing in slices (to keep the event loop free) changes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExtdnsError } from '../../errors/errors.ts';
import { propertyRuns } from '../../../test/support/property-runs.ts';
import { drain, paced } from '../../util/sliced.ts';
import { ZonefileErrors } from './errors.ts';
import { lexSliced, type LogicalLine } from './lexer.ts';
import { parseZone } from './parse.ts';

const FILE = 'zones/example.com.zone';

const piece = fc.constantFrom(
  '$TTL 300\n', '$ORIGIN sub\n', '$ORIGIN .\n', '$INCLUDE x\n', '$GENERATE 1-3 h$ A 10.0.0.$\n', '@ IN SOA ns1 h 1 2 3 4 5\n',
  'www', ' ', '\t', '\n', '\r\n', 'IN', 'A', 'AAAA', 'TXT', 'MX', 'CNAME', 'SRV', 'CAA', 'TYPE65534', '\\# 2 abcd',
  '192.0.2.1', '2001:db8::1', '10', '"a b"', '"unterminated', '(', ')', ';comment', '\\', '\\065', '\\.', '.', '@', '*',
  'ns1.example.com.', '0 issue "ca.example"', '\u00e9', '\u0000', '\u00ff', '3600', '1w2d', '-1', '4294967296',
);
const zoneText = fc.oneof(
  fc.array(piece, { maxLength: 40 }).map((ps) => ps.join('')),
  fc.array(piece, { maxLength: 30 }).map((ps) => `$TTL 60\n@ IN SOA ns1 h 1 2 3 4 5\n${ps.join('')}`),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
);

test('any zone text parses, or fails with one EXTDNS_ZONEFILE_SYNTAX error naming file:line', () => {
  fc.assert(fc.property(zoneText, (text) => {
    try {
      const zone = parseZone(text, { origin: 'example.com', file: FILE });
      for (const r of zone.records) assert.ok(r.start < r.end && r.end <= text.length, `record offsets ${r.start}-${r.end}`);
    } catch (err) {
      assert.ok(ExtdnsError.is(err), `not an ExtdnsError: ${String(err)}`);
      assert.equal(err.code, ZonefileErrors.EXTDNS_ZONEFILE_SYNTAX.code);
      assert.match(err.message, /^zones\/example\.com\.zone:\d+: /);
    }
  }), propertyRuns(3000));
});

test('lexing in slices of any size gives the same logical lines (or the same error) as lexing at once', async () => {
  await fc.assert(fc.asyncProperty(zoneText, fc.integer({ min: 1, max: 64 }), async (text, sliceBytes) => {
    const once: LogicalLine[] = [];
    const sliced: LogicalLine[] = [];
    const whole = outcome(() => { drain(lexSliced(text, (l) => once.push(l), Infinity)); });
    const inSlices = await paced(lexSliced(text, (l) => sliced.push(l), sliceBytes)).then(() => 'ok', (err: unknown) => String(err));
    assert.equal(inSlices, whole);
    assert.deepStrictEqual(sliced, once);
  }), propertyRuns(1000));
});

function outcome(run: () => unknown): unknown {
  try {
    const value = run();
    return value === undefined ? 'ok' : value;
  } catch (err) {
    return String(err);
  }
}
