import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtdnsError } from '../errors/errors.ts';
import { parseSelector, selectorFromSet } from './selector.ts';

const cases: { selector: string; labels: Record<string, string>; matches: boolean }[] = [
  { selector: '', labels: {}, matches: true },
  { selector: 'app=web', labels: { app: 'web' }, matches: true },
  { selector: 'app==web', labels: { app: 'web' }, matches: true },
  { selector: 'app=web', labels: { app: 'api' }, matches: false },
  { selector: 'app=web', labels: {}, matches: false },
  { selector: 'app!=web', labels: {}, matches: true },
  { selector: 'app!=web', labels: { app: 'web' }, matches: false },
  { selector: 'env in (prod, staging)', labels: { env: 'staging' }, matches: true },
  { selector: 'env in (prod,staging)', labels: { env: 'dev' }, matches: false },
  { selector: 'env in (prod)', labels: {}, matches: false },
  { selector: 'env notin (prod)', labels: {}, matches: true },
  { selector: 'env notin (prod)', labels: { env: 'prod' }, matches: false },
  { selector: 'legacy', labels: { legacy: '' }, matches: true },
  { selector: 'legacy', labels: {}, matches: false },
  { selector: '!legacy', labels: {}, matches: true },
  { selector: '!legacy', labels: { legacy: 'x' }, matches: false },
  { selector: 'tier=', labels: { tier: '' }, matches: true },
  { selector: 'kubernetes.io/ingress.class=nginx', labels: { 'kubernetes.io/ingress.class': 'nginx' }, matches: true },
  { selector: 'a=b,c!=d,e in (x,y),!f,g', labels: { a: 'b', c: 'z', e: 'y', g: '1' }, matches: true },
  { selector: 'a=b,c!=d,e in (x,y),!f,g', labels: { a: 'b', c: 'z', e: 'y', g: '1', f: '' }, matches: false },
  { selector: 'a=b,c!=d,e in (x,y),!f,g', labels: { a: 'b', c: 'd', e: 'y', g: '1' }, matches: false },
];

for (const c of cases) {
  test(`selector "${c.selector}" on ${JSON.stringify(c.labels)} → ${c.matches}`, () => {
    assert.equal(parseSelector(c.selector).matches(c.labels), c.matches);
  });
}

test('canonical text round-trips', () => {
  const text = 'a=b,c!=d,e in (x,y),f notin (z),!g,h';
  assert.equal(parseSelector(text).toString(), text);
  assert.equal(parseSelector(' a == b , e in ( x , y ) ').toString(), 'a=b,e in (x,y)');
});

test('a missing label set matches only selectors that allow absence', () => {
  assert.equal(parseSelector('!a,b!=c').matches(undefined), true);
  assert.equal(parseSelector('a').matches(undefined), false);
});

const invalid: { selector: string; says: RegExp }[] = [
  { selector: 'a=b,', says: /expected a key.*at the end/ },
  { selector: 'env in prod', says: /"\(" to open the value list/ },
  { selector: 'env in (prod', says: /comma or "\)"/ },
  { selector: 'a b', says: /unexpected "b" after key "a"/ },
  { selector: 'a=b c', says: /a comma between requirements/ },
  { selector: 'Bad_Prefix/x=y', says: /not a valid key/ },
  { selector: 'a=-bad', says: /not a valid value/ },
  { selector: '=b', says: /expected a key/ },
];

for (const c of invalid) {
  test(`invalid selector "${c.selector}" is rejected with the flag named`, () => {
    assert.throws(
      () => parseSelector(c.selector, '--label-filter'),
      (err: unknown) => {
        assert.ok(ExtdnsError.is(err));
        assert.equal(err.code, 'EXTDNS_SOURCE_SELECTOR_INVALID');
        assert.equal(err.transient, false);
        assert.match(err.message, /^--label-filter /);
        assert.match(err.message, c.says);
        return true;
      },
    );
  });
}

test('selectorFromSet requires every pair', () => {
  const s = selectorFromSet({ app: 'web', tier: 'front' });
  assert.equal(s.matches({ app: 'web', tier: 'front', extra: 'x' }), true);
  assert.equal(s.matches({ app: 'web' }), false);
  assert.equal(selectorFromSet({}).matches({ anything: 'x' }), true);
});
