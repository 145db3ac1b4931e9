import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasUrlSecret, redactUrls } from './url-secrets.ts';

test('passwords in URLs are masked anywhere in a text; user names and URLs without credentials stay', () => {
  assert.equal(redactUrls('GET https://admin:pw@pdns:8081/api failed'), 'GET https://admin:*****@pdns:8081/api failed');
  assert.equal(redactUrls('url="http://u:p%40ss@hook:8888" proxy=http://x:y@p:1'), 'url="http://u:*****@hook:8888" proxy=http://x:*****@p:1');
  assert.equal(redactUrls('https://ghp_token123@git.example/x'), 'https://*****@git.example/x');
  assert.equal(redactUrls('https://pdns:8081/api a@b.example'), 'https://pdns:8081/api a@b.example');
  assert.equal(redactUrls('nothing here'), 'nothing here');
  assert.equal(hasUrlSecret('http://u:p@h'), true);
  assert.equal(hasUrlSecret('http://h/p@x'), false);
});
