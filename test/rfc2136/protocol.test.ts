/**
 * The RFC 2136 protocol layer against real servers: BIND 9 (TCP and DNS
 * over TLS) and Knot. UPDATE applied and read back by AXFR and dig; refusals
 * (bad secret, unknown key, failed prerequisite) reported in plain words
 * with nothing written; DoT with and without the private CA.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { sendUpdate, transferZone, type ExchangeOptions } from '../../src/provider/rfc2136/client.ts';
import { tsigKey } from '../../src/provider/rfc2136/tsig.ts';
import type { Prerequisite, RecordData, UpdateOp } from '../../src/provider/rfc2136/message.ts';
import { HMAC_ALGORITHMS, startBind, startKnot, TEST_ZONE, type DnsTestServer, type HmacAlgorithm } from '../support/dns-servers.ts';
import { createPki, type Pki } from '../support/pki.ts';

const now = (): number => Math.floor(Date.now() / 1000);
const nextId = (): number => randomInt(0, 65536);

function options(server: DnsTestServer, algorithm: HmacAlgorithm = 'hmac-sha256', secret?: string, name?: string): ExchangeOptions {
  const k = server.key(algorithm);
  return { key: tsigKey(name ?? k.name, k.algorithm, secret ?? k.secret), transport: {}, nowSeconds: now, nextId };
}

const upd = (zone: string, updates: UpdateOp[], prerequisites: Prerequisite[] = []) => ({ zone, updates, prerequisites });
const a = (name: string, ip: string, ttl = 60): RecordData => ({ name, type: 'A', ttl, class: 'IN', data: ip });
const txt = (name: string, text: string): RecordData => ({ name, type: 'TXT', ttl: 60, class: 'IN', data: [text] });

function codeIs(code: string, message: RegExp) {
  return (err: Error & { code?: string }) => {
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  };
}

for (const start of [startBind, startKnot]) {
  describe(`protocol against ${start === startBind ? 'BIND' : 'Knot'}`, () => {
    let server: DnsTestServer;
    before(async () => { server = await start(); });
    after(async () => { await server.stop(); });
    const target = () => ({ host: '127.0.0.1', port: server.port });

    test('an UPDATE with a record and its TXT ownership record is applied; AXFR and dig read them back', async () => {
      const name = `www.${TEST_ZONE}`;
      const owner = `a-www.${TEST_ZONE}`;
      await sendUpdate(target(), upd(TEST_ZONE, [
        { op: 'add', record: a(name, '192.0.2.10') }, { op: 'add', record: a(name, '192.0.2.11') },
        { op: 'add', record: txt(owner, 'heritage=external-dns,external-dns/owner=default') },
      ]), options(server));
      assert.deepEqual((await server.dig(name, 'A')).sort(), ['192.0.2.10', '192.0.2.11']);
      assert.deepEqual(await server.dig(owner, 'TXT'), ['"heritage=external-dns,external-dns/owner=default"']);
      const records = await transferZone(target(), TEST_ZONE, options(server));
      assert.equal(records[0]?.type, 'SOA');
      assert.deepEqual(records.flatMap((r) => (r.name === name && r.type === 'A' ? [r.data] : [])).sort(), ['192.0.2.10', '192.0.2.11']);
      const ownerTxt = records.find((r) => r.name === owner);
      assert.deepEqual(ownerTxt?.type === 'TXT' ? ownerTxt.data : undefined, [Buffer.from('heritage=external-dns,external-dns/owner=default')]);
    });

    test('exact delete: one record of a set goes, its sibling stays', async () => {
      const name = `exact.${TEST_ZONE}`;
      await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(name, '192.0.2.1') }, { op: 'add', record: a(name, '192.0.2.2') }]), options(server));
      await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'delete', record: a(name, '192.0.2.1') }]), options(server));
      assert.deepEqual(await server.dig(name, 'A'), ['192.0.2.2']);
      await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'delete-rrset', name, type: 'A' }]), options(server));
      assert.deepEqual(await server.dig(name, 'A'), []);
    });

    test('every HMAC algorithm signs an UPDATE the server accepts and an AXFR it answers', async () => {
      for (const algorithm of HMAC_ALGORITHMS) {
        const name = `${algorithm}.${TEST_ZONE}`;
        await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(name, '192.0.2.3') }]), options(server, algorithm));
        assert.deepEqual(await server.dig(name, 'A'), ['192.0.2.3'], algorithm);
        const records = await transferZone(target(), TEST_ZONE, options(server, algorithm));
        assert.ok(records.some((r) => r.name === name), algorithm);
      }
    });

    test('a wrong secret is BADSIG in plain words, and nothing is written', async () => {
      const serial = await server.serial();
      const wrong = options(server, 'hmac-sha256', Buffer.alloc(32, 1).toString('base64'));
      await assert.rejects(sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(`bad.${TEST_ZONE}`, '192.0.2.9') }]), wrong),
        codeIs('EXTDNS_RFC2136_TSIG', /BADSIG: the server could not verify the signature: the TSIG secret/));
      await assert.rejects(transferZone(target(), TEST_ZONE, wrong), codeIs('EXTDNS_RFC2136_TSIG', /BADSIG/));
      assert.equal(await server.serial(), serial);
      assert.deepEqual(await server.dig(`bad.${TEST_ZONE}`, 'A'), []);
    });

    test('an unknown key name is BADKEY, naming the flag to check', async () => {
      const unknown = options(server, 'hmac-sha256', undefined, 'no-such-key');
      await assert.rejects(sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(`bad.${TEST_ZONE}`, '192.0.2.9') }]), unknown),
        codeIs('EXTDNS_RFC2136_TSIG', /BADKEY: the server does not know the TSIG key: check --rfc2136-tsig-keyname/));
    });

    test('unsigned messages are refused by a server that requires the key', async () => {
      const serial = await server.serial();
      const insecure: ExchangeOptions = { transport: {}, nowSeconds: now, nextId };
      await assert.rejects(sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(`unsigned.${TEST_ZONE}`, '192.0.2.9') }]), insecure),
        codeIs('EXTDNS_RFC2136_REFUSED', /refused an UPDATE of zone example.org \(1 change\(s\)\) \((REFUSED|NOTAUTH): /));
      assert.equal(await server.serial(), serial);
    });

    test('a failed prerequisite refuses the whole message: YXRRSET, nothing written', async () => {
      const name = `pre.${TEST_ZONE}`;
      await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(name, '192.0.2.4') }]), options(server));
      const serial = await server.serial();
      await assert.rejects(sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(name, '192.0.2.5') }, { op: 'add', record: a(`pre2.${TEST_ZONE}`, '192.0.2.6') }],
        [{ op: 'rrset-absent', name, type: 'A' }]), options(server)),
      codeIs('EXTDNS_RFC2136_REFUSED', /YXRRSET: a record set that must not exist does/));
      assert.equal(await server.serial(), serial);
      assert.deepEqual(await server.dig(`pre2.${TEST_ZONE}`, 'A'), []);
      await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(`pre3.${TEST_ZONE}`, '192.0.2.7') }],
        [{ op: 'rrset-exists', name, type: 'A' }, { op: 'name-in-use', name }, { op: 'name-not-in-use', name: `pre4.${TEST_ZONE}` }]), options(server));
      assert.deepEqual(await server.dig(`pre3.${TEST_ZONE}`, 'A'), ['192.0.2.7']);
    });

    test('a zone the server does not serve is NOTAUTH or NOTZONE in plain words', async () => {
      await assert.rejects(sendUpdate(target(), upd('other.test', [{ op: 'add', record: a('x.other.test', '192.0.2.9') }]), options(server)),
        codeIs('EXTDNS_RFC2136_REFUSED', /(NOTAUTH|NOTZONE|REFUSED): /));
    });

    test('a closed port is EXTDNS_RFC2136_UNREACHABLE (transient)', async () => {
      await assert.rejects(sendUpdate({ host: '127.0.0.1', port: 1 }, upd(TEST_ZONE, []), options(server)),
        (err: Error & { code?: string; transient?: boolean }) => err.code === 'EXTDNS_RFC2136_UNREACHABLE' && err.transient === true && /tcp:\/\/127\.0\.0\.1:1/.test(err.message));
    });
  });
}

describe('DNS over TLS against BIND', () => {
  let pki: Pki;
  let server: DnsTestServer;
  before(async () => {
    pki = await createPki();
    const certFile = await pki.write('dot-chain.pem', pki.chain(pki.leaf, pki.intermediateA1));
    server = await startBind({ tls: { certFile, keyFile: pki.leaf.keyFile } });
  });
  after(async () => { await server.stop(); await pki.cleanup(); });
  const target = () => ({ host: '127.0.0.1', port: server.tlsPort ?? 0 });
  const over = (ca: string | undefined, verify = true): ExchangeOptions => ({
    ...options(server),
    transport: { tls: () => ({ secureContext: createSecureContext(ca === undefined ? {} : { ca }), verify, alpnProtocols: ['dot'] }) },
  });

  test('with the private CA: UPDATE and AXFR (XoT) over TLS', async () => {
    const name = `dot.${TEST_ZONE}`;
    await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(name, '192.0.2.20') }]), over(pki.rootA.cert));
    assert.deepEqual(await server.dig(name, 'A'), ['192.0.2.20']);
    const records = await transferZone(target(), TEST_ZONE, over(pki.rootA.cert));
    assert.ok(records.some((r) => r.name === name));
  });

  test('without the CA: the certificate is not trusted, named in the error, nothing written', async () => {
    const serial = await server.serial();
    await assert.rejects(sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(`nodot.${TEST_ZONE}`, '192.0.2.21') }]), over(undefined)),
      codeIs('EXTDNS_RFC2136_UNREACHABLE', /tls:\/\/127\.0\.0\.1:\d+: .*(self-signed|local issuer|unable to verify)/i));
    assert.equal(await server.serial(), serial);
  });

  test('skip-verify without the CA connects (the operator said so)', async () => {
    await sendUpdate(target(), upd(TEST_ZONE, [{ op: 'add', record: a(`skip.${TEST_ZONE}`, '192.0.2.22') }]), over(undefined, false));
    assert.deepEqual(await server.dig(`skip.${TEST_ZONE}`, 'A'), ['192.0.2.22']);
  });
});
