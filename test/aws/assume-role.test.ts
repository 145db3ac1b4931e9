/**
 * --aws-assume-role and --aws-assume-role-external-id end to end: the extdns
 * CLI as a subprocess with an explicit environment (the AWS SDK reads
 * process.env), the STS test server reached through AWS_ENDPOINT_URL_STS and
 * the Route53 test server through AWS_ENDPOINT_URL_ROUTE_53, both behind the
 * private CA given with --tls-ca. Both servers verify SigV4 signatures: STS
 * against the base key, Route53 against the keys STS issued (with their
 * session tokens), so a Route53 call signed with the base key is refused.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createPki, type Pki } from '../support/pki.ts';
import { startRoute53Server, type Route53Server } from '../support/route53-server.ts';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { runExtdnsProcess, type ProcessOutcome } from '../support/extdns-process.ts';

const ZONE = 'assumed.example';
const GOV_ZONE = 'assumed-gov.example';
const ROLE = 'arn:aws:iam::123456789012:role/extdns';
const GOV_ROLE = 'arn:aws-us-gov:iam::123456789012:role/extdns';
const PLAIN_ROLE = 'arn:aws:iam::123456789012:role/extdns-no-external-id';
const EXTERNAL_ID = 'ext-7f3a91';
const BASE_KEY = 'AKIDBASEEXAMPLE';
const BASE_SECRET = 'base-secret-not-real';
const OS_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

let pki: Pki;
let sts: StsServer;
let route53: Route53Server;
let zoneId: string;
let govZoneId: string;
let dir: string;

before(async () => {
  pki = await createPki();
  const tls = { chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key };
  sts = await startStsServer({
    ...tls,
    keys: { [BASE_KEY]: BASE_SECRET },
    roles: [
      { arn: ROLE, externalId: EXTERNAL_ID, principals: [BASE_KEY] },
      { arn: GOV_ROLE, externalId: EXTERNAL_ID, principals: [BASE_KEY] },
      { arn: PLAIN_ROLE, principals: [BASE_KEY] },
    ],
  });
  // Route53 accepts only keys STS issued, each with its own session token.
  route53 = await startRoute53Server({ ...tls, secretOf: (id) => (id === BASE_KEY ? undefined : sts.secretOf(id)) });
  zoneId = route53.addZone(ZONE);
  govZoneId = route53.addZone(GOV_ZONE);
  dir = await mkdtemp(join(tmpdir(), 'extdns-assume-role-'));
  for (const [name, zone] of [['commercial', ZONE], ['gov', GOV_ZONE]] as const) {
    await mkdirFile(join(dir, name, 'records.yaml'), [
      'apiVersion: externaldns.k8s.io/v1alpha1',
      'kind: DNSEndpoint',
      'metadata:',
      `  name: ${name}`,
      '  namespace: default',
      'spec:',
      '  endpoints:',
      `    - dnsName: api.${zone}`,
      '      recordType: A',
      '      targets: [192.0.2.20]',
      '',
    ].join('\n'));
  }
});

after(async () => {
  await route53?.stop();
  await sts?.stop();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function mkdirFile(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

function extdns(argv: readonly string[], env: Record<string, string> = {}): Promise<ProcessOutcome> {
  return runExtdnsProcess(argv, {
    HOME: dir,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: BASE_KEY,
    AWS_SECRET_ACCESS_KEY: BASE_SECRET,
    AWS_ENDPOINT_URL_ROUTE_53: route53.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    SSL_CERT_FILE: OS_BUNDLE,
    ...env,
  });
}

function args(zone: string, sub: string, extra: readonly string[]): string[] {
  return ['--source=manifest', `--manifest-path=${join(dir, sub)}`, '--provider=aws', '--txt-owner-id=assumed', '--policy=sync',
    `--domain-filter=${zone}`, '--once', ...extra];
}

const withCa = (): string => `--tls-ca=${pki.rootA.certFile}`;

function errorLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
}

test('with --aws-assume-role and its external id, every Route53 call is signed with the assumed credentials', async () => {
  const stsBefore = sts.requests.length;
  const r53Before = route53.requests.length;
  const run = await extdns(args(ZONE, 'commercial', [`--aws-assume-role=${ROLE}`, `--aws-assume-role-external-id=${EXTERNAL_ID}`, withCa()]));
  assert.equal(run.code, 0, run.stderr);

  const assumed = sts.requests.slice(stsBefore);
  assert.equal(assumed.length, 1, 'one AssumeRole for the run');
  const call = assumed[0];
  assert.equal(call?.action, 'AssumeRole');
  assert.equal(call?.status, 200);
  assert.equal(call?.params.Version, '2011-06-15');
  assert.equal(call?.params.RoleArn, ROLE);
  assert.equal(call?.params.ExternalId, EXTERNAL_ID);
  assert.equal(call?.params.RoleSessionName, 'external-dns');
  assert.deepEqual([call?.accessKeyId, call?.region, call?.service], [BASE_KEY, 'us-east-1', 'sts'], 'STS is called with the base credentials');

  const issued = sts.issued.at(-1);
  assert.ok(issued !== undefined);
  const calls = route53.requests.slice(r53Before);
  assert.ok(calls.length >= 3, `Route53 was called (${calls.length})`);
  for (const c of calls) {
    assert.equal(c.accessKeyId, issued.accessKeyId, `${c.operation} signed with the assumed key`);
    assert.equal(c.securityToken, issued.sessionToken, `${c.operation} carries the session token`);
    assert.equal(c.status, 200, c.operation);
  }
  const sets = new Map(route53.recordSets(zoneId).map((s) => [`${s.name} ${s.type}`, s]));
  assert.deepEqual(sets.get(`api.${ZONE}. A`)?.values, ['192.0.2.20']);
  assert.ok(sets.has(`a-api.${ZONE}. TXT`), 'the ownership record landed too');

  for (const secret of [BASE_SECRET, issued.secretAccessKey, issued.sessionToken, EXTERNAL_ID]) {
    assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret), 'no secret in the logs');
  }
});

test('a role without an external id condition is assumed without sending one', async () => {
  const stsBefore = sts.requests.length;
  const run = await extdns(args(ZONE, 'commercial', [`--aws-assume-role=${PLAIN_ROLE}`, withCa()]));
  assert.equal(run.code, 0, run.stderr);
  const [call] = sts.requests.slice(stsBefore);
  assert.equal(call?.params.RoleArn, PLAIN_ROLE);
  assert.equal(call?.params.ExternalId, undefined);
  assert.equal(route53.requests.at(-1)?.accessKeyId, sts.issued.at(-1)?.accessKeyId);
});

test('without --aws-assume-role the base credentials sign Route53 calls (and this Route53 refuses them)', async () => {
  const stsBefore = sts.requests.length;
  const run = await extdns(args(ZONE, 'commercial', [withCa()]));
  assert.equal(run.code, 1, run.stderr);
  assert.equal(sts.requests.length, stsBefore, 'no AssumeRole');
  assert.equal(route53.requests.at(-1)?.accessKeyId, BASE_KEY);
  assert.match(errorLine(run.stderr), /EXTDNS_AWS_ACCESS_DENIED/);
});

for (const [what, extra] of [
  ['a wrong external id', [`--aws-assume-role-external-id=not-${EXTERNAL_ID}`]],
  ['no external id', []],
] as const) {
  test(`a refused AssumeRole (${what}) fails with a coded error naming the role, and nothing reaches Route53`, async () => {
    const r53Before = route53.requests.length;
    const stsBefore = sts.requests.length;
    const run = await extdns(args(ZONE, 'commercial', [`--aws-assume-role=${ROLE}`, ...extra, withCa()]));
    assert.equal(run.code, 1, run.stderr);
    const refused = sts.requests.slice(stsBefore);
    assert.ok(refused.length >= 1 && refused.every((r) => r.error === 'AccessDenied'), 'STS answered AccessDenied');
    assert.equal(route53.requests.length, r53Before, 'no Route53 call without credentials');
    const error = errorLine(run.stderr);
    assert.match(error, /EXTDNS_AWS_ASSUME_ROLE/);
    assert.ok(error.includes(ROLE), error);
    assert.match(error, /AccessDenied/);
    assert.match(error, /--aws-assume-role-external-id/, 'the fix names the external id flag');
    assert.ok(!run.stderr.includes(EXTERNAL_ID), 'the external id is not logged');
  });
}

test('GovCloud: the role of partition aws-us-gov is assumed in us-gov-west-1 and its credentials sign Route53 calls', async () => {
  const stsBefore = sts.requests.length;
  const r53Before = route53.requests.length;
  const run = await extdns(args(GOV_ZONE, 'gov', [`--aws-assume-role=${GOV_ROLE}`, `--aws-assume-role-external-id=${EXTERNAL_ID}`, withCa()]),
    { AWS_REGION: 'us-gov-west-1' });
  assert.equal(run.code, 0, run.stderr);
  const [call] = sts.requests.slice(stsBefore);
  assert.equal(call?.params.RoleArn, GOV_ROLE);
  assert.equal(call?.params.ExternalId, EXTERNAL_ID);
  assert.equal(call?.region, 'us-gov-west-1', 'STS signed for the GovCloud region');
  const issued = sts.issued.at(-1);
  const calls = route53.requests.slice(r53Before);
  assert.ok(calls.length > 0);
  assert.ok(calls.every((c) => c.accessKeyId === issued?.accessKeyId && c.securityToken === issued.sessionToken));
  assert.deepEqual(new Map(route53.recordSets(govZoneId).map((s) => [`${s.name} ${s.type}`, s.values])).get(`api.${GOV_ZONE}. A`), ['192.0.2.20']);
});

test('the AssumeRole call trusts what Route53 trusts: without --tls-ca it fails on TLS, naming STS and the fix', async () => {
  const stsBefore = sts.requests.length;
  const r53Before = route53.requests.length;
  const run = await extdns(args(ZONE, 'commercial', [`--aws-assume-role=${ROLE}`, `--aws-assume-role-external-id=${EXTERNAL_ID}`]));
  assert.equal(run.code, 1, run.stderr);
  assert.equal(sts.requests.length, stsBefore, 'no request got through the TLS handshake');
  assert.equal(route53.requests.length, r53Before);
  const error = errorLine(run.stderr);
  assert.match(error, /EXTDNS_AWS_TLS/);
  assert.match(error, /AssumeRole/);
  assert.ok(error.includes(ROLE), error);
  assert.match(error, /--tls-ca/);

  // The private CA from AWS_CA_BUNDLE reaches STS as well.
  const bundled = await extdns(args(ZONE, 'commercial', [`--aws-assume-role=${ROLE}`, `--aws-assume-role-external-id=${EXTERNAL_ID}`]),
    { AWS_CA_BUNDLE: pki.rootA.certFile });
  assert.equal(bundled.code, 0, bundled.stderr);
  assert.equal(sts.requests.at(-1)?.status, 200);
});

test('`extdns doctor` with --aws-assume-role checks the STS endpoint too, with the same trust as Route53', async () => {
  const flags = args(ZONE, 'commercial', [`--aws-assume-role=${ROLE}`]).filter((f) => f !== '--once');
  const ok = await extdns(['doctor', ...flags, withCa()]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^OK +aws {2}https:\/\/127\.0\.0\.1:\d+/m);
  assert.ok(ok.stdout.split('\n').some((l) => l.startsWith('OK') && l.includes('aws-sts') && l.includes(sts.url)), ok.stdout);
  const failing = await extdns(['doctor', ...flags]);
  assert.equal(failing.code, 1);
  assert.ok(failing.stdout.split('\n').some((l) => l.startsWith('FAIL') && l.includes('aws-sts') && l.includes('(unknown-ca)')), failing.stdout);
});

test('the test servers verify signatures: an assumed key with a forged signature is refused', async () => {
  const issued = sts.issued.at(-1);
  assert.ok(issued !== undefined, 'an earlier test assumed the role');
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${route53.url}/2013-04-01/hostedzone`, {
      ca: pki.rootA.cert,
      headers: {
        'x-amz-date': '20261129T000000Z',
        'x-amz-security-token': issued.sessionToken,
        authorization: `AWS4-HMAC-SHA256 Credential=${issued.accessKeyId}/20261129/us-east-1/route53/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(answer.status, 403);
  assert.match(answer.body, /<Code>SignatureDoesNotMatch<\/Code>/);
});
