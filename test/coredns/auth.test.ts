/**
 * ETCD_USERNAME / ETCD_PASSWORD against a real etcd with `etcdctl auth
 * enable`, over TLS. etcd 3.4's JSON gateway refuses any request whose client
 * certificate carries a CommonName once auth is on, so this etcd does not
 * ask for client certificates and the provider sends none (the provider
 * explains that refusal when it meets it). The provider authenticates
 * through /v3/auth/authenticate, writes within its role's prefix, and a wrong
 * password or a prefix outside the role is a clear EXTDNS_COREDNS_AUTH error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { emptyChanges } from '../../src/plan/plan.ts';
import { buildCoredns, startTlsEtcd, type TlsEtcd } from './support.ts';

const signal = new AbortController().signal;
let etcd: TlsEtcd;

before(async () => {
  etcd = await startTlsEtcd([], false);
  const ctl = etcd.etcd.ctl;
  await ctl('user', 'add', 'root', '--new-user-password=root-secret', '--interactive=false');
  await ctl('user', 'grant-role', 'root', 'root');
  await ctl('role', 'add', 'dns');
  await ctl('role', 'grant-permission', 'dns', '--prefix=true', 'readwrite', '/skydns/');
  await ctl('user', 'add', 'extdns', '--new-user-password=extdns-secret', '--interactive=false');
  await ctl('user', 'grant-role', 'extdns', 'dns');
  await ctl('auth', 'enable');
});
after(async () => {
  await etcd.stop();
});

/** ETCD_URLS and ETCD_CA_FILE, no client certificate. */
function passwordOnly(): Record<string, string | undefined> {
  return { ...etcd.env, ETCD_CERT_FILE: undefined, ETCD_KEY_FILE: undefined };
}

const record = newEndpoint({ dnsName: 'auth.example.org', recordType: 'A', targets: ['192.0.2.80'], recordTTL: 60 });

test('username and password: the provider authenticates, writes and reads back', async () => {
  const built = await buildCoredns([], { ...passwordOnly(), ETCD_USERNAME: 'extdns', ETCD_PASSWORD: 'extdns-secret' });
  try {
    await built.provider.applyChanges({ ...emptyChanges(), create: [record] }, signal);
    const records = await built.provider.records(signal);
    assert.deepEqual(records.map((e) => `${e.dnsName} ${e.recordType} ${e.targets.join(',')}`), ['auth.example.org A 192.0.2.80']);
    const stored = await etcd.etcd.ctlAs('root', 'root-secret', 'get', '--prefix', '/skydns/org/example/auth/', '--print-value-only');
    assert.equal(stored.trim(), '{"host":"192.0.2.80","ttl":60,"targetstrip":1}');
    assert.ok(!built.log.text().includes('extdns-secret'), 'the password is never logged');
  } finally {
    await built.close();
  }
});

test('a wrong password is EXTDNS_COREDNS_AUTH, and the password is not in the message', async () => {
  const built = await buildCoredns([], { ...passwordOnly(), ETCD_USERNAME: 'extdns', ETCD_PASSWORD: 'wrong-secret' });
  try {
    await assert.rejects(built.provider.records(signal), (err: unknown) => {
      assert.ok(ExtdnsError.is(err));
      assert.equal(err.code, 'EXTDNS_COREDNS_AUTH');
      assert.match(err.message, /ETCD_USERNAME/);
      assert.ok(!err.message.includes('wrong-secret'));
      return true;
    });
  } finally {
    await built.close();
  }
});

test('a prefix outside the user\'s role: permission denied is EXTDNS_COREDNS_AUTH', async () => {
  const built = await buildCoredns(['--coredns-prefix=/elsewhere/'], { ...passwordOnly(), ETCD_USERNAME: 'extdns', ETCD_PASSWORD: 'extdns-secret' });
  try {
    await assert.rejects(built.provider.records(signal), (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_COREDNS_AUTH' && /permission denied/i.test(err.message));
  } finally {
    await built.close();
  }
});
