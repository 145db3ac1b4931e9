import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../../errors/errors.ts';
import { createAffixNameMapper, type MapperOptions } from './mapper.ts';

const mapper = (o: Partial<MapperOptions> = {}): ReturnType<typeof createAffixNameMapper> =>
  createAffixNameMapper({ prefix: '', suffix: '', wildcardReplacement: '', ...o });

/** [options, record name, type, TXT name]; from reference §6.1 and ExternalDNS's mapper tests. */
const TO_TXT: [Partial<MapperOptions>, string, string, string][] = [
  [{}, 'www.ex.com', 'A', 'a-www.ex.com'],
  [{}, 'www.ex.com', 'AAAA', 'aaaa-www.ex.com'],
  [{}, 'www.ex.com', 'CNAME', 'cname-www.ex.com'],
  [{}, 'ex.com', 'A', 'a-ex.com'],
  [{ prefix: 'txt.' }, 'www.ex.com', 'A', 'txt.a-www.ex.com'],
  [{ prefix: 'TXT.' }, 'www.ex.com', 'CNAME', 'txt.cname-www.ex.com'],
  [{ suffix: '-own' }, 'www.ex.com', 'A', 'a-www-own.ex.com'],
  [{ suffix: '.own' }, 'www.ex.com', 'AAAA', 'aaaa-www.own.ex.com'],
  [{ prefix: '%{record_type}-abc-.' }, 'ex.com', 'CNAME', 'cname-abc-.ex.com'],
  [{ prefix: '%{record_type}-' }, 'foo.example.com', 'AAAA', 'aaaa-foo.example.com'],
  [{ prefix: 'extdns-%{record_type}.' }, 'ex.com', 'A', 'extdns-a.ex.com'],
  [{ suffix: '-%{record_type}' }, 'foo.example.com', 'CNAME', 'foo-cname.example.com'],
  [{ wildcardReplacement: 'wild' }, '*.ex.com', 'A', 'a-wild.ex.com'],
  [{ wildcardReplacement: 'Wild', prefix: 'txt.' }, '*.ex.com', 'CNAME', 'txt.cname-wild.ex.com'],
  [{}, '*.ex.com', 'A', 'a-*.ex.com'],
  [{}, 'localhost', 'A', 'a-localhost'],
];

/** [options, TXT name, record name, type] with type "" = old format, undefined = not ours. */
const TO_ENDPOINT: [Partial<MapperOptions>, string, string | undefined, string][] = [
  [{}, 'a-www.ex.com', 'www.ex.com', 'A'],
  [{}, 'AAAA-WWW.ex.com', 'www.ex.com', 'AAAA'],
  [{}, 'cname-www.ex.com', 'www.ex.com', 'CNAME'],
  [{}, 'ns-foo.example.com', 'foo.example.com', 'NS'],
  [{}, 'mx-foo.example.com', 'foo.example.com', 'MX'],
  [{}, 'srv-foo.example.com', 'foo.example.com', 'SRV'],
  [{}, 'ptr-2.49.168.192.in-addr.arpa', '2.49.168.192.in-addr.arpa', 'PTR'],
  [{}, 'naptr-foo.example.com', 'foo.example.com', 'NAPTR'],
  [{}, 'txt-foo.example.com', 'foo.example.com', 'TXT'],
  [{}, 'dname-foo.example.com', 'foo.example.com', 'DNAME'],
  [{}, 'www.ex.com', 'www.ex.com', ''],
  [{}, 'my-app.ex.com', 'my-app.ex.com', ''],
  [{ prefix: 'txt.' }, 'txt.a-www.ex.com', 'www.ex.com', 'A'],
  [{ prefix: 'txt.' }, 'txt.www.ex.com', 'www.ex.com', ''],
  [{ prefix: 'txt.' }, 'a-www.ex.com', undefined, ''],
  [{ suffix: '-own' }, 'a-www-own.ex.com', 'www.ex.com', 'A'],
  [{ suffix: '-own' }, 'www-own.ex.com', 'www.ex.com', ''],
  [{ suffix: '-own' }, 'a-www.ex.com', undefined, ''],
  [{ suffix: '.foo.bar' }, 'a-example.foo.bar.com', 'example.com', 'A'],
  [{ suffix: '.foo.bar' }, 'a-example.foo.bar', 'example', 'A'],
  [{ suffix: '.foo.bar' }, 'a-example.foo', undefined, ''],
  [{ prefix: '%{record_type}-abc-.' }, 'cname-abc-.ex.com', 'ex.com', 'CNAME'],
  [{ prefix: '%{record_type}-' }, 'aaaa-foo.example.com', 'foo.example.com', 'AAAA'],
  [{ prefix: '%{record_type}-' }, '-foo.example.com', 'foo.example.com', ''],
  [{ suffix: '-%{record_type}' }, 'foo-a.example.com', 'foo.example.com', 'A'],
  [{ prefix: 'extdns-%{record_type}.' }, 'extdns-a.ex.com', 'ex.com', 'A'],
  [{ wildcardReplacement: 'wild' }, 'a-wild.ex.com', 'wild.ex.com', 'A'],
];

describe('affix name mapper', () => {
  for (const [options, name, type, txt] of TO_TXT) {
    test(`toTxtName ${JSON.stringify(options)} ${name} ${type} → ${txt}`, () => {
      assert.equal(mapper(options).toTxtName(name, type), txt);
    });
  }

  for (const [options, txt, name, type] of TO_ENDPOINT) {
    test(`toEndpointName ${JSON.stringify(options)} ${txt} → ${name ?? '(not ours)'} ${type}`, () => {
      const got = mapper(options).toEndpointName(txt);
      assert.deepEqual(got, name === undefined ? undefined : { name, recordType: type });
    });
  }

  test('toEndpointName inverts toTxtName for every mapped type and affix style', () => {
    const styles: Partial<MapperOptions>[] = [{}, { prefix: 'txt.' }, { prefix: 'p-' }, { suffix: '-s' }, { suffix: '.s.t' }, { prefix: '%{record_type}.x.' }, { suffix: '-%{record_type}' }];
    for (const style of styles) {
      const m = mapper(style);
      for (const type of ['A', 'AAAA', 'CNAME', 'MX', 'SRV', 'TXT', 'NS', 'PTR', 'NAPTR', 'DNAME']) {
        for (const name of ['www.example.com', 'a.b.example.org', 'example.com']) {
          assert.deepEqual(m.toEndpointName(m.toTxtName(name, type)), { name, recordType: type }, `${JSON.stringify(style)} ${name} ${type}`);
        }
      }
    }
  });

  test('prefix and suffix together are rejected, naming both flags', () => {
    assert.throws(() => mapper({ prefix: 'a.', suffix: '-b' }), (e: unknown) =>
      ExtdnsError.is(e) && e.code === 'EXTDNS_TXT_AFFIX_CONFLICT' && e.message.includes('--txt-prefix') && e.message.includes('--txt-suffix'));
  });
});
