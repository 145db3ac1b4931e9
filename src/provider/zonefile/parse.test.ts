import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../../errors/errors.ts';
import { parseZone, type ResourceRecord } from './parse.ts';
import { fromByteString } from './text.ts';

const SOA = '@ IN SOA ns1 hostmaster 1 3600 600 604800 300';

function parse(body: string, origin = 'example.com'): ResourceRecord[] {
  return parseZone(body, { origin, file: 'example.com.zone' }).records;
}

/** The non-SOA records as `name ttl type rdata` lines. */
function lines(body: string, origin?: string): string[] {
  return parse(body, origin)
    .filter((r) => r.type !== 'SOA')
    .map((r) => `${r.name} ${r.ttl} ${r.type} ${fromByteString(r.rdata)}`);
}

describe('parseZone: constructs', () => {
  const cases: { name: string; body: string; want: string[] }[] = [
    { name: '@ and relative names', body: '$TTL 60\n@ A 192.0.2.1\nwww A 192.0.2.2\n', want: ['example.com 60 A 192.0.2.1', 'www.example.com 60 A 192.0.2.2'] },
    { name: 'absolute names', body: '$TTL 60\nwww.example.com. A 192.0.2.2\n', want: ['www.example.com 60 A 192.0.2.2'] },
    { name: 'names are lower-cased', body: '$TTL 60\nWWW IN A 192.0.2.2\nx CNAME Target.Example.NET.\n', want: ['www.example.com 60 A 192.0.2.2', 'x.example.com 60 CNAME target.example.net.'] },
    { name: '$ORIGIN absolute and relative', body: '$TTL 60\n$ORIGIN sub.example.com.\na A 192.0.2.1\n$ORIGIN deeper\nb A 192.0.2.2\n', want: ['a.sub.example.com 60 A 192.0.2.1', 'b.deeper.sub.example.com 60 A 192.0.2.2'] },
    { name: 'owner inherited by a line starting with a blank', body: '$TTL 60\nwww A 192.0.2.1\n  A 192.0.2.2\n\tAAAA 2001:db8::1\n', want: ['www.example.com 60 A 192.0.2.1', 'www.example.com 60 A 192.0.2.2', 'www.example.com 60 AAAA 2001:db8::1'] },
    { name: 'TTL and class in either order', body: 'a 10 IN A 192.0.2.1\nb IN 20 A 192.0.2.2\nc IN A 192.0.2.3\nd 1h A 192.0.2.4\n', want: ['a.example.com 10 A 192.0.2.1', 'b.example.com 20 A 192.0.2.2', 'c.example.com 20 A 192.0.2.3', 'd.example.com 3600 A 192.0.2.4'] },
    { name: '$TTL applies to records without a TTL', body: '$TTL 1d\na A 192.0.2.1\nb 5 A 192.0.2.2\nc A 192.0.2.3\n', want: ['a.example.com 86400 A 192.0.2.1', 'b.example.com 5 A 192.0.2.2', 'c.example.com 86400 A 192.0.2.3'] },
    { name: 'parentheses span lines, comments inside', body: '$TTL 60\n_sip._tcp SRV ( 10 ; priority\n  20 ; weight\n  5060 sip ) ; trailing\n', want: ['_sip._tcp.example.com 60 SRV 10 20 5060 sip.example.com.'] },
    { name: 'comments and blank lines', body: '; header\n\n$TTL 60 ; default\n   ; indented comment\nwww A 192.0.2.1 ; the web\n', want: ['www.example.com 60 A 192.0.2.1'] },
    { name: '; inside quotes is text', body: '$TTL 60\nt TXT "a;b" ; real comment\n', want: ['t.example.com 60 TXT "a;b"'] },
    { name: 'TXT escapes and several strings', body: '$TTL 60\nt TXT "say \\"hi\\"" "back\\\\slash" "caf\\195\\169" plain\n', want: ['t.example.com 60 TXT "say \\"hi\\"" "back\\\\slash" "café" "plain"'] },
    { name: 'TXT control bytes stay escaped', body: '$TTL 60\nt TXT "tab\\009x"\n', want: ['t.example.com 60 TXT "tab\\009x"'] },
    { name: 'host names become absolute', body: '$TTL 60\nc CNAME web\nn NS ns.other.org.\np PTR host\nd DNAME elsewhere.org.\nm MX 10 mail\ns SRV 0 5 443 @\n', want: ['c.example.com 60 CNAME web.example.com.', 'n.example.com 60 NS ns.other.org.', 'p.example.com 60 PTR host.example.com.', 'd.example.com 60 DNAME elsewhere.org.', 'm.example.com 60 MX 10 mail.example.com.', 's.example.com 60 SRV 0 5 443 example.com.'] },
    { name: 'AAAA is canonicalised', body: '$TTL 60\nv6 AAAA 2001:DB8:0:0:0:0:0:1\n', want: ['v6.example.com 60 AAAA 2001:db8::1'] },
    { name: 'NAPTR', body: '$TTL 60\nn NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .\n', want: ['n.example.com 60 NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .'] },
    { name: 'CAA', body: '$TTL 60\n@ CAA 0 ISSUE "letsencrypt.org"\n', want: ['example.com 60 CAA 0 issue "letsencrypt.org"'] },
    { name: 'unknown types kept verbatim', body: '$TTL 60\nu TYPE65534 \\# 3 010203\nh HINFO "PC" "Linux"\nk SSHFP 1 1 ABCDEF\n', want: ['u.example.com 60 TYPE65534 \\# 3 010203', 'h.example.com 60 HINFO "PC" "Linux"', 'k.example.com 60 SSHFP 1 1 ABCDEF'] },
    { name: 'wildcards', body: '$TTL 60\n* A 192.0.2.9\n*.app CNAME lb.example.net.\n', want: ['*.example.com 60 A 192.0.2.9', '*.app.example.com 60 CNAME lb.example.net.'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(lines(`${c.body}${SOA}\n`), c.want);
    });
  }

  test('SOA with names and TTL units', () => {
    const [soa] = parse('$TTL 60\n@ IN SOA ns1 hostmaster.example.com. ( 2026010100 1h 10m 1w 5m )\n');
    assert.equal(soa?.rdata, 'ns1.example.com. hostmaster.example.com. 2026010100 3600 600 604800 300');
  });

  test('records before any TTL take the SOA minimum, as BIND does', () => {
    assert.deepEqual(lines(`${SOA}\nwww A 192.0.2.1\n`), ['www.example.com 300 A 192.0.2.1']);
  });

  test('without $TTL a record inherits the last explicit TTL (RFC 1035)', () => {
    assert.deepEqual(lines('@ 100 IN SOA ns1 h 1 2 3 4 5\na A 192.0.2.1\nb 7 A 192.0.2.2\nc A 192.0.2.3\n'), [
      'a.example.com 100 A 192.0.2.1', 'b.example.com 7 A 192.0.2.2', 'c.example.com 7 A 192.0.2.3',
    ]);
  });

  test('BIND: an SOA without TTL, before any TTL, makes the SOA minimum the default for the rest of the file', () => {
    // named-compilezone: "no TTL specified; using SOA MINTTL instead"; later TTL-less records keep 300 despite "b 7".
    assert.deepEqual(lines('@ IN SOA ns1 h 1 2 3 4 300\na A 192.0.2.1\nb 7 A 192.0.2.2\nc A 192.0.2.3\n'), [
      'a.example.com 300 A 192.0.2.1', 'b.example.com 7 A 192.0.2.2', 'c.example.com 300 A 192.0.2.3',
    ]);
  });

  test('BIND: a TTL above 2^31-1 reads as 0', () => {
    assert.deepEqual(lines(`$TTL 60\n${SOA}\nbig 4294967295 A 192.0.2.1\n`), ['big.example.com 0 A 192.0.2.1']);
  });

  test('owners keep their case and escapes as written; their identity is ASCII lower case with escapes decoded', () => {
    const records = parseZone('$TTL 60\n@ IN SOA ns1 h 1 2 3 4 5\nWWW A 192.0.2.1\n\\110ew A 192.0.2.2\n\xc3\x84bc A 192.0.2.3\n', { origin: 'example.com', file: 'f' }).records;
    assert.deepEqual(records.slice(1).map((r) => [r.owner, r.name]), [
      ['WWW.example.com.', 'www.example.com'],
      ['\\110ew.example.com.', 'new.example.com'],
      ['\xc3\x84bc.example.com.', '\\195\\132bc.example.com'],
    ]);
  });

  test('$GENERATE is kept as written and not interpreted', () => {
    assert.deepEqual(lines(`$TTL 60\n$GENERATE 1-3 a$ A 192.0.2.$\n${SOA}\n`), []);
  });
});

describe('parseZone: errors name file:line and the problem', () => {
  const cases: { name: string; body: string; line: number; re: RegExp }[] = [
    { name: '$INCLUDE refused', body: '$TTL 60\n$INCLUDE other.zone\n', line: 2, re: /\$INCLUDE is not supported/ },
    { name: 'unknown directive', body: '$FOO bar\n', line: 1, re: /unknown directive \$FOO/ },
    { name: 'bad $TTL', body: '$TTL soon\n', line: 1, re: /\$TTL "soon" is not a number/ },
    { name: 'bad IPv4', body: '$TTL 60\n\nwww A 300.1.1.1\n', line: 3, re: /"300\.1\.1\.1" is not an IPv4 address/ },
    { name: 'bad IPv6', body: '$TTL 60\nwww AAAA 192.0.2.1\n', line: 2, re: /is not an IPv6 address/ },
    { name: 'unclosed parenthesis', body: '$TTL 60\nwww MX ( 10\n mail\n', line: 2, re: /never closed/ },
    { name: 'stray closing parenthesis', body: '$TTL 60\nwww A 192.0.2.1 )\n', line: 2, re: /without a matching/ },
    { name: 'unclosed quote', body: '$TTL 60\nt TXT "abc\n', line: 2, re: /quoted string is not closed/ },
    { name: 'blank start without previous owner', body: '$TTL 60\n  A 192.0.2.1\n', line: 2, re: /no previous record/ },
    { name: 'missing type', body: '$TTL 60\nwww 60 IN\n', line: 2, re: /record has no type/ },
    { name: 'not a type', body: '$TTL 60\nwww 60 IN "A" 1.2.3.4\n', line: 2, re: /expected a record type/ },
    { name: 'other class', body: '$TTL 60\nwww CH A 192.0.2.1\n', line: 2, re: /class CH is not supported/ },
    { name: 'MX field count', body: '$TTL 60\n@ MX mail\n', line: 2, re: /MX record needs <preference> <host>, found 1/ },
    { name: 'SRV port range', body: '$TTL 60\ns SRV 1 1 70000 host\n', line: 2, re: /SRV port "70000" must be a whole number from 0 to 65535/ },
    { name: 'TXT string too long', body: `$TTL 60\nt TXT "${'x'.repeat(256)}"\n`, line: 2, re: /256 bytes is longer than 255/ },
    { name: 'empty label', body: '$TTL 60\nc CNAME a..b.\n', line: 2, re: /empty label/ },
    { name: 'label too long', body: `$TTL 60\n${'a'.repeat(64)} A 192.0.2.1\n`, line: 2, re: /label longer than 63/ },
    { name: 'no TTL anywhere', body: 'www A 192.0.2.1\n', line: 1, re: /no TTL specified; BIND rejects the zone/ },
    { name: 'escape above 255', body: '$TTL 60\nt TXT "\\300"\n', line: 2, re: /escape \\300 is above 255/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => parseZone(c.body, { origin: 'example.com', file: 'zones/example.com.zone' }),
        (err: unknown) => {
          assert.ok(ExtdnsError.is(err));
          assert.equal(err.code, 'EXTDNS_ZONEFILE_SYNTAX');
          assert.ok(err.message.startsWith(`zones/example.com.zone:${c.line}: `), err.message);
          assert.match(err.message, c.re);
          return true;
        },
      );
    });
  }
});
