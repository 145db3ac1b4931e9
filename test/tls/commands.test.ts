/** `extdns trust` and `extdns doctor` command implementations (src/cli/trust.ts, src/cli/doctor.ts). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { runTrustCommand } from '../../src/cli/trust.ts';
import { runDoctorCommand } from '../../src/cli/doctor.ts';
import { trustSpecFor } from '../../src/tls/spec.ts';
import { awsNativeTrust } from '../../src/provider/aws/native-trust.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { startHttpsServer, type TestServer } from '../support/tls-servers.ts';
import { spec } from './helpers.ts';

let pki: Pki;
let good: TestServer;
let expired: TestServer;
before(async () => {
  pki = await createPki();
  good = await startHttpsServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
  expired = await startHttpsServer({ chain: pki.chain(pki.expired, pki.intermediateA1), key: pki.expired.key });
});
after(async () => {
  await Promise.all([good.close(), expired.close()]);
  await pki.cleanup();
});

function deps() {
  let out = '';
  return {
    deps: { write: (t: string) => { out += t; }, clock: new FakeClock(Date.now()), logger: captureLogger().logger,
      trust: { systemCertificates: () => [], bundledCertificates: () => [pki.rootB.cert] } },
    out: () => out,
  };
}

describe('extdns trust', () => {
  test('table: per connection the mode, sources with counts and each explicit certificate', async () => {
    const d = deps();
    const code = await runTrustCommand({ output: 'table', connections: [spec({ name: 'pdns', endpoint: good.url, caFiles: [pki.rootA.certFile] })] }, d.deps);
    assert.equal(code, 0);
    const text = d.out();
    assert.match(text, new RegExp(`^pdns → ${good.url.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.match(text, /mode: append {4}trusted certificates: 2/);
    assert.match(text, /--tls-ca +flag +\S+rootA\.crt +1/);
    assert.ok(text.includes(new X509Certificate(pki.rootA.cert).fingerprint256));
  });

  test('json, and a connection with an invalid CA file fails the command', async () => {
    const d = deps();
    const code = await runTrustCommand({ output: 'json', connections: [
      spec({ name: 'aws', caFiles: [pki.rootA.certFile], mode: 'replace' }),
      spec({ name: 'pdns', caFiles: [pki.leaf.keyFile] }),
    ] }, d.deps);
    assert.equal(code, 1);
    const parsed = JSON.parse(d.out()) as [{ name: string; mode: string; total: number }, { name: string; error: string }];
    assert.equal(parsed[0].name, 'aws');
    assert.equal(parsed[0].mode, 'replace');
    assert.equal(parsed[0].total, 1);
    assert.match(parsed[1].error, /EXTDNS_TLS_CA_FILE: --tls-ca .*leaf\.key holds a private key/);
  });
});

describe('extdns doctor', () => {
  test('prints OK or the problem and its fix per endpoint; exit 1 when any fails', async () => {
    const d = deps();
    const connections = [
      trustSpecFor({ name: 'pdns', endpoint: good.url, flags: { tlsCa: [pki.rootA.certFile], tlsCaMode: 'append' }, env: {} }),
      trustSpecFor({ name: 'webhook', endpoint: expired.url, flags: { tlsCa: [pki.rootA.certFile], tlsCaMode: 'append' }, env: {} }),
    ];
    const code = await runDoctorCommand({ output: 'table', connections }, d.deps);
    assert.equal(code, 1);
    const text = d.out();
    assert.match(text, new RegExp(`^OK   pdns  ${good.url.replace(/[.]/g, '\\.')}  TLSv1\\.3  127\\.0\\.0\\.1$`, 'm'));
    assert.match(text, /^FAIL webhook .*\(expired\)/m);
    assert.match(text, /problem: certificate "expired" expired on/);
    assert.match(text, /fix: +renew the certificate/);
  });

  test('all pass → exit 0; --endpoint URLs use the global flags; json output', async () => {
    const d = deps();
    const endpointSpec = trustSpecFor({ name: 'endpoint', flags: { tlsCa: [pki.rootA.certFile], tlsCaMode: 'replace' }, env: {} });
    const code = await runDoctorCommand({ output: 'json', connections: [], endpoints: [good.url], endpointSpec }, d.deps);
    assert.equal(code, 0);
    const [r] = JSON.parse(d.out()) as [{ ok: boolean; verdict: string; trust: { mode: string; total: number; sources: string[] }; chain: { subject: string }[] }];
    assert.equal(r.ok, true);
    assert.equal(r.verdict, 'ok');
    assert.equal(r.trust.mode, 'replace');
    assert.equal(r.trust.total, 1);
    assert.match(r.trust.sources[0] ?? '', /^flag --tls-ca=\S+rootA\.crt \(1 cert\)$/);
    assert.equal(r.chain[0]?.subject, 'CN=leaf');
  });

  test('AWS_CA_BUNDLE (replace, like the AWS SDKs) that lacks the server CA → unknown CA with a hint that replace left it out', async () => {
    const d = deps();
    // The server's root is among the "system" roots here; AWS_CA_BUNDLE holds only root B.
    const withRootA = { ...d.deps, trust: { systemCertificates: () => [], bundledCertificates: () => [pki.rootA.cert] } };
    const connections = [trustSpecFor({ name: 'aws', endpoint: good.url, flags: { tlsCa: [], tlsCaMode: 'append' }, env: {},
      native: awsNativeTrust({ awsCaBundle: pki.rootB.certFile }) })];
    const code = await runDoctorCommand({ output: 'table', connections }, withRootA);
    assert.equal(code, 1);
    assert.match(d.out(), /\(unknown-ca\)/);
    assert.match(d.out(), /IS in the system\/Node roots, which --tls-ca-mode=replace left out/);
  });

  test('invalid trust settings are a failed check, not a crash', async () => {
    const d = deps();
    const code = await runDoctorCommand({ output: 'table', connections: [spec({ name: 'pdns', endpoint: good.url, caFiles: ['/nonexistent.pem'] })] }, d.deps);
    assert.equal(code, 1);
    assert.match(d.out(), /FAIL pdns .*\(invalid-trust-settings\)/);
    assert.match(d.out(), /\/nonexistent\.pem cannot be read/);
  });

  test('skip-verify: reported, and does not fail the check', async () => {
    const d = deps();
    const connections = [trustSpecFor({ name: 'pdns', endpoint: expired.url, flags: { tlsCa: [], tlsCaMode: 'append' }, env: {},
      provider: { skipVerifyFlag: '--pdns-skip-tls-verify' } })];
    assert.equal(await runDoctorCommand({ output: 'table', connections }, d.deps), 0);
    assert.match(d.out(), /note: --pdns-skip-tls-verify is set/);
    assert.match(d.out(), /problem: certificate "expired" expired/);
  });
});
