import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { makeZoneDir, namedCheckzone } from '../../../test/support/zonefile.ts';
import { parseZone, type ResourceRecord } from './parse.ts';
import { compareNames, compareRecords, renderZone } from './render.ts';

const RICH = `; a hand-written zone
$ORIGIN example.com.
$TTL 3600
@   IN SOA ns1.nameserver.test. hostmaster ( 2026010100 3600 600 604800 300 )
    IN NS  ns1.nameserver.test.
    IN MX  10 mail
    IN CAA 0 issue "letsencrypt.org"
mail 300 IN A 192.0.2.25
www  A 192.0.2.1
     A 192.0.2.2
     AAAA 2001:DB8::1
api  CNAME www
_sip._tcp SRV 10 20 5060 sip.example.net.
txt  TXT "one" "two; three" "quote\\"d" "caf\\195\\169"
long TXT "${'a'.repeat(255)}" "${'b'.repeat(10)}"
naptr NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .
1.2 PTR host.example.net.
old DNAME new.example.net.
*.apps CNAME lb.example.net.
$ORIGIN sub.example.com.
hinfo HINFO "PC" "Linux"
rp RP admin contact
contact TXT "call me"
admin A 192.0.2.99
`;

function parse(text: string): ResourceRecord[] {
  return parseZone(text, { origin: 'example.com', file: 'example.com.zone' }).records;
}

function sorted(records: readonly ResourceRecord[]): ResourceRecord[] {
  return [...records].sort(compareRecords);
}

test('render → parse gives the same records (meaning survives a rewrite)', () => {
  const records = parse(RICH);
  const text = renderZone({ origin: 'example.com', defaultTtl: 3600, records });
  assert.deepEqual(sorted(parse(text)), sorted(records));
  // A second pass is byte-identical: rendering is deterministic.
  assert.equal(renderZone({ origin: 'example.com', defaultTtl: 3600, records: parse(text) }), text);
});

test('render output layout: $ORIGIN, $TTL, SOA first, absolute host names, explicit TTL only when it differs', () => {
  const text = renderZone({ origin: 'example.com', defaultTtl: 3600, records: parse(RICH).reverse() });
  const lines = text.split('\n');
  assert.equal(lines[1], '$ORIGIN example.com.');
  assert.equal(lines[2], '$TTL 3600');
  assert.match(lines[3] ?? '', /^@ +IN SOA +ns1\.nameserver\.test\. hostmaster\.example\.com\. 2026010100 /);
  assert.match(text, /\nmail +300 IN A +192\.0\.2\.25\n/);
  assert.match(text, /\nwww +IN A +192\.0\.2\.1\n/);
  assert.match(text, /\napi +IN CNAME +www\.example\.com\.\n/);
  assert.match(text, /\n@ +IN MX +10 mail\.example\.com\.\n/);
  // Verbatim data written under another origin is emitted under that origin again.
  assert.match(text, /\n\$ORIGIN sub\.example\.com\.\nhinfo +IN HINFO +\"PC\" \"Linux\"\nrp +IN RP +admin contact\n$/);
});

test('records sort in DNS canonical order: a name is followed by its children', () => {
  const names = ['b.example.com', 'example.com', 'a.b.example.com', 'z.a.example.com', 'a.example.com'];
  assert.deepEqual(names.sort(compareNames), ['example.com', 'a.example.com', 'z.a.example.com', 'b.example.com', 'a.b.example.com']);
});

test('named-checkzone accepts the rendered zone and reads the same data', async () => {
  const text = renderZone({ origin: 'example.com', defaultTtl: 3600, records: parse(RICH) });
  const dir = await makeZoneDir({});
  try {
    await writeFile(dir.file('example.com'), text);
    const result = await namedCheckzone('example.com', dir.file('example.com'));
    assert.ok(result.ok, result.output);
  } finally {
    await dir.cleanup();
  }
});
