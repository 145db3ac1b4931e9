/**
 * Every row of the error table in shared/reference/tls.md §6.6: the
 * connection through our dispatcher fails (or works) the way Node reports it,
 * and `diagnose` names the real cause from its own analysis.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPki, type Pki } from '../support/pki.ts';
import { closedPort, startHttpServer, startHttpsServer, type HttpsServerOptions, type TestServer } from '../support/tls-servers.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { diagnose, type Diagnosis } from '../../src/tls/doctor.ts';
import type { Verdict } from '../../src/tls/verdict.ts';
import { connect, connectHttps, store, type SpecInput } from './helpers.ts';

let pki: Pki;
const servers: TestServer[] = [];
before(async () => { pki = await createPki(); });
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await pki.cleanup();
});

async function serve(options: HttpsServerOptions): Promise<string> {
  const s = await startHttpsServer(options);
  servers.push(s);
  return s.url;
}

async function check(url: string, input: SpecInput, options: { connect: string | RegExp; verdict: Verdict }): Promise<Diagnosis> {
  const s = store(input);
  try {
    const code = await connect(s, url);
    if (typeof options.connect === 'string') assert.equal(code, options.connect);
    else assert.match(code, options.connect);
    const d = await diagnose(url, { generation: s.current(), allowPartialChain: input.allowPartialChain }, { clock: new FakeClock(Date.now()) });
    assert.equal(d.verdict, options.verdict, JSON.stringify(d.findings, null, 1));
    assert.equal(d.ok, options.verdict === 'ok');
    for (const f of d.findings) assert.ok(f.fix.length > 10, 'every finding carries a fix');
    return d;
  } finally {
    await s.close();
  }
}

const onlyBundled = { env: {} };

describe('tls.md error table: connection result and doctor verdict', () => {
  test('row 1: private chain, root not trusted → unknown CA naming the root', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
    const d = await check(url, onlyBundled, { connect: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', verdict: 'unknown-ca' });
    assert.match(d.findings[0]?.message ?? '', /extdns test root A/);
    assert.match(d.findings[0]?.message ?? '', /bundled/, 'names the sources searched');
    assert.match(d.findings[0]?.fix ?? '', /--tls-ca/);
  });

  test('row 12: the wrong CA given (root B) → unknown CA', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
    const d = await check(url, { caFiles: [pki.rootB.certFile], mode: 'replace' }, { connect: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', verdict: 'unknown-ca' });
    assert.match(d.findings[0]?.message ?? '', /--tls-ca \(1\)/);
  });

  test('row 2: root trusted → OK', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: 'OK', verdict: 'ok' });
    assert.equal(d.chain[0]?.subject, 'CN=leaf');
    assert.ok(d.notes.some((n) => /append mode/.test(n)), 'says public roots are trusted too');
  });

  test('row 2 through the https.Agent (AWS SDK path) → OK', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
    const s = store({ caFiles: [pki.rootA.certFile] });
    assert.equal(await connectHttps(s, url), 'OK');
    await s.close();
    const s2 = store(onlyBundled);
    assert.equal(await connectHttps(s2, url), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    await s2.close();
  });

  test('rows 3, 4: server sends only its leaf → missing intermediate', async () => {
    const url = await serve({ chain: pki.leaf.cert, key: pki.leaf.key });
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', verdict: 'missing-intermediate' });
    assert.match(d.findings[0]?.message ?? '', /intermediate A1/);
    await check(url, onlyBundled, { connect: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', verdict: 'missing-intermediate' });
  });

  test('row 29: leaf of root B only, trusting root A → missing intermediate / unknown issuer', async () => {
    const url = await serve({ chain: pki.leafB.cert, key: pki.leafB.key });
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', verdict: 'missing-intermediate' });
    assert.match(d.findings[0]?.message ?? '', /root B/);
  });

  test('row 5: server sends its own untrusted root → untrusted root with fingerprint', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1, pki.rootA), key: pki.leaf.key });
    const d = await check(url, onlyBundled, { connect: 'SELF_SIGNED_CERT_IN_CHAIN', verdict: 'untrusted-root' });
    assert.match(d.findings[0]?.message ?? '', /root A.*sha256 [0-9A-F:]{95}/);
  });

  test('row 6: self-signed server → self-signed; row 7: pinned → OK', async () => {
    const url = await serve({ chain: pki.selfSigned.cert, key: pki.selfSigned.key });
    const d = await check(url, onlyBundled, { connect: 'DEPTH_ZERO_SELF_SIGNED_CERT', verdict: 'self-signed' });
    assert.match(d.findings[0]?.fix ?? '', /pin/);
    await check(url, { caFiles: [pki.selfSigned.certFile] }, { connect: 'OK', verdict: 'ok' });
  });

  test('row 8: expired leaf → expired with the date', async () => {
    const url = await serve({ chain: pki.chain(pki.expired, pki.intermediateA1), key: pki.expired.key });
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: 'CERT_HAS_EXPIRED', verdict: 'expired' });
    assert.match(d.findings[0]?.message ?? '', /"expired" expired on \d{4}-\d\d-\d\d.*\(2 days ago\)/);
    assert.equal(d.findings.length, 1);
  });

  test('row 9: expired leaf under an untrusted root → both problems named, not just "expired"', async () => {
    const url = await serve({ chain: pki.chain(pki.expired, pki.intermediateA1), key: pki.expired.key });
    const d = await check(url, onlyBundled, { connect: 'CERT_HAS_EXPIRED', verdict: 'unknown-ca' });
    assert.deepEqual(d.findings.map((f) => f.verdict).sort(), ['expired', 'unknown-ca']);
    assert.equal(d.nodeError, 'CERT_HAS_EXPIRED');
  });

  test('row 10: not yet valid → dates and clock skew', async () => {
    const url = await serve({ chain: pki.chain(pki.notYetValid, pki.intermediateA1), key: pki.notYetValid.key });
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: 'CERT_NOT_YET_VALID', verdict: 'not-yet-valid' });
    assert.match(d.findings[0]?.message ?? '', /valid only from/);
    assert.match(d.findings[0]?.fix ?? '', /clock/);
  });

  test('row 11: name mismatch → the names the certificate holds', async () => {
    const url = await serve({ chain: pki.chain(pki.wrongName, pki.intermediateA1), key: pki.wrongName.key });
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: 'ERR_TLS_CERT_ALTNAME_INVALID', verdict: 'hostname-mismatch' });
    assert.match(d.findings[0]?.message ?? '', /127\.0\.0\.1.*DNS:wrong\.example\.com/);
  });

  test('row 13: only the intermediate trusted → intermediate-only; 13b: allowPartialChain → OK', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
    const d = await check(url, { caFiles: [pki.intermediateA1.certFile], mode: 'replace' }, { connect: 'UNABLE_TO_GET_ISSUER_CERT', verdict: 'intermediate-only' });
    assert.match(d.findings[0]?.fix ?? '', /root A/);
    await check(url, { caFiles: [pki.intermediateA1.certFile], mode: 'replace', allowPartialChain: true }, { connect: 'OK', verdict: 'ok' });
  });

  test('row 14: issuer is not a CA → issuer-not-ca', async () => {
    const url = await serve({ chain: pki.chain(pki.leafUnderNotCa, pki.notCa), key: pki.leafUnderNotCa.key });
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: /UNSPECIFIED|INVALID_CA|KEY_USAGE/, verdict: 'issuer-not-ca' });
    assert.match(d.findings[0]?.message ?? '', /not-a-CA/);
  });

  test('row 26: client certificate required, none sent (TLS 1.3) → client-cert-required', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, clientCa: pki.clientCa.cert });
    // undici 8 sees only "other side closed" (UND_ERR_SOCKET); the https.Agent gets the alert itself.
    const d = await check(url, { caFiles: [pki.rootA.certFile] }, { connect: /^(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|UND_ERR_SOCKET)$/, verdict: 'client-cert-required' });
    assert.match(d.findings[0]?.fix ?? '', /--tls-client-cert/);
    const s = store({ caFiles: [pki.rootA.certFile] });
    assert.equal(await connectHttps(s, url), 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    await s.close();
  });

  test('client certificate required, none sent (TLS 1.2) → client-cert-required', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, clientCa: pki.clientCa.cert, maxVersion: 'TLSv1.2' });
    await check(url, { caFiles: [pki.rootA.certFile] }, { connect: /EPROTO|HANDSHAKE_FAILURE/, verdict: 'client-cert-required' });
  });

  test('row 27: client certificate sent → OK', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, clientCa: pki.clientCa.cert });
    const input = { caFiles: [pki.rootA.certFile], clientCerts: [{ source: '--tls-client-cert', certFile: pki.client.certFile, keyFile: pki.client.keyFile }] };
    await check(url, input, { connect: 'OK', verdict: 'ok' });
    const s = store(input);
    assert.equal(await connectHttps(s, url), 'OK', 'the https.Agent presents it too');
    await s.close();
  });

  test('client certificate rejected by the server → client-cert-rejected', async () => {
    const url = await serve({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, clientCa: pki.clientCa.cert });
    // A certificate the server's client CA did not issue.
    const input = { caFiles: [pki.rootA.certFile], clientCerts: [{ source: '--tls-client-cert', certFile: pki.leafB.certFile, keyFile: pki.leafB.key === '' ? '' : pki.leafB.keyFile }] };
    await check(url, input, { connect: /ECONNRESET|UND_ERR_SOCKET|ALERT/, verdict: 'client-cert-rejected' });
  });

  test('row 28: TLS spoken to a plain-HTTP port → not-tls', async () => {
    const http = await startHttpServer();
    servers.push(http);
    const url = http.url.replace('http:', 'https:');
    // Node 20 said EPROTO; Node 24 names the OpenSSL reason.
    await check(url, onlyBundled, { connect: /^(EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)$/, verdict: 'not-tls' });
  });

  test('row 60: connection refused → connection-refused', async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    await check(url, onlyBundled, { connect: 'ECONNREFUSED', verdict: 'connection-refused' });
  });

  test('row 61: name not resolved → name-not-resolved', async () => {
    await check('https://extdns-doctor-test.invalid:8443', onlyBundled, { connect: /ENOTFOUND|EAI_AGAIN/, verdict: 'name-not-resolved' });
  });

  test('plain http:// endpoint: reachable, no TLS needed → ok with a note', async () => {
    const http = await startHttpServer();
    servers.push(http);
    const s = store(onlyBundled);
    const d = await diagnose(http.url, { generation: s.current() }, { clock: new FakeClock(Date.now()) });
    assert.equal(d.verdict, 'ok');
    assert.ok(d.notes.some((n) => /plain HTTP/.test(n)));
    await s.close();
  });
});
