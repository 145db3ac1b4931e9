import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabels, serializeLabels } from './labels.ts';

describe('ownership label strings', () => {
  test('serializes heritage first, then external-dns/<key> by sorted key, quoted', () => {
    const labels = { resource: 'service/default/web', owner: 'cluster-a' };
    assert.equal(serializeLabels(labels, { quoted: true }),
      '"heritage=external-dns,external-dns/owner=cluster-a,external-dns/resource=service/default/web"');
    assert.equal(serializeLabels(labels, { quoted: false }),
      'heritage=external-dns,external-dns/owner=cluster-a,external-dns/resource=service/default/web');
  });

  test('never writes the encryption nonce label', () => {
    assert.equal(serializeLabels({ owner: 'o', 'txt-encryption-nonce': 'AAAAAAAAAAAAAAAA' }, { quoted: false }),
      'heritage=external-dns,external-dns/owner=o');
  });

  test('empty labels serialize to the heritage alone', () => {
    assert.equal(serializeLabels({}, { quoted: true }), '"heritage=external-dns"');
  });

  test('parses with or without quotes and strips the external-dns/ key prefix', () => {
    const want = { owner: 'foo-owner', resource: 'foo-resource' };
    assert.deepEqual(parseLabels('heritage=external-dns,external-dns/owner=foo-owner,external-dns/resource=foo-resource'), want);
    assert.deepEqual(parseLabels('"heritage=external-dns,external-dns/owner=foo-owner,external-dns/resource=foo-resource"'), want);
  });

  test('ignores empty tokens, tokens without = and keys outside external-dns (ExternalDNS labels_test input)', () => {
    const text = 'heritage=external-dns,,external-dns/owner=bar-owner,external-dns/resource=bar-resource,external-dns/new-key=bar-new-key,random=stuff,no-equal-sign,,';
    assert.deepEqual(parseLabels(text), { owner: 'bar-owner', resource: 'bar-resource', 'new-key': 'bar-new-key' });
  });

  test('values keep everything after the first =', () => {
    assert.deepEqual(parseLabels('heritage=external-dns,external-dns/resource=a=b'), { resource: 'a=b' });
  });

  test('a value without heritage=external-dns is not an ownership record', () => {
    assert.equal(parseLabels('external-dns/owner=random-owner'), undefined);
    assert.equal(parseLabels('heritage=mate,external-dns/owner=random-owner'), undefined);
    assert.equal(parseLabels('heritage=mate,heritage=external-dns,external-dns/owner=random-owner'), undefined);
    assert.equal(parseLabels('"v=spf1 include:_spf.example.net ~all"'), undefined);
    assert.equal(parseLabels(''), undefined);
  });

  test('keys are compared where they stand: near misses of heritage and of the known keys read as ExternalDNS reads them', () => {
    assert.equal(parseLabels('heritage=external-dnsx,external-dns/owner=o'), undefined);
    assert.equal(parseLabels('heritage=external-dn,external-dns/owner=o'), undefined);
    assert.deepEqual(parseLabels('heritagex=external-dns,heritage=external-dns,external-dns/ownerx=a,external-dns/owne=b,external-dnsy=c'),
      { ownerx: 'a', owne: 'b', 'external-dnsy': 'c' });
    assert.deepEqual(parseLabels('""heritage=external-dns,external-dns/owner=o,external-dns/resource=""'), { owner: 'o', resource: '' });
    assert.deepEqual(parseLabels('"external-dns/owner=a,heritage=external-dns,external-dns/owner=b"'), { owner: 'b' });
  });

  test('parse(serialize(labels)) gives the labels back', () => {
    const labels = { owner: 'x', resource: 'ingress/ns/name', 'aws-sd-description': 'd' };
    assert.deepEqual(parseLabels(serializeLabels(labels, { quoted: true })), labels);
  });
});
