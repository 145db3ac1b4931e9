/**
 * Every command (run, plan, trust, doctor, webhook) with a planted secret in
 * every secret-bearing flag, URL and variable: the secret flags, passwords in
 * --pdns-server and --webhook-provider-url, proxy URLs (HTTPS_PROXY,
 * HTTP_PROXY, the kubeconfig's proxy-url), the kubeconfig token, the AWS,
 * Cloudflare and EXTERNAL_DNS_* variables. Each command runs at trace level against servers
 * that refuse (so error paths print too); the test fails if any secret
 * appears in anything written to stdout or stderr.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FLAGS, type FlagDef } from '../../src/config/schema.ts';
import type { Clock } from '../../src/util/clock.ts';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { closedPort } from '../support/tls-servers.ts';

const SECRET = {
  pdnsKey: 'S1-pdns-key-9a7c', externalId: 'S2-external-id-51b', aesKey: 'S3-aes-key-0123456789abcdef01234', godaddyKey: 'S4-godaddy-key',
  godaddySecret: 'S5-godaddy-secret', exoKey: 'S6-exo-key', exoSecret: 'S7-exo-secret', tsig: 'S8-tsig-secret', kerberos: 'S9-kerberos-pw',
  pihole: 'S10-pihole-pw', pdnsUrlPw: 'S11-pdns-url-pw', webhookUrlPw: 'S12-webhook-url-pw', httpsProxyPw: 'S13-https-proxy-pw',
  httpProxyPw: 'S14-http-proxy-pw', kubeProxyPw: 'S15-kube-proxy-pw', kubeToken: 'S16-kube-token', awsSecret: 'S17-aws-secret-access-key',
  awsSession: 'S18-aws-session-token', envPdnsKey: 'S19-env-pdns-key', envAes: 'S20-env-aes-key-0123456789abcdef',
  cfToken: 'S21-cf-api-token', cfKey: 'S22-cf-api-key',
};

const SECRET_FLAGS = [
  `--pdns-api-key=${SECRET.pdnsKey}`, `--aws-assume-role-external-id=${SECRET.externalId}`, `--txt-encrypt-aes-key=${SECRET.aesKey}`,
  `--godaddy-api-key=${SECRET.godaddyKey}`, `--godaddy-api-secret=${SECRET.godaddySecret}`, `--exoscale-apikey=${SECRET.exoKey}`,
  `--exoscale-apisecret=${SECRET.exoSecret}`, `--rfc2136-tsig-secret=${SECRET.tsig}`, `--rfc2136-kerberos-password=${SECRET.kerberos}`,
  `--pihole-password=${SECRET.pihole}`,
];

/** The clock's sleeps return at once: retries and backoffs do not slow the test. */
const instant: Clock = { now: () => Date.now(), sleep: () => Promise.resolve() };

let refusing: Server;
let port: number;
let dead: number;
let dir: string;
let env: Record<string, string>;

before(async () => {
  refusing = createServer((req, res) => {
    req.resume();
    res.writeHead(req.url?.startsWith('/api') === true ? 401 : 500, { 'content-type': 'application/json' });
    res.end('{"error":"refused"}');
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  port = (refusing.address() as AddressInfo).port;
  dead = await closedPort();
  dir = mkdtempSync(join(tmpdir(), 'extdns-secrets-'));
  writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: externaldns.k8s.io/v1alpha1\nkind: DNSEndpoint\nmetadata: {name: a, namespace: default}\nspec:\n  endpoints:\n    - {dnsName: a.example.org, recordType: A, targets: [192.0.2.1]}\n');
  writeFileSync(join(dir, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    `clusters: [{name: k, cluster: {server: "https://127.0.0.1:${dead}", proxy-url: "http://kp:${SECRET.kubeProxyPw}@127.0.0.1:${dead}"}}]`,
    `users: [{name: u, user: {token: ${SECRET.kubeToken}}}]`,
    'contexts: [{name: c, context: {cluster: k, user: u}}]', '',
  ].join('\n'));
  env = {
    HOME: dir, KUBECONFIG: join(dir, 'kubeconfig'),
    HTTPS_PROXY: `http://hp:${SECRET.httpsProxyPw}@127.0.0.1:${dead}`, HTTP_PROXY: `http://p:${SECRET.httpProxyPw}@127.0.0.1:${dead}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET.awsSecret, AWS_SESSION_TOKEN: SECRET.awsSession, AWS_REGION: 'us-east-1',
    EXTERNAL_DNS_PDNS_API_KEY: SECRET.envPdnsKey, EXTERNAL_DNS_TXT_ENCRYPT_AES_KEY: SECRET.envAes,
    CF_API_TOKEN: SECRET.cfToken, CF_API_KEY: SECRET.cfKey,
  };
});

after(async () => {
  await new Promise<void>((resolve) => refusing.close(() => { resolve(); }));
  rmSync(dir, { recursive: true, force: true });
});

function run(argv: readonly string[], stopAfterMs?: number): Promise<{ code: number; out: string }> {
  return runExtdnsInProcess(argv, env, { clock: instant, ...(stopAfterMs === undefined ? {} : { stopAfterMs }) });
}

function assertNoSecret(what: string, out: string): void {
  for (const [name, value] of Object.entries(SECRET)) assert.ok(!out.includes(value), `${what}: ${name} appears in the output:\n${out}`);
}

const pdns = (): string[] => ['--provider=pdns', `--pdns-server=http://admin:${SECRET.pdnsUrlPw}@127.0.0.1:${port}`];
const webhook = (): string[] => ['--provider=webhook', `--webhook-provider-url=http://hook:${SECRET.webhookUrlPw}@127.0.0.1:${port}`];
const common = (): string[] => ['--source=manifest', `--manifest-path=${dir}`, '--policy=sync', '--txt-owner-id=o', '--log-level=trace', ...SECRET_FLAGS];

test('every secret flag of the schema is planted', () => {
  const planted = SECRET_FLAGS.map((f) => f.slice(2, f.indexOf('=')));
  assert.deepEqual(planted.sort(), (FLAGS as readonly FlagDef[]).filter((f) => f.secret === true).map((f) => f.name).sort());
});

test('run and plan (pdns and webhook, text and json logs): no secret in any output', async () => {
  for (const provider of [pdns(), webhook()]) {
    for (const format of ['text', 'json']) {
      const once = await run([...common(), ...provider, '--once', `--log-format=${format}`]);
      assert.equal(once.code, 1, once.out);
      assert.match(once.out, /refused|401|500/, 'the provider refused, so error paths printed');
      assertNoSecret(`run ${provider[0] ?? ''} ${format}`, once.out);
      const plan = await run(['plan', ...common(), ...provider, `--log-format=${format}`]);
      assertNoSecret(`plan ${provider[0] ?? ''} ${format}`, plan.out);
    }
  }
});

test('trust and doctor, with the run flags (Kubernetes API through the kubeconfig proxy-url) and standalone: no secret', async () => {
  for (const provider of [pdns(), webhook()]) {
    const trust = await run(['trust', ...common(), '--source=service', ...provider, '--output=json']);
    assert.match(trust.out, /kubernetes/, 'the Kubernetes API connection is reported');
    assert.match(trust.out, /bearer token/, 'its credential kind is named');
    assertNoSecret(`trust ${provider[0] ?? ''}`, trust.out);
    const doctor = await run(['doctor', ...common(), '--source=service', ...provider, `--endpoint=https://u:${SECRET.pdnsUrlPw}@127.0.0.1:${dead}`]);
    assert.equal(doctor.code, 1, doctor.out);
    assertNoSecret(`doctor ${provider[0] ?? ''}`, doctor.out);
  }
  const standalone = await run(['doctor', `--endpoint=https://u:${SECRET.pdnsUrlPw}@example.invalid:1`, '--log-level=trace']);
  assertNoSecret('standalone doctor', standalone.out);
  const bare = await run(['trust', '--log-level=trace']);
  assert.equal(bare.code, 0, bare.out);
  assertNoSecret('standalone trust', bare.out);
});

test('webhook server command: no secret in its output', async () => {
  const served = await run(['webhook', ...common(), ...pdns(), '--webhook-server-address=127.0.0.1:0', '--webhook-server-metrics-address=127.0.0.1:0'], 300);
  assert.match(served.out, /config/);
  assertNoSecret('webhook', served.out);
});
