/**
 * The GovCloud story end to end: the extdns CLI, as a subprocess with an
 * explicit environment (so the AWS SDK reads region, credentials and
 * AWS_ENDPOINT_URL_ROUTE_53 the way it does in a pod), against the Route53
 * test server behind a private CA.
 *
 * - region us-gov-west-1, SSL_CERT_FILE at the OS bundle, --tls-ca at the
 *   private root: the sync lands, the start-up trust log names the CA;
 * - without --tls-ca: the run fails saying the issuer is unknown and what to
 *   do, and `extdns doctor` names the missing CA;
 * - AWS_CA_BUNDLE, else the profile's ca_bundle, is honoured when --tls-ca is absent, and --tls-ca wins.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createPki, type Pki } from '../support/pki.ts';
import type { Route53Server } from '../support/route53-server.ts';
import { startServer } from './harness.ts';
import { runExtdnsProcess, type ProcessOutcome } from '../support/extdns-process.ts';

const ZONE = 'gov.example';
const OS_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

let pki: Pki;
let server: Route53Server;
let zoneId: string;
let dir: string;

before(async () => {
  pki = await createPki();
  server = await startServer(pki);
  zoneId = server.addZone(ZONE);
  dir = await mkdtemp(join(tmpdir(), 'extdns-govcloud-'));
  await writeFile(join(dir, 'records.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1',
    'kind: DNSEndpoint',
    'metadata:',
    '  name: gov-api',
    '  namespace: default',
    'spec:',
    '  endpoints:',
    `    - dnsName: api.${ZONE}`,
    '      recordType: A',
    '      targets: [192.0.2.10]',
    `    - dnsName: portal.${ZONE}`,
    '      recordType: CNAME',
    '      targets: [internal-portal-123.us-gov-west-1.elb.amazonaws.com]',
    '',
  ].join('\n'));
});

after(async () => {
  await server?.stop();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function extdns(argv: readonly string[], env: Record<string, string> = {}): Promise<ProcessOutcome> {
  return runExtdnsProcess(argv, {
    HOME: dir,
    AWS_REGION: 'us-gov-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEGOV',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_ENDPOINT_URL_ROUTE_53: server.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    SSL_CERT_FILE: OS_BUNDLE,
    ...env,
  });
}

const base = (): string[] => ['--source=manifest', `--manifest-path=${dir}`, '--provider=aws', '--txt-owner-id=gov', '--policy=sync', `--domain-filter=${ZONE}`, '--once'];

function trustLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.includes('msg="TLS trust"')) ?? '';
}

test('GovCloud: OS bundle in SSL_CERT_FILE, private CA in --tls-ca: the sync lands and the trust log names the CA', async () => {
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(run.code, 0, run.stderr);
  const sets = new Map(server.recordSets(zoneId).map((s) => [`${s.name} ${s.type}`, s]));
  assert.deepEqual(sets.get(`api.${ZONE}. A`)?.values, ['192.0.2.10']);
  assert.equal(sets.get(`portal.${ZONE}. A`)?.alias?.hostedZoneId, 'Z33AYJ8TM3BH4J', 'GovCloud ELB canonical zone');
  assert.ok(sets.has(`a-api.${ZONE}. TXT`));

  const line = trustLine(run.stderr);
  const root = new X509Certificate(pki.rootA.cert);
  assert.match(line, /connection=aws/);
  assert.ok(line.includes(`endpoint="${server.url}"`), line); // logrus quotes values with ":"
  assert.ok(line.includes(`flag --tls-ca=${pki.rootA.certFile} (1 cert)`), line);
  assert.ok(line.includes('CN=extdns test root A'), line);
  assert.ok(line.includes(root.fingerprint256), line);
  assert.ok(line.includes(`env SSL_CERT_FILE=${OS_BUNDLE}`), line);
  assert.ok(!run.stderr.includes('not-a-real-secret'));

  const writes = server.count('ChangeResourceRecordSets');
  const again = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(server.count('ChangeResourceRecordSets'), writes, 'a second sync writes nothing');
});

test('without --tls-ca the run fails, naming the unknown issuer and the fix, and nothing reaches Route53', async () => {
  const before = server.requests.length;
  const run = await extdns(base());
  assert.equal(run.code, 1, run.stderr);
  const error = run.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_AWS_TLS/);
  assert.match(error, /unable to get local issuer certificate/);
  assert.match(error, /--tls-ca/);
  assert.match(error, /extdns doctor/);
  assert.equal(server.requests.length, before);
});

test('without --tls-ca, `extdns doctor` names the missing CA of the Route53 endpoint', async () => {
  const doctor = await extdns(['doctor', ...base()]);
  assert.equal(doctor.code, 1, doctor.stdout + doctor.stderr);
  assert.match(doctor.stdout, /^FAIL aws {2}https:\/\/127\.0\.0\.1:\d+ {2}\(unknown-ca\)/m);
  assert.match(doctor.stdout, /the server's CA "O=extdns tests, CN=extdns test root A" is not in the trust set/);
  assert.match(doctor.stdout, /fix: +add the certificate of "O=extdns tests, CN=extdns test root A" \(PEM\) with --tls-ca/);
});

test('AWS_CA_BUNDLE is honoured when --tls-ca is not given', async () => {
  const run = await extdns(base(), { AWS_CA_BUNDLE: pki.rootA.certFile });
  assert.equal(run.code, 0, run.stderr);
  const line = trustLine(run.stderr);
  assert.ok(line.includes('AWS_CA_BUNDLE'), line);
  assert.ok(line.includes('CN=extdns test root A'), line);
});

test('ca_bundle in the AWS shared config profile is honoured too (the JS SDK ignores it, extdns does not)', async () => {
  const config = join(dir, 'aws-config');
  // With AWS_PROFILE set the SDK takes the credentials from that profile too.
  await writeFile(config, `[profile gov]\nregion = us-gov-west-1\naws_access_key_id = AKIDEXAMPLEGOV\naws_secret_access_key = not-a-real-secret\nca_bundle = ${pki.rootA.certFile}\n`);
  const run = await extdns(base(), { AWS_CONFIG_FILE: config, AWS_PROFILE: 'gov' });
  assert.equal(run.code, 0, run.stderr);
  const line = trustLine(run.stderr);
  assert.ok(line.includes('ca_bundle of profile \\"gov\\"'), line);
  assert.ok(line.includes('CN=extdns test root A'), line);
});

test('--tls-ca takes precedence over AWS_CA_BUNDLE', async () => {
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`], { AWS_CA_BUNDLE: pki.rootB.certFile });
  assert.equal(run.code, 0, run.stderr);
  const wrong = await extdns(base(), { AWS_CA_BUNDLE: pki.rootB.certFile });
  assert.equal(wrong.code, 1, 'a bundle with the wrong CA fails');
  assert.match(wrong.stderr, /EXTDNS_AWS_TLS/);
});
