/**
 * Properties of the annotation readers over any annotation map (fixed seed,
 * test/support/property.ts): they never throw, lists never hold empty or
 * spaced items, TTLs come out as whole seconds in range or as 0 with a
 * warning, and the configured prefix wins over the legacy one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { propertyParams } from '../../test/support/property.ts';
import { AnnotationName, hostnamesFrom, parseGoDuration, parseTtl, providerSpecificFrom, readAnnotations, targetsFrom, ttlFrom } from './annotations.ts';
import { DEFAULT_ANNOTATION_PREFIX, type SourceWarning } from './shapes.ts';

const LEGACY = 'external-dns.alpha.kubernetes.io/';
const names = fc.constantFrom(...Object.values(AnnotationName), 'aws-weight', 'cloudflare-proxied', 'azure-tags', 'webhook-x', 'other');
const key = fc.oneof(names.map((n) => DEFAULT_ANNOTATION_PREFIX + n), names.map((n) => LEGACY + n), fc.string({ maxLength: 40 }));
const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('300', '5m', '1h30m', '-1', '0', '2147483648', '1.5s', ' a.example.org , ,b.example.org. ', ''));
const annotations = fc.dictionary(key, value, { maxKeys: 8 });

test('the readers never throw and keep their promises on any annotations', () => {
  fc.assert(fc.property(annotations, (raw) => {
    const a = readAnnotations(raw, DEFAULT_ANNOTATION_PREFIX);
    for (const list of [hostnamesFrom(a, AnnotationName.hostname) ?? [], targetsFrom(a)]) {
      for (const item of list) {
        assert.notEqual(item, '');
        assert.ok(!item.includes(' ') && !item.includes(','), item);
        assert.ok(!item.endsWith('.'), item);
      }
    }
    const warnings: SourceWarning[] = [];
    const ttl = ttlFrom(a, 'service/ns/x', warnings);
    assert.ok(Number.isInteger(ttl) && ttl >= 0 && ttl <= 2147483647, String(ttl));
    // A TTL annotation that gives no TTL always says why.
    assert.equal(warnings.length, ttl === 0 && a.has(AnnotationName.ttl) ? 1 : 0);
    const ps = providerSpecificFrom(a);
    assert.equal(typeof ps.setIdentifier, 'string');
    for (const p of ps.providerSpecific) assert.ok(p.name !== '' && typeof p.value === 'string');
  }), propertyParams(1000));
});

test('the configured prefix wins over the legacy one for every name', () => {
  fc.assert(fc.property(names, fc.string(), fc.string(), (name, legacy, current) => {
    const a = readAnnotations({ [LEGACY + name]: legacy, [DEFAULT_ANNOTATION_PREFIX + name]: current }, DEFAULT_ANNOTATION_PREFIX);
    assert.equal(a.get(name), current);
    assert.equal(a.keyOf(name), DEFAULT_ANNOTATION_PREFIX + name);
  }), propertyParams(300));
});

test('TTLs: integers and Go durations read back as whole seconds; nothing else parses', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2147483647 }), (n) => {
    assert.equal(parseTtl(String(n)), n);
    assert.equal(parseTtl(`${n}s`), n);
    assert.ok(Math.abs((parseGoDuration(`${n}ms`) ?? -1) - n / 1000) < 1e-6 * Math.max(1, n));
  }), propertyParams(500));
  fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
    assert.equal(parseTtl(`${h}h${m}m`), h * 3600 + m * 60);
  }), propertyParams(300));
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
    const t = parseTtl(s);
    if (t !== undefined) assert.ok(/^[+-]?\d+$/.test(s) || parseGoDuration(s) !== undefined, s);
  }), propertyParams(1000));
});
