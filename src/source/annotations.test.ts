import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostnamesFrom, parseGoDuration, parseTtl, providerSpecificFrom, readAnnotations, targetsFrom, ttlFrom } from './annotations.ts';
import type { SourceWarning } from './shapes.ts';

const P = 'external-dns.kubernetes.io/';
const OLD = 'external-dns.alpha.kubernetes.io/';

const ttls: [string, number | undefined][] = [
  ['600', 600], ['+7', 7], ['-5', -5], ['10m', 600], ['1h30m', 5400], ['1.5s', 1], ['1.9s', 1], ['.5m', 30],
  ['1500ms', 1], ['0', 0], ['2h0m3s', 7203], ['abc', undefined], ['10', 10], ['5 m', undefined], ['1.5', undefined],
  ['', undefined], ['m', undefined], ['3d', undefined],
];
for (const [text, seconds] of ttls) {
  test(`ttl "${text}" → ${String(seconds)}`, () => {
    assert.equal(parseTtl(text), seconds);
  });
}

test('Go durations sum their parts and keep the sign', () => {
  assert.equal(parseGoDuration('-1m30s'), -90);
  assert.equal(parseGoDuration('250us'), 0.00025);
});

test('ttl annotation: invalid or out-of-range values warn with the object and key, and give 0', () => {
  for (const [value, says] of [['abc', /"abc" is not a valid TTL/], ['-5', /TTL -5 is outside 1\.\.2147483647/], ['0', /TTL 0 is outside/], ['2147483648', /outside/]] as const) {
    const warnings: SourceWarning[] = [];
    assert.equal(ttlFrom(readAnnotations({ [`${P}ttl`]: value }, P), 'service/default/web', warnings), 0);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.resource, 'service/default/web');
    assert.match(warnings[0]?.message ?? '', new RegExp(`annotation ${P}ttl`));
    assert.match(warnings[0]?.message ?? '', says);
  }
  const warnings: SourceWarning[] = [];
  assert.equal(ttlFrom(readAnnotations({ [`${P}ttl`]: '2147483647' }, P), 'x', warnings), 2147483647);
  assert.deepEqual(warnings, []);
});

test('the v0.21 prefix is read with the default prefix, and the configured prefix wins', () => {
  const a = readAnnotations({ [`${OLD}hostname`]: 'old.example.org', [`${OLD}ttl`]: '60', [`${P}ttl`]: '120' }, P);
  assert.deepEqual(hostnamesFrom(a, 'hostname'), ['old.example.org']);
  assert.equal(a.get('ttl'), '120');
  assert.equal(a.keyOf('hostname'), `${OLD}hostname`);
  assert.equal(a.keyOf('ttl'), `${P}ttl`);
});

test('a custom prefix reads only its own keys', () => {
  const a = readAnnotations({ [`${OLD}hostname`]: 'old.example.org', [`${P}hostname`]: 'new.example.org', 'dns.acme.io/hostname': 'acme.example.org' }, 'dns.acme.io/');
  assert.deepEqual(hostnamesFrom(a, 'hostname'), ['acme.example.org']);
  const legacyOnly = readAnnotations({ [`${P}hostname`]: 'new.example.org', [`${OLD}hostname`]: 'old.example.org' }, OLD);
  assert.deepEqual(hostnamesFrom(legacyOnly, 'hostname'), ['old.example.org']);
});

test('hostname lists lose spaces, empty items and trailing dots; targets likewise', () => {
  const a = readAnnotations({ [`${P}hostname`]: ' a.example.org , b.example.org.,, c. example.org', [`${P}target`]: 'lb.example.net., 192.0.2.1' }, P);
  assert.deepEqual(hostnamesFrom(a, 'hostname'), ['a.example.org', 'b.example.org', 'c.example.org']);
  assert.deepEqual(hostnamesFrom(a, 'internal-hostname'), undefined);
  assert.deepEqual(targetsFrom(a), ['lb.example.net', '192.0.2.1']);
  assert.deepEqual(targetsFrom(readAnnotations({ [`${P}target`]: '' }, P)), []);
});

test('provider-specific annotations map by provider rules', () => {
  const a = readAnnotations(
    {
      [`${P}alias`]: 'true',
      [`${P}record-type`]: 'ptr',
      [`${P}set-identifier`]: 'eu-west',
      [`${P}aws-weight`]: '10',
      [`${P}scw-x`]: '1',
      [`${P}webhook-anything-goes`]: 'v',
      [`${P}coredns-group`]: 'g1',
      [`${P}azure-tags`]: 'a=b',
      [`${OLD}cloudflare-proxied`]: 'true',
      [`${P}cloudflare-unknown`]: 'x',
      [`${P}hostname`]: 'not-a-property.example.org',
    },
    P,
  );
  const { providerSpecific, setIdentifier } = providerSpecificFrom(a);
  assert.equal(setIdentifier, 'eu-west');
  assert.deepEqual(providerSpecific, [
    { name: 'alias', value: 'true' },
    { name: 'record-type', value: 'ptr' },
    { name: 'aws/weight', value: '10' },
    { name: 'azure/tags', value: 'a=b' },
    { name: `${P}cloudflare-proxied`, value: 'true' },
    { name: 'coredns/group', value: 'g1' },
    { name: 'scw/x', value: '1' },
    { name: 'webhook/anything-goes', value: 'v' },
  ]);
});

test('alias maps only for the exact value "true"', () => {
  for (const value of ['True', 'yes', 'A', '']) {
    assert.deepEqual(providerSpecificFrom(readAnnotations({ [`${P}alias`]: value }, P)).providerSpecific, []);
  }
});
