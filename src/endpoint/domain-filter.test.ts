import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../errors/errors.ts';
import { MATCH_ALL } from './domain-filter.ts';
import { createDomainFilter, domainFilterFromWire, matchAll } from './domain-filter.ts';

test('list filter: suffix on label boundaries, exact, wildcard names', () => {
  const f = createDomainFilter({ include: ['example.com'] });
  assert.equal(f.match('example.com'), true);
  assert.equal(f.match('a.b.example.com'), true);
  assert.equal(f.match('*.example.com'), true);
  assert.equal(f.match('badexample.com'), false);
  assert.equal(f.match('example.org'), false);
  assert.equal(f.isConfigured(), true);
});

test('list filter: case-insensitive, trailing dots and spaces ignored, IDN in either form', () => {
  const f = createDomainFilter({ include: [' Example.COM. ', 'bücher.example'] });
  assert.equal(f.match('WWW.example.com.'), true);
  assert.equal(f.match('shop.xn--bcher-kva.example'), true);
  assert.equal(f.match('shop.BÜCHER.example'), true);
});

test('list filter: a leading dot means subdomains only', () => {
  const f = createDomainFilter({ include: ['.example.com'] });
  assert.equal(f.match('example.com'), false);
  assert.equal(f.match('a.example.com'), true);
});

test('list filter: excludes win over includes; excludes alone filter out', () => {
  const f = createDomainFilter({ include: ['example.com'], exclude: ['internal.example.com'] });
  assert.equal(f.match('www.example.com'), true);
  assert.equal(f.match('internal.example.com'), false);
  assert.equal(f.match('db.internal.example.com'), false);
  const onlyExclude = createDomainFilter({ exclude: ['example.org'] });
  assert.equal(onlyExclude.match('anything.net'), true);
  assert.equal(onlyExclude.match('a.example.org'), false);
});

test('empty filter matches everything and is not configured', () => {
  const f = createDomainFilter({ include: ['', '  '], exclude: [] });
  assert.equal(f.isConfigured(), false);
  assert.equal(f.match('whatever.test'), true);
  assert.deepEqual(f.toWire(), {});
});

test('regex mode overrides the lists; exclusion first; unanchored search on the Unicode form', () => {
  const f = createDomainFilter({ include: ['example.com'], regexInclude: '(?i)\\.EXAMPLE\\.(com|org)$', regexExclude: '^int' });
  assert.equal(f.match('a.example.org'), true);
  assert.equal(f.match('internal.example.com'), false);
  assert.equal(f.match('example.com'), false);
  const idn = createDomainFilter({ regexInclude: '^bücher\\.' });
  assert.equal(idn.match('xn--bcher-kva.example'), true);
  const excludeOnly = createDomainFilter({ regexExclude: 'staging' });
  assert.equal(excludeOnly.match('staging.example.com'), false);
  assert.equal(excludeOnly.match('prod.example.com'), true);
});

test('invalid regex names the flag', () => {
  assert.throws(() => createDomainFilter({ regexInclude: '(' }), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, 'EXTDNS_DOMAIN_FILTER_REGEX');
    assert.match(err.message, /--regex-domain-filter='\('/);
    return true;
  });
  assert.throws(() => createDomainFilter({ regexExclude: '[' }), /--regex-domain-exclusion/);
});

test('matchParent finds zones above included names', () => {
  const f = createDomainFilter({ include: ['a.example.com', '.sub.example.org'], exclude: ['example.net'] });
  assert.equal(f.matchParent('example.com'), true);
  assert.equal(f.matchParent('example.org'), false);
  assert.equal(f.matchParent('example.net'), false);
});

test('toWire: sorted lists, omitted when empty; regex form', () => {
  assert.deepEqual(createDomainFilter({ include: ['b.com', 'A.com.'] }).toWire(), { include: ['a.com', 'b.com'] });
  assert.deepEqual(createDomainFilter({ exclude: ['x.com'] }).toWire(), { exclude: ['x.com'] });
  assert.deepEqual(createDomainFilter({ include: ['xn--bcher-kva.example'] }).toWire(), { include: ['bücher.example'] });
  assert.deepEqual(createDomainFilter({ regexInclude: 'a', regexExclude: '' }).toWire(), { regexInclude: 'a' });
});

test('wire round trip keeps matching behaviour', () => {
  for (const options of [{ include: ['example.com', '.x.org'], exclude: ['in.example.com'] }, { regexInclude: 'foo', regexExclude: 'bar' }]) {
    const f = createDomainFilter(options);
    const back = domainFilterFromWire(JSON.parse(JSON.stringify(f.toWire())));
    for (const name of ['example.com', 'in.example.com', 'a.x.org', 'x.org', 'foo.test', 'foobar.test']) {
      assert.equal(back.match(name), f.match(name), name);
    }
    assert.deepEqual(back.toWire(), f.toWire());
  }
});

test('domainFilterFromWire: null and {} match all; both forms at once and bad types are errors', () => {
  assert.equal(domainFilterFromWire(null).isConfigured(), false);
  assert.equal(domainFilterFromWire({ include: null }).isConfigured(), false);
  assert.throws(() => domainFilterFromWire({ include: ['a.com'], regexInclude: 'a' }), /both a domain list/);
  assert.throws(() => domainFilterFromWire({ include: 'a.com' }), /domainFilter\.include must be an array/);
  assert.throws(() => domainFilterFromWire({ include: [1] }), /domainFilter\.include\[0\] must be a string/);
  assert.throws(() => domainFilterFromWire({ regexExclude: '(' }), /domainFilter\.regexExclude='\('/);
});

test('matchAll needs every filter', () => {
  const a = createDomainFilter({ include: ['example.com'] });
  const b = createDomainFilter({ exclude: ['private.example.com'] });
  assert.equal(matchAll([a, b, MATCH_ALL], 'www.example.com'), true);
  assert.equal(matchAll([a, b], 'x.private.example.com'), false);
  assert.equal(matchAll([], 'anything'), true);
});

test('domainFilterFromWire matches keys in any letter case, as Go decodes them', () => {
  assert.deepEqual(domainFilterFromWire({ Include: ['example.com'], EXCLUDE: ['a.example.com'] }).toWire(), { include: ['example.com'], exclude: ['a.example.com'] });
  assert.deepEqual(domainFilterFromWire({ RegexInclude: '^x' }).toWire(), { regexInclude: '^x' });
});
