import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../errors/errors.ts';
import { parseConfig } from './parse.ts';
import type { Config } from './schema.ts';
import { assertValidConfig, validateConfig } from './validate.ts';
import { selectorProblem } from './selector-syntax.ts';

const SUPPORTED = { sources: ['service', 'manifest'], providers: ['inmemory', 'rfc2136', 'webhook', 'pdns', 'zonefile', 'azure'], registries: ['txt', 'noop'] };

function config(...args: string[]): Config {
  return parseConfig(['--source=service', '--provider=inmemory', '--policy=upsert-only', ...args], {}, SUPPORTED);
}

function flagsOf(c: Config): string[][] {
  return validateConfig(c).map((i) => [...i.flags]);
}

test('a default config is valid', () => {
  assert.deepEqual(validateConfig(config()), []);
});

const cases: { name: string; args: string[]; flags: string[]; message: RegExp }[] = [
  { name: 'ignore-hostname-annotation needs fqdn-template', args: ['--ignore-hostname-annotation'],
    flags: ['ignore-hostname-annotation', 'fqdn-template'], message: /needs --fqdn-template/ },
  { name: 'prefix and suffix exclude each other', args: ['--txt-prefix=p-', '--txt-suffix=-s'],
    flags: ['txt-prefix', 'txt-suffix'], message: /cannot be used together/ },
  { name: 'annotation prefix ends with /', args: ['--annotation-prefix=example.com'], flags: ['annotation-prefix'],
    message: /must end with '\/', e\.g\. example\.com\// },
  { name: 'annotation prefix not empty', args: ['--annotation-prefix='], flags: ['annotation-prefix'], message: /cannot be empty/ },
  { name: 'qps > 0', args: ['--kube-api-qps=0'], flags: ['kube-api-qps'], message: /greater than 0/ },
  { name: 'burst > 0', args: ['--kube-api-burst=-1'], flags: ['kube-api-burst'], message: /greater than 0/ },
  { name: 'create-ptr needs PTR', args: ['--create-ptr'], flags: ['create-ptr', 'managed-record-types'], message: /needs PTR/ },
  { name: 'client cert without key', args: ['--tls-client-cert=/c.pem'], flags: ['tls-client-cert', 'tls-client-cert-key'],
    message: /both for mutual TLS, or neither/ },
  { name: 'client key without cert', args: ['--tls-client-cert-key=/k.pem'], flags: ['tls-client-cert', 'tls-client-cert-key'],
    message: /go together/ },
  { name: 'label filter syntax', args: ['--label-filter=a=b=c'], flags: ['label-filter'], message: /not a valid label selector/ },
  { name: 'annotation filter refuses >', args: ['--annotation-filter=a>1'], flags: ['annotation-filter'], message: /not allowed/ },
  { name: 'empty owner id', args: ['--txt-owner-id='], flags: ['txt-owner-id'], message: /cannot be empty/ },
  { name: 'owner id with a comma', args: ['--txt-owner-id=c1,prod'], flags: ['txt-owner-id'], message: /comma/ },
  { name: 'owner id with = and "', args: ['--txt-owner-id=a="b'], flags: ['txt-owner-id'], message: /equals sign and a double quote/ },
  { name: 'owner id with white space', args: ['--txt-owner-id=a b'], flags: ['txt-owner-id'], message: /white space/ },
  { name: 'owner id with a newline', args: ['--txt-owner-id=a\nb'], flags: ['txt-owner-id'], message: /white space and a control/ },
  { name: 'owner id with a NUL', args: ['--txt-owner-id=a\u0000b'], flags: ['txt-owner-id'], message: /control/ },
  { name: 'old owner id too', args: ['--migrate-from-txt-owner=x,y'], flags: ['migrate-from-txt-owner'], message: /comma/ },
  { name: 'encryption needs a 32-byte key', args: ['--txt-encrypt-enabled', '--txt-encrypt-aes-key=short'],
    flags: ['txt-encrypt-enabled', 'txt-encrypt-aes-key'], message: /32 bytes/ },
  { name: 'CIDR', args: ['--target-net-filter=10.0.0.0/33'], flags: ['target-net-filter'], message: /not a network in CIDR form/ },
  { name: 'regex', args: ['--regex-domain-filter=(a'], flags: ['regex-domain-filter'], message: /not a valid regular expression/ },
  { name: 'events-emit reasons', args: ['--events-emit=RecordReady', '--events-emit=Oops'], flags: ['events-emit'], message: /Oops/ },
  { name: 'ingress-class vs annotation filter', args: ['--ingress-class=nginx', '--annotation-filter=kubernetes.io/ingress.class=nginx'],
    flags: ['ingress-class', 'annotation-filter'], message: /keep only --ingress-class/ },
  { name: 'manifest source needs paths', args: ['--source=manifest'], flags: ['source', 'manifest-path'], message: /--manifest-path/ },
  { name: 'brake percent range', args: ['--delete-brake-threshold-percent=150'], flags: ['delete-brake-threshold-percent'], message: /0 and 100/ },
  { name: 'leader election timings', args: ['--leader-elect', '--leader-election-lease-duration=5s'],
    flags: ['leader-election-lease-duration', 'leader-election-renew-deadline'], message: /longer than/ },
];

for (const { name, args, flags, message } of cases) {
  test(`rule: ${name}`, () => {
    const issues = validateConfig(config(...args));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.deepEqual(issues[0]?.flags, flags);
    assert.match(issues[0]?.message ?? '', message);
  });
}

test('sync with the default owner id is accepted (the controller warns; refusing would break drop-in use)', () => {
  const base = ['--source=service', '--provider=inmemory'];
  assert.deepEqual(flagsOf(parseConfig([...base, '--policy=sync'], {}, SUPPORTED)), []);
  assert.deepEqual(validateConfig(parseConfig([...base, '--policy=sync', '--allow-default-owner-sync'], {}, SUPPORTED)), []);
  assert.deepEqual(validateConfig(parseConfig([...base, '--policy=sync', '--txt-owner-id=a'], {}, SUPPORTED)), []);
  assert.deepEqual(validateConfig(parseConfig([...base, '--policy=sync', '--registry=noop'], {}, SUPPORTED)), []);
});

test('rfc2136 rules apply only with --provider=rfc2136', () => {
  const args = ['--rfc2136-insecure', '--rfc2136-gss-tsig', '--rfc2136-batch-change-size=0', '--rfc2136-min-ttl=-1s'];
  assert.deepEqual(validateConfig(config(...args)), []);
  const flags = flagsOf(parseConfig(['--source=service', '--provider=rfc2136', '--policy=upsert-only', ...args], {}, SUPPORTED));
  assert.deepEqual(flags.map((f) => f[0]), ['rfc2136-min-ttl', 'rfc2136-insecure', 'rfc2136-gss-tsig', 'rfc2136-batch-change-size']);
});

test('provider URLs and directories are checked for the chosen provider', () => {
  const run = (...args: string[]) => flagsOf(parseConfig(['--source=service', '--policy=upsert-only', ...args], {}, SUPPORTED));
  assert.deepEqual(run('--provider=webhook', '--webhook-provider-url=localhost:8888'), [['webhook-provider-url']]);
  assert.deepEqual(run('--provider=pdns', '--pdns-server=ftp://x'), [['pdns-server']]);
  assert.deepEqual(run('--provider=zonefile'), [['provider', 'zonefile-dir']]);
  // No rule for a provider extdns does not have (azure).
  assert.deepEqual(run('--provider=azure', '--azure-config-file='), []);
  assert.deepEqual(run('--provider=zonefile', '--zonefile-dir=zones'), []);
});

test('accepted shapes pass', () => {
  const ok = config(
    '--txt-encrypt-enabled', '--txt-encrypt-aes-key=' + Buffer.alloc(32, 7).toString('base64'),
    '--target-net-filter=10.0.0.0/8', '--exclude-target-net=fd00::/8', '--nat64-networks=64:ff9b::/96',
    '--regex-domain-filter=(?i)^.*\\.example\\.com$', '--regex-domain-exclusion=(?P<x>a)',
    '--label-filter=app in (a, b),!legacy,tier!=db,v>1', '--annotation-filter=example.com/team=dns',
    '--tls-client-cert=/c', '--tls-client-cert-key=/k', '--create-ptr', '--managed-record-types=A', '--managed-record-types=PTR',
    '--leader-elect',
  );
  assert.deepEqual(validateConfig(ok), []);
  assert.deepEqual(validateConfig(config('--txt-encrypt-enabled', '--txt-encrypt-aes-key=' + 'k'.repeat(32))), []);
});

test('assertValidConfig lists every problem at once', () => {
  const c = config('--kube-api-qps=0', '--txt-prefix=a', '--txt-suffix=b', '--annotation-prefix=x');
  assert.equal(validateConfig(c).length, 3);
  try {
    assertValidConfig(c);
    assert.fail('expected a throw');
  } catch (err) {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, 'EXTDNS_CONFIG_INVALID');
    assert.match(err.message, /3 problem\(s\)[^]*kube-api-qps[^]*annotation-prefix[^]*txt-prefix/);
  }
  assert.doesNotThrow(() => { assertValidConfig(config()); });
});

test('selectorProblem', () => {
  const good = ['', 'a', '!a', 'a=b', 'a==b', 'a!=b', 'a=', 'a in (x,y)', 'a notin (x)', 'k8s.io/name=v', 'a,b=c'];
  for (const s of good) assert.equal(selectorProblem(s, { allowNumericComparison: false }), undefined, s);
  const bad = ['a,,b', 'a=b=c', 'a in ()', '-a', 'Example.COM/a=b', 'a=' + 'x'.repeat(64), 'a b', 'a in (x', '=b'];
  for (const s of bad) assert.notEqual(selectorProblem(s, { allowNumericComparison: true }), undefined, s);
  assert.equal(selectorProblem('a>1', { allowNumericComparison: true }), undefined);
  assert.notEqual(selectorProblem('a>x', { allowNumericComparison: true }), undefined);
});

test('a control character in a header-bound secret is a configuration error that never prints the secret', () => {
  const issues = (args: string[], env: Record<string, string> = {}) =>
    validateConfig(parseConfig(['--source=service', '--policy=upsert-only', '--provider=pdns', ...args], env, SUPPORTED));
  const trailing = issues([], { EXTERNAL_DNS_PDNS_API_KEY: 's3cret-key\n' });
  assert.deepEqual(trailing.map((i) => [...i.flags]), [['pdns-api-key']]);
  assert.match(trailing[0]?.message ?? '', /--pdns-api-key contains a newline at its end; it is sent in an HTTP header/);
  assert.doesNotMatch(trailing[0]?.message ?? '', /s3cret/);
  assert.match(issues(['--pdns-api-key=ab\rcd'])[0]?.message ?? '', /a carriage return at character 3 of 5/);
  assert.match(issues(['--pdns-api-key=ab\u0000'])[0]?.message ?? '', /U\+0000 at its end/);
  assert.match(issues(['--aws-assume-role-external-id=x\ty'])[0]?.message ?? '', /--aws-assume-role-external-id contains a tab/);
  assert.deepEqual(issues(['--pdns-api-key=plain-key_0123+/=']), []);
});
