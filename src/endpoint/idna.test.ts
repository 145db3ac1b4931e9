import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeDnsName, unicodeDnsName } from './idna.ts';

test('normalizeDnsName: lower case, no trailing dot, no surrounding space', () => {
  assert.equal(normalizeDnsName('WWW.Example.COM.'), 'www.example.com');
  assert.equal(normalizeDnsName('  www.example.com  '), 'www.example.com');
  assert.equal(normalizeDnsName('www.example.com'), 'www.example.com');
});

test('normalizeDnsName: internationalised labels become punycode; * and _ labels survive', () => {
  assert.equal(normalizeDnsName('Bücher.example.'), 'xn--bcher-kva.example');
  assert.equal(normalizeDnsName('xn--bcher-kva.example'), 'xn--bcher-kva.example');
  assert.equal(normalizeDnsName('*.bücher.example'), '*.xn--bcher-kva.example');
  assert.equal(normalizeDnsName('_sip._tcp.bücher.example'), '_sip._tcp.xn--bcher-kva.example');
});

test('normalizeDnsName: transitional mapping like Go (ß → ss)', () => {
  assert.equal(normalizeDnsName('straße.example'), 'strasse.example');
});

test('unicodeDnsName decodes punycode labels', () => {
  assert.equal(unicodeDnsName('XN--BCHER-KVA.example.'), 'bücher.example');
  assert.equal(unicodeDnsName('plain.example'), 'plain.example');
});
