import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEtcdEnvironment } from '../../config/environment.ts';
import { etcdEnvProblem } from './descriptor.ts';
import { prefixEnd } from './etcd.ts';
import { decodeService, encodeService, keyFor, nameOfKey, newService } from './service.ts';

test('encodeService: Go struct order, omitempty, and encoding/json\'s HTML escapes', () => {
  assert.equal(encodeService(newService({ owner: 'o', group: 'g', targetstrip: 1, ttl: 30, text: 'a<b>&c', host: 'h' })),
    '{"host":"h","text":"a\\u003cb\\u003e\\u0026c","ttl":30,"targetstrip":1,"group":"g","owner":"o"}');
  assert.equal(encodeService(newService({ host: '192.0.2.1', port: 53, priority: 10, weight: 5, mail: true })),
    '{"host":"192.0.2.1","port":53,"priority":10,"weight":5,"mail":true}');
});

test('decodeService: SkyDNS JSON only; anything else is left alone', () => {
  assert.deepEqual(decodeService('{"host":"h","ttl":5}'), newService({ host: 'h', ttl: 5 }));
  for (const v of ['not json', '[]', '"x"', '{"host":5}', '{"ttl":-1}', '{"ttl":1.5}', '{"mail":"yes"}']) assert.equal(decodeService(v), undefined, v);
});

test('keys: reversed labels under the prefix; targetstrip drops the id', () => {
  assert.equal(keyFor('/skydns/', '1a2b3c4d.web.example.org'), '/skydns/org/example/web/1a2b3c4d');
  assert.equal(nameOfKey('/skydns/', '/skydns/org/example/web/1a2b3c4d', 1), 'web.example.org');
  assert.equal(nameOfKey('/skydns/', '/skydns/org/example/web', 0), 'web.example.org');
  assert.equal(nameOfKey('/skydns/', '/other/org', 0), undefined);
  assert.equal(nameOfKey('/skydns/', '/skydns/org', 2), undefined);
  assert.equal(Buffer.from(prefixEnd('/skydns/'), 'base64').toString(), '/skydns0');
});

test('ETCD_URLS, ETCD_USERNAME, ETCD_PASSWORD as ExternalDNS reads them', () => {
  assert.deepEqual(readEtcdEnvironment({}), { urls: ['http://localhost:2379'] });
  assert.deepEqual(readEtcdEnvironment({ ETCD_URLS: 'https://a:2379, https://b:2379', ETCD_USERNAME: 'u', ETCD_PASSWORD: 'p' }),
    { urls: ['https://a:2379', 'https://b:2379'], username: 'u', password: 'p' });
  assert.equal(etcdEnvProblem({ ETCD_URLS: 'https://a:2379' }), undefined);
  assert.match(etcdEnvProblem({ ETCD_URLS: 'etcd:2379' }) ?? '', /must start with http:\/\/ or https:\/\//);
  assert.match(etcdEnvProblem({ ETCD_USERNAME: 'u' }) ?? '', /both ETCD_USERNAME and ETCD_PASSWORD/);
});
