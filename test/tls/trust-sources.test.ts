/**
 * Trust sources, precedence, modes, the Go-compatible SSL_CERT_* reader,
 * start-up validation and the report.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { startHttpsServer, type TestServer } from '../support/tls-servers.ts';
import { pairClientCert } from '../../src/tls/client-cert.ts';
import { awsNativeTrust } from '../../src/provider/aws/native-trust.ts';
import { etcdNativeTrust } from '../../src/tls/native.ts';
import { warnUnusedTlsFlags } from '../../src/tls/warnings.ts';
import { diagnose } from '../../src/tls/doctor.ts';
import { createKubeDispatcher } from '../../src/tls/kube.ts';
import { request } from 'undici';
import { connect, store } from './helpers.ts';

let pki: Pki;
let privateServer: TestServer;
before(async () => {
  pki = await createPki();
  privateServer = await startHttpsServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
});
after(async () => {
  await privateServer.close();
  await pki.cleanup();
});

const noBundled = { bundledCertificates: () => [] };

describe('precedence and modes', () => {
  test('per-provider CA beats --tls-ca, which beats the provider-native setting; the others are reported as not used', async () => {
    const s = store({
      providerCa: { source: '--pdns-tls-ca', files: [pki.rootA.certFile] },
      caFiles: [pki.rootB.certFile],
      providerNative: { source: 'AWS_CA_BUNDLE', files: [pki.clientCa.certFile] },
    }, noBundled);
    const r = s.report();
    assert.deepEqual(r.sources.map((x) => [x.name, x.count]), [['--pdns-tls-ca', 1], ['--tls-ca', 0], ['AWS_CA_BUNDLE', 0], ['os store', 0], [r.sources[4]?.name, 0]]);
    assert.match(r.sources[1]?.note ?? '', /--pdns-tls-ca takes precedence/);
    assert.equal(r.total, 1);
    assert.ok(s.log.entries.some((e) => e.level === 'warning' && /--tls-ca is set but --pdns-tls-ca takes precedence/.test(e.msg)));
    assert.equal(await connect(s, privateServer.url), 'OK');
    await s.close();
  });

  test('--tls-ca beats AWS_CA_BUNDLE', async () => {
    const s = store({ caFiles: [pki.rootA.certFile], providerNative: { source: 'AWS_CA_BUNDLE', files: [pki.rootB.certFile], mode: 'replace' } });
    assert.equal(s.report().mode, 'append', 'the native mode only applies when the native setting is the one used');
    assert.equal(await connect(s, privateServer.url), 'OK');
    await s.close();
  });

  test('append trusts the CA plus the base set; replace trusts the CA alone', async () => {
    const bundled = [pki.rootB.cert, pki.clientCa.cert];
    const append = store({ caFiles: [pki.rootA.certFile] }, { bundledCertificates: () => bundled });
    assert.equal(append.report().total, 3);
    assert.equal(append.current().caPems.length, 3);
    const replace = store({ caFiles: [pki.rootA.certFile], mode: 'replace' }, { bundledCertificates: () => bundled });
    assert.equal(replace.report().total, 1);
    assert.equal(replace.current().excludedBasePems.length, 2);
    assert.match(replace.report().sources.at(-1)?.note ?? '', /replace mode/);
    assert.equal(await connect(replace, privateServer.url), 'OK');
    await append.close();
    await replace.close();
  });

  test('replace without any CA keeps the base set and says so', async () => {
    const s = store({ mode: 'replace' }, { bundledCertificates: () => [pki.rootA.cert] });
    assert.equal(s.report().total, 1);
    assert.ok(s.log.entries.some((e) => /replace has no effect/.test(e.msg)));
    assert.equal(await connect(s, privateServer.url), 'OK');
    await s.close();
  });

  test('duplicates across sources count once', async () => {
    const s = store({ caFiles: [pki.rootA.certFile] }, { bundledCertificates: () => [pki.rootA.cert.replace(/\n/g, '\r\n')] });
    assert.equal(s.report().total, 1);
    await s.close();
  });

  test('ca_bundle of the AWS shared config profile is honoured when AWS_CA_BUNDLE is not set', async () => {
    const home = join(pki.dir, 'home');
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(join(home, '.aws', 'config'), [
      '[default]', 'region = us-east-1', '',
      '[profile gov]  ; GovCloud', 'region = us-gov-west-1', 'ca_bundle = ~/certs/private-ca.pem', '',
      '[profile other]', 'ca_bundle = /etc/other.pem', '',
    ].join('\n'));
    const config = join(home, '.aws', 'config');
    assert.deepEqual(awsNativeTrust({ home, awsProfile: 'gov' }).providerNative,
      { source: `ca_bundle of profile "gov" in ${config}`, files: [join(home, 'certs', 'private-ca.pem')], mode: 'replace' });
    assert.deepEqual(awsNativeTrust({ home, awsProfile: 'gov' }, 'other').providerNative?.files, ['/etc/other.pem'], '--aws-profile wins over AWS_PROFILE');
    assert.deepEqual(awsNativeTrust({ home }), {}, 'the default profile has no ca_bundle');
    assert.deepEqual(awsNativeTrust({ home, awsProfile: 'gov', awsCaBundle: '/env.pem' }).providerNative?.source, 'AWS_CA_BUNDLE', 'the variable wins, as in the AWS CLI');
    assert.deepEqual(awsNativeTrust({ awsConfigFile: config, awsProfile: 'other' }).providerNative?.files, ['/etc/other.pem'], 'AWS_CONFIG_FILE');
    assert.deepEqual(awsNativeTrust({ home: join(pki.dir, 'nowhere'), awsProfile: 'gov' }), {}, 'no config file');
  });

  test('AWS_CA_BUNDLE replaces the base set like every AWS SDK; ETCD_* map to CA, client cert, server name and insecure', () => {
    assert.deepEqual(awsNativeTrust({ awsCaBundle: '/ca.pem' }).providerNative, { source: 'AWS_CA_BUNDLE', files: ['/ca.pem'], mode: 'replace' });
    assert.deepEqual(awsNativeTrust({}), {});
    const etcd = etcdNativeTrust({ etcdCaFile: '/e/ca', etcdCertFile: '/e/c', etcdKeyFile: '/e/k', etcdTlsServerName: 'etcd.local', etcdTlsInsecure: true });
    assert.deepEqual(etcd, {
      providerNative: { source: 'ETCD_CA_FILE', files: ['/e/ca'] },
      clientCert: { source: 'ETCD_CERT_FILE', certFile: '/e/c', keyFile: '/e/k' },
      serverName: 'etcd.local', skipVerify: { flag: 'ETCD_TLS_INSECURE' },
    });
    assert.throws(() => etcdNativeTrust({ etcdCertFile: '/e/c' }), /ETCD_CERT_FILE is set but ETCD_KEY_FILE is not/);
  });
});

describe('base set read the way Go reads SSL_CERT_FILE and SSL_CERT_DIR', () => {
  test('SSL_CERT_DIR with plain file names (no c_rehash), a ":" list, same-dir hash links skipped, sub-folders ignored', async () => {
    const a = join(pki.dir, 'certdir-a');
    const b = join(pki.dir, 'certdir-b');
    await mkdir(join(a, 'sub'), { recursive: true });
    await mkdir(b, { recursive: true });
    await writeFile(join(a, 'tls-ca-bundle.pem'), pki.rootA.cert);
    await symlink('tls-ca-bundle.pem', join(a, 'abcd1234.0'));
    await writeFile(join(a, 'sub', 'ignored.pem'), pki.clientCa.cert);
    await writeFile(join(a, 'README'), 'not a certificate');
    await writeFile(join(b, 'other.crt'), pki.rootB.cert);
    const s = store({ env: { sslCertDir: `${a}:/does/not/exist:${b}` } }, noBundled);
    const dirSource = s.report().sources.find((x) => x.name === 'SSL_CERT_DIR');
    assert.equal(dirSource?.count, 2, 'root A once (the hash link is skipped) and root B');
    assert.match(dirSource?.note ?? '', /not found: \/does\/not\/exist/);
    assert.equal(await connect(s, privateServer.url), 'OK');
    await s.close();
  });

  test('SSL_CERT_FILE and SSL_CERT_DIR are unioned, not tried in order', async () => {
    const dir = join(pki.dir, 'certdir-union');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'b.pem'), pki.rootB.cert);
    const s = store({ env: { sslCertFile: pki.rootA.certFile, sslCertDir: dir } }, noBundled);
    assert.equal(s.report().total, 2);
    assert.equal(await connect(s, privateServer.url), 'OK');
    await s.close();
  });

  test('a missing SSL_CERT_FILE is skipped silently in Go; here the report says so', async () => {
    const s = store({ env: { sslCertFile: '/nonexistent/ca.pem', sslCertDir: '/nonexistent' } }, noBundled);
    const file = s.report().sources.find((x) => x.name === 'SSL_CERT_FILE');
    assert.equal(file?.count, 0);
    assert.match(file?.note ?? '', /not found/);
    await s.close();
  });

  test('without SSL_CERT_* the OS store is used; NODE_EXTRA_CA_CERTS is read by us', async () => {
    const s = store({ env: { nodeExtraCaCerts: pki.rootA.certFile } }, { systemCertificates: () => [pki.rootB.cert], ...noBundled });
    assert.deepEqual(s.report().sources.map((x) => [x.kind, x.name, x.count]), [['system', 'os store', 1], ['env', 'NODE_EXTRA_CA_CERTS', 1], ['bundled', s.report().sources[2]?.name, 0]]);
    assert.equal(await connect(s, privateServer.url), 'OK');
    await s.close();
  });

  test('GovCloud: SSL_CERT_FILE = the OS bundle, --tls-ca = the private root: connects in append and replace', async () => {
    const env = { sslCertFile: '/etc/ssl/certs/ca-certificates.crt' };
    for (const mode of ['append', 'replace'] as const) {
      const s = store({ env, caFiles: [pki.rootA.certFile], mode });
      assert.equal(await connect(s, privateServer.url), 'OK', mode);
      const r = s.report();
      assert.equal(r.sources[0]?.name, '--tls-ca');
      assert.equal(r.sources[0]?.certificates?.[0]?.subject, 'O=extdns tests, CN=extdns test root A');
      if (mode === 'append') assert.ok(r.total > 100, 'public roots stay trusted');
      else assert.equal(r.total, 1);
      await s.close();
    }
  });

  test('GovCloud without --tls-ca: fails, and doctor names the private root and the sources searched', async () => {
    const s = store({ env: { sslCertFile: '/etc/ssl/certs/ca-certificates.crt' } });
    assert.equal(await connect(s, privateServer.url), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    const d = await diagnose(privateServer.url, { generation: s.current() }, { clock: new FakeClock(Date.now()) });
    assert.equal(d.verdict, 'unknown-ca');
    assert.match(d.findings[0]?.message ?? '', /"O=extdns tests, CN=extdns test root A" is not in the trust set \(searched: SSL_CERT_FILE \(\d+\), default CA folders \(\d+\), node [\d.]+ bundled \(\d+\)\)/);
    assert.match(d.findings[0]?.fix ?? '', /--tls-ca/);
    await s.close();
  });
});

describe('start-up validation', () => {
  const bad = async (name: string, text: string | Buffer): Promise<string> => {
    const path = join(pki.dir, name);
    await writeFile(path, text);
    return path;
  };
  const refused = (files: string[], pattern: RegExp): void => {
    assert.throws(() => store({ caFiles: files }), (err: unknown) => {
      assert.ok(ExtdnsError.is(err));
      assert.equal(err.code, 'EXTDNS_TLS_CA_FILE');
      assert.match(err.message, pattern);
      assert.ok(err.message.includes(files[0] ?? ''), 'names the file');
      return true;
    });
  };

  test('empty, missing, not PEM, DER, private key, non-CA certificate, empty folder: refused with the file and the fix', async () => {
    refused([await bad('empty.pem', '  \n')], /is empty/);
    refused(['/nonexistent/ca.pem'], /cannot be read \(no such file\)/);
    refused([await bad('text.pem', 'hello')], /not a PEM certificate file/);
    refused([await bad('der.crt', new X509Certificate(pki.rootA.cert).raw)], /openssl x509 -inform der/);
    refused([await bad('with-key.pem', pki.rootA.cert + pki.rootA.key)], /holds a private key/);
    refused([pki.leaf.certFile], /not a CA certificate.*pass the CA that issued it \("CN=extdns test intermediate A1"\)/);
    const emptyDir = join(pki.dir, 'empty-dir');
    await mkdir(emptyDir, { recursive: true });
    refused([emptyDir], /holds no files/);
    refused([await bad('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')], /cannot be parsed/);
  });

  test('text after the last PEM block (a cut-off certificate, stray text) is refused, saying what and on which line', async () => {
    const lines = pki.rootA.cert.trimEnd().split('\n').length;
    refused([await bad('trailing.pem', `${pki.rootA.cert.trimEnd()}\n\ngarbage here\n`)],
      new RegExp(`12 bytes after its last PEM block, from line ${lines + 2}: "garbage here"`));
    const half = pki.rootA.cert.slice(0, Math.floor(pki.rootA.cert.length / 2));
    refused([await bad('cut.pem', `${pki.rootA.cert}${half}`)], /from line \d+: "-----BEGIN CERTIFICATE-----" \(a PEM block that never ends/);
    // Comments before and between blocks, and trailing blank lines, are fine (Mozilla bundles carry `# Issuer:` lines).
    const commented = store({ caFiles: [await bad('commented.pem', `# Issuer: root A\n${pki.rootA.cert}\n\n  \n`)] });
    assert.equal(commented.report().sources[0]?.certificates?.length, 1);
    await commented.close();
  });

  test('a self-signed server certificate may be pinned although it is not a CA', async () => {
    const s = store({ caFiles: [pki.selfSigned.certFile] });
    assert.equal(s.report().sources[0]?.certificates?.[0]?.selfSigned, true);
    await s.close();
  });

  test('CA expiring within 30 days or expired: warning with the date; clock is injected', async () => {
    const notAfter = Date.parse(new X509Certificate(pki.rootA.cert).validTo);
    const soon = store({ caFiles: [pki.rootA.certFile] }, { clock: new FakeClock(notAfter - 10 * 86_400_000) });
    assert.ok(soon.log.entries.some((e) => e.level === 'warning' && /expires on .* \(in 10 days\)/.test(e.msg)), soon.log.text());
    const late = store({ caFiles: [pki.rootA.certFile] }, { clock: new FakeClock(notAfter + 5 * 86_400_000) });
    assert.ok(late.log.entries.some((e) => e.level === 'warning' && /expired on .*\(5 days ago\)/.test(e.msg)));
    const fine = store({ caFiles: [pki.rootA.certFile] });
    assert.ok(!fine.log.entries.some((e) => e.level === 'warning'));
    await Promise.all([soon.close(), late.close(), fine.close()]);
  });

  test('an intermediate without its root is warned about at start-up', async () => {
    const s = store({ caFiles: [pki.intermediateA1.certFile] });
    assert.ok(s.log.entries.some((e) => e.level === 'warning' && /is an intermediate.*root A/.test(e.msg)));
    await s.close();
  });

  test('client certificate: both or neither, and the key must belong to the certificate', () => {
    assert.equal(pairClientCert({ certFlag: '--tls-client-cert', keyFlag: '--tls-client-cert-key' }), undefined);
    assert.throws(() => pairClientCert({ certFlag: '--tls-client-cert', certFile: '/c', keyFlag: '--tls-client-cert-key', keyFile: '' }),
      /--tls-client-cert is set but --tls-client-cert-key is not/);
    const mismatch = [{ source: '--tls-client-cert', certFile: pki.client.certFile, keyFile: pki.leaf.keyFile }];
    assert.throws(() => store({ clientCerts: mismatch }), (err: unknown) => {
      assert.ok(ExtdnsError.is(err));
      assert.equal(err.code, 'EXTDNS_TLS_CLIENT_CERT');
      assert.match(err.message, /does not belong to client certificate/);
      assert.doesNotMatch(err.message, /ERR_OSSL/);
      return true;
    });
    const garbageKey = [{ source: '--tls-client-cert', certFile: pki.client.certFile, keyFile: pki.rootA.certFile }];
    assert.throws(() => store({ clientCerts: garbageKey }), /is not a readable private key/);
  });

  test('skip-verify connects to anything and is warned about at every start', async () => {
    const s = store({ skipVerify: { flag: '--pdns-skip-tls-verify' } }, noBundled);
    assert.ok(s.log.entries.some((e) => e.level === 'warning' && /--pdns-skip-tls-verify is set.*NOT verified/.test(e.msg)));
    assert.equal(await connect(s, privateServer.url), 'OK');
    await s.close();
  });

  test('NODE_TLS_REJECT_UNAUTHORIZED=0 is warned about and does not turn verification off', async () => {
    const s = store({ env: { nodeTlsRejectUnauthorized: '0' } }, noBundled);
    assert.ok(s.log.entries.some((e) => e.level === 'warning' && /NODE_TLS_REJECT_UNAUTHORIZED=0 is set; extdns ignores it/.test(e.msg)));
    assert.equal(await connect(s, privateServer.url), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    await s.close();
  });

  test('the Kubernetes API dispatcher uses the kubeconfig CA alone (client-go rules)', async () => {
    const withCa = createKubeDispatcher({ caPem: pki.rootA.cert });
    const res = await request(privateServer.url, { dispatcher: withCa });
    assert.equal(res.statusCode, 200);
    await res.body.text();
    const wrongCa = createKubeDispatcher({ caPem: pki.rootB.cert });
    await assert.rejects(request(privateServer.url, { dispatcher: wrongCa }), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    await Promise.all([withCa.close(), wrongCa.close()]);
  });

  test('TLS flags the chosen provider does not use are warned about', () => {
    assert.deepEqual(warnUnusedTlsFlags('pdns', true, { tlsCa: ['/ca.pem'] }), []);
    const w = warnUnusedTlsFlags('inmemory', false, { tlsCa: ['/ca.pem'], tlsClientCert: '/c', tlsClientCertKey: '/k', tlsCaMode: 'replace' });
    assert.equal(w.length, 4);
    assert.match(w[0] ?? '', /--tls-ca=\/ca.pem is set but provider "inmemory" makes no TLS connection/);
    assert.deepEqual(warnUnusedTlsFlags('inmemory', false, { tlsCa: [], tlsCaMode: 'append' }), []);
  });
});

describe('start-up report', () => {
  test('one log entry per connection: endpoint, mode, sources with counts, each explicit cert', async () => {
    const s = store({ name: 'pdns', endpoint: 'https://pdns.example:8081', caFiles: [pki.rootA.certFile],
      clientCerts: [{ source: '--tls-client-cert', certFile: pki.client.certFile, keyFile: pki.client.keyFile }] }, noBundled);
    const entries = s.log.entries.filter((e) => e.msg === 'TLS trust');
    assert.equal(entries.length, 1);
    const f = entries[0]?.fields ?? {};
    assert.equal(f['connection'], 'pdns');
    assert.equal(f['endpoint'], 'https://pdns.example:8081');
    assert.equal(f['mode'], 'append');
    assert.match(String(f['sources']), new RegExp(`flag --tls-ca=${pki.rootA.certFile} \\(1 cert\\)`));
    const fp = new X509Certificate(pki.rootA.cert).fingerprint256;
    assert.match(String((f['certificates'] as string[])[0]), new RegExp(`subject="O=extdns tests, CN=extdns test root A" issuer=".*" sha256=${fp} expires=`));
    assert.match(String(f['clientCert']), /--tls-client-cert: subject="CN=extdns client"/);
    await s.close();
  });
});
