import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareNames, ownerText } from './render.ts';

test('names sort in DNS canonical order: a name is followed by its children', () => {
  const names = ['b.example.com', 'example.com', 'a.b.example.com', 'z.a.example.com', 'a.example.com'];
  assert.deepEqual(names.sort(compareNames), ['example.com', 'a.example.com', 'z.a.example.com', 'b.example.com', 'a.b.example.com']);
});

test('owner text: @ at the origin, relative below it, absolute elsewhere, case kept', () => {
  assert.equal(ownerText('example.com.', 'example.com'), '@');
  assert.equal(ownerText('WWW.example.com.', 'example.com'), 'WWW');
  assert.equal(ownerText('www.example.org.', 'example.com'), 'www.example.org.');
  assert.equal(ownerText('www.example.org.', ''), 'www.example.org.');
});
