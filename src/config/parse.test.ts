import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../errors/errors.ts';
import { metaFlag, parseConfig, unknownEnvVars, type SupportedNames } from './parse.ts';
import type { Config } from './schema.ts';
import { EXTERNAL_DNS_PROVIDERS } from '../provider/flags.ts';

const SUPPORTED: SupportedNames = {
  sources: ['service', 'ingress', 'crd', 'fake', 'manifest'],
  providers: ['inmemory', 'pdns', 'rfc2136', 'webhook', 'zonefile'],
  registries: ['txt', 'noop'],
};
const REQUIRED = ['--source=service', '--provider=inmemory', '--policy=sync'];

function parse(args: readonly string[], env: Record<string, string> = {}, warnings: string[] = []): Config {
  return parseConfig([...REQUIRED, ...args], env, SUPPORTED, { warn: (m) => warnings.push(m) });
}

/** Runs fn, asserts it throws an ExtdnsError with this code, returns the message. */
function failure(fn: () => unknown, code: string): string {
  try {
    fn();
  } catch (err) {
    assert.ok(ExtdnsError.is(err), `expected an ExtdnsError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err.message;
  }
  assert.fail(`expected ${code}, nothing was thrown`);
}

test('defaults: every flag has its ExternalDNS v0.22 default', () => {
  const c = parse([]);
  assert.equal(c.annotationPrefix, 'external-dns.kubernetes.io/');
  assert.equal(c.txtOwnerId, 'default');
  assert.equal(c.registry, 'txt');
  assert.equal(c.interval, 60_000);
  assert.equal(c.minEventSyncInterval, 5_000);
  assert.equal(c.kubeApiRequestTimeout, 30_000);
  assert.equal(c.kubeApiQps, 5);
  assert.deepEqual(c.managedRecordTypes, ['A', 'AAAA', 'CNAME']);
  assert.deepEqual(c.glooNamespace, ['gloo-system']);
  assert.deepEqual(c.domainFilter, []);
  assert.equal(c.awsEvaluateTargetHealth, true);
  assert.equal(c.excludeUnschedulable, true);
  assert.equal(c.webhookProviderMaxBodySize, 0);
  assert.equal(c.ociZoneScope, 'GLOBAL');
  assert.equal(c.tlsCaMode, 'append');
  assert.equal(c.deleteBrakeHold, 300_000);
  assert.equal(c.leaderElectionId, 'extdns-leader');
  assert.deepEqual(c.tlsCa, []);
});

const syntaxCases: { name: string; args: string[]; check: (c: Config) => void }[] = [
  { name: '--x=y', args: ['--namespace=dns'], check: (c) => { assert.equal(c.namespace, 'dns'); } },
  { name: '--x y', args: ['--namespace', 'dns'], check: (c) => { assert.equal(c.namespace, 'dns'); } },
  { name: 'value containing =', args: ['--label-filter=a=b'], check: (c) => { assert.equal(c.labelFilter, 'a=b'); } },
  { name: 'explicit empty value', args: ['--txt-prefix='], check: (c) => { assert.equal(c.txtPrefix, ''); } },
  { name: 'value starting with one dash', args: ['--azure-maxretries-count', '-1'], check: (c) => { assert.equal(c.azureMaxretriesCount, -1); } },
  { name: 'bool --x', args: ['--once'], check: (c) => { assert.equal(c.once, true); } },
  { name: 'bool --no-x', args: ['--no-aws-evaluate-target-health'], check: (c) => { assert.equal(c.awsEvaluateTargetHealth, false); } },
  { name: 'bool --x=false', args: ['--exclude-unschedulable=false'], check: (c) => { assert.equal(c.excludeUnschedulable, false); } },
  { name: 'bool --x=true', args: ['--dry-run=true'], check: (c) => { assert.equal(c.dryRun, true); } },
  { name: 'bool Go words', args: ['--dry-run=T', '--once=0'], check: (c) => { assert.deepEqual([c.dryRun, c.once], [true, false]); } },
  { name: 'bool does not swallow the next argument', args: ['--once', '--namespace=x'], check: (c) => { assert.equal(c.namespace, 'x'); } },
  { name: 'repeatable collects in order', args: ['--domain-filter=b.org', '--domain-filter', 'a.org'],
    check: (c) => { assert.deepEqual(c.domainFilter, ['b.org', 'a.org']); } },
  { name: 'repeatable on CLI replaces the default list', args: ['--managed-record-types=TXT'],
    check: (c) => { assert.deepEqual(c.managedRecordTypes, ['TXT']); } },
  { name: 'empty list items are dropped (Helm renders --domain-filter=)', args: ['--domain-filter='],
    check: (c) => { assert.deepEqual(c.domainFilter, []); } },
  { name: 'tls-ca takes one value like Go', args: ['--tls-ca=/ca.pem'], check: (c) => { assert.deepEqual(c.tlsCa, ['/ca.pem']); } },
  { name: 'tls-ca repeats', args: ['--tls-ca=/a.pem', '--tls-ca=/b.pem'], check: (c) => { assert.deepEqual(c.tlsCa, ['/a.pem', '/b.pem']); } },
  { name: 'several sources', args: ['--source=ingress'], check: (c) => { assert.deepEqual(c.source, ['service', 'ingress']); } },
  { name: 'int', args: ['--kube-api-qps=50'], check: (c) => { assert.equal(c.kubeApiQps, 50); } },
  { name: 'int in hex, as Go base 0', args: ['--kube-api-burst=0x20'], check: (c) => { assert.equal(c.kubeApiBurst, 32); } },
  { name: 'enum', args: ['--log-format=json'], check: (c) => { assert.equal(c.logFormat, 'json'); } },
  { name: 'enum with an empty allowed value', args: ['--oci-zone-scope='], check: (c) => { assert.equal(c.ociZoneScope, ''); } },
  { name: 'key=value', args: ['--aws-sd-create-tag=team=dns'], check: (c) => { assert.deepEqual(c.awsSdCreateTag, ['team=dns']); } },
  { name: 'duration 1m30s', args: ['--interval=1m30s'], check: (c) => { assert.equal(c.interval, 90_000); } },
  { name: 'duration 500ms', args: ['--interval=500ms'], check: (c) => { assert.equal(c.interval, 500); } },
  { name: 'duration 1h', args: ['--interval=1h'], check: (c) => { assert.equal(c.interval, 3_600_000); } },
  { name: 'duration bare 0', args: ['--min-ttl=0'], check: (c) => { assert.equal(c.minTtl, 0); } },
  { name: 'duration fraction', args: ['--txt-cache-interval=1.5h'], check: (c) => { assert.equal(c.txtCacheInterval, 5_400_000); } },
];

for (const { name, args, check } of syntaxCases) {
  test(`syntax: ${name}`, () => { check(parse(args)); });
}

test('env: every flag reads EXTERNAL_DNS_<NAME>', () => {
  const c = parseConfig([], {
    EXTERNAL_DNS_SOURCE: 'service\ningress',
    EXTERNAL_DNS_PROVIDER: 'pdns',
    EXTERNAL_DNS_POLICY: 'upsert-only',
    EXTERNAL_DNS_TXT_OWNER_ID: 'cluster-a',
    EXTERNAL_DNS_INTERVAL: '2m',
    EXTERNAL_DNS_ONCE: '1',
    EXTERNAL_DNS_AWS_EVALUATE_TARGET_HEALTH: 'false',
    EXTERNAL_DNS_DOMAIN_FILTER: 'a.org\r\nb.org\n',
    EXTERNAL_DNS_PDNS_API_KEY: 'k',
  }, SUPPORTED);
  assert.deepEqual(c.source, ['service', 'ingress']);
  assert.equal(c.provider, 'pdns');
  assert.equal(c.policy, 'upsert-only');
  assert.equal(c.txtOwnerId, 'cluster-a');
  assert.equal(c.interval, 120_000);
  assert.equal(c.once, true);
  assert.equal(c.awsEvaluateTargetHealth, false);
  assert.deepEqual(c.domainFilter, ['a.org', 'b.org']);
  assert.equal(c.pdnsApiKey, 'k');
});

test('env: the command line wins, per flag, and replaces an env list entirely', () => {
  const c = parse(['--txt-owner-id=cli', '--domain-filter=cli.org'], {
    EXTERNAL_DNS_TXT_OWNER_ID: 'env',
    EXTERNAL_DNS_DOMAIN_FILTER: 'env1.org\nenv2.org',
    EXTERNAL_DNS_TXT_PREFIX: 'env-',
  });
  assert.equal(c.txtOwnerId, 'cli');
  assert.deepEqual(c.domainFilter, ['cli.org']);
  assert.equal(c.txtPrefix, 'env-');
});

test('env: an empty variable counts as unset', () => {
  const c = parse([], { EXTERNAL_DNS_TXT_OWNER_ID: '', EXTERNAL_DNS_MANAGED_RECORD_TYPES: '' });
  assert.equal(c.txtOwnerId, 'default');
  assert.deepEqual(c.managedRecordTypes, ['A', 'AAAA', 'CNAME']);
});

test('env: names upper-case the flag and turn non-alphanumerics into _', () => {
  assert.equal(parse([], { EXTERNAL_DNS_RFC2136_TSIG_SECRET_ALG: 'hmac-sha256' }).rfc2136TsigSecretAlg, 'hmac-sha256');
});

test('env: required flags can come from the environment alone', () => {
  const c = parseConfig([], { EXTERNAL_DNS_SOURCE: 'crd', EXTERNAL_DNS_PROVIDER: 'webhook', EXTERNAL_DNS_POLICY: 'sync' }, SUPPORTED);
  assert.deepEqual([c.source, c.provider, c.policy], [['crd'], 'webhook', 'sync']);
});

test('unknownEnvVars lists EXTERNAL_DNS_* variables that match no flag', () => {
  assert.deepEqual(unknownEnvVars({ EXTERNAL_DNS_TXT_OWNER: 'x', EXTERNAL_DNS_TXT_OWNER_ID: 'y', HOME: '/root' }), ['EXTERNAL_DNS_TXT_OWNER']);
});

test('the config is frozen, lists included', () => {
  const c = parse(['--domain-filter=a.org']);
  assert.ok(Object.isFrozen(c));
  assert.ok(Object.isFrozen(c.domainFilter));
  assert.ok(Object.isFrozen(c.managedRecordTypes));
  assert.throws(() => {
    (c as unknown as Record<string, unknown>)['txtOwnerId'] = 'x';
  }, TypeError);
});

test('deprecated: --request-timeout is copied into --kube-api-request-timeout, with a warning', () => {
  const warnings: string[] = [];
  assert.equal(parse(['--request-timeout=10s'], {}, warnings).kubeApiRequestTimeout, 10_000);
  assert.match(warnings.join('\n'), /--request-timeout is deprecated.*--kube-api-request-timeout/);
  assert.equal(parse(['--request-timeout=10s', '--kube-api-request-timeout=20s']).kubeApiRequestTimeout, 20_000);
});

test('deprecated: --rfc2136-tsig-axfr turns on --rfc2136-axfr', () => {
  const warnings: string[] = [];
  const c = parse(['--rfc2136-tsig-axfr'], {}, warnings);
  assert.equal(c.rfc2136Axfr, true);
  assert.match(warnings.join('\n'), /rfc2136-tsig-axfr is deprecated/);
  assert.equal(parse([]).rfc2136Axfr, false);
});

test('flags without effect warn when set', () => {
  const warnings: string[] = [];
  parse(['--crd-source-kind=Other'], {}, warnings);
  assert.match(warnings.join('\n'), /--crd-source-kind has no effect/);
});

const errorCases: { name: string; argv: string[]; env?: Record<string, string>; code: string; message: RegExp }[] = [
  { name: 'unknown flag suggests the closest', argv: [...REQUIRED, '--txt-owner=x'], code: 'EXTDNS_CONFIG_UNKNOWN_FLAG',
    message: /unknown flag --txt-owner: did you mean --txt-owner-id\?/ },
  { name: 'unknown flag far from any', argv: [...REQUIRED, '--zzzzzzzzzzzz'], code: 'EXTDNS_CONFIG_UNKNOWN_FLAG',
    message: /unknown flag --zzzzzzzzzzzz: run extdns --help/ },
  { name: 'removed flag explains', argv: [...REQUIRED, '--txt-new-format-only'], code: 'EXTDNS_CONFIG_UNKNOWN_FLAG',
    message: /v0\.16 and v0\.17/ },
  { name: '--help reaching the parser', argv: [...REQUIRED, '--help'], code: 'EXTDNS_CONFIG_UNKNOWN_FLAG', message: /run extdns --help on its own/ },
  { name: 'short flag', argv: [...REQUIRED, '-v'], code: 'EXTDNS_CONFIG_UNKNOWN_FLAG', message: /no one-letter flags/ },
  { name: '--no- on a value flag', argv: [...REQUIRED, '--no-namespace'], code: 'EXTDNS_CONFIG_UNKNOWN_FLAG',
    message: /--namespace takes a value/ },
  { name: '--no-x=value', argv: [...REQUIRED, '--no-once=true'], code: 'EXTDNS_CONFIG_BAD_VALUE', message: /takes no value/ },
  { name: 'missing value at the end', argv: [...REQUIRED, '--namespace'], code: 'EXTDNS_CONFIG_MISSING_VALUE',
    message: /--namespace needs a value: write --namespace=VALUE/ },
  { name: 'missing value before a flag', argv: ['--txt-prefix', ...REQUIRED], code: 'EXTDNS_CONFIG_MISSING_VALUE',
    message: /--txt-prefix needs a value/ },
  { name: 'one-value flag given twice', argv: [...REQUIRED, '--provider=pdns'], code: 'EXTDNS_CONFIG_REPEATED_FLAG',
    message: /--provider was given more than once \('inmemory', then 'pdns'\)/ },
  { name: 'bad bool', argv: [...REQUIRED, '--once=yes'], code: 'EXTDNS_CONFIG_BAD_BOOL', message: /--once='yes' is not true or false/ },
  { name: 'bad bool from env names the variable', argv: REQUIRED, env: { EXTERNAL_DNS_DRY_RUN: 'maybe' },
    code: 'EXTDNS_CONFIG_BAD_BOOL', message: /EXTERNAL_DNS_DRY_RUN='maybe'/ },
  { name: 'duration without unit', argv: [...REQUIRED, '--interval=90'], code: 'EXTDNS_CONFIG_BAD_DURATION',
    message: /--interval='90' is not a duration; write .*90s, 1m30s/ },
  { name: 'duration with bad unit', argv: [...REQUIRED, '--interval=1d'], code: 'EXTDNS_CONFIG_BAD_DURATION', message: /'1d'/ },
  { name: 'duration from env', argv: REQUIRED, env: { EXTERNAL_DNS_MIN_TTL: 'soon' }, code: 'EXTDNS_CONFIG_BAD_DURATION',
    message: /EXTERNAL_DNS_MIN_TTL='soon'/ },
  { name: 'int with fraction', argv: [...REQUIRED, '--kube-api-qps=5.5'], code: 'EXTDNS_CONFIG_BAD_NUMBER',
    message: /--kube-api-qps='5.5' is not a whole number/ },
  { name: 'int with letters', argv: [...REQUIRED, '--aws-api-retries=three'], code: 'EXTDNS_CONFIG_BAD_NUMBER', message: /'three'/ },
  { name: 'enum suggests', argv: [...REQUIRED, '--log-level=warn'], code: 'EXTDNS_CONFIG_BAD_ENUM',
    message: /--log-level='warn' is not accepted \(did you mean 'warning'\?\); use one of: panic, fatal, error, warning/ },
  { name: 'unknown source', argv: ['--source=servcie', '--provider=inmemory', '--policy=sync'], code: 'EXTDNS_CONFIG_BAD_ENUM',
    message: /did you mean 'service'/ },
  { name: 'bad policy', argv: ['--source=service', '--provider=inmemory', '--policy=upsert'], code: 'EXTDNS_CONFIG_BAD_ENUM',
    message: /sync, upsert-only, create-only/ },
  { name: 'key=value', argv: [...REQUIRED, '--aws-sd-create-tag=team'], code: 'EXTDNS_CONFIG_BAD_VALUE', message: /is not KEY=VALUE/ },
  { name: 'missing --policy explains v0.22', argv: ['--source=service', '--provider=inmemory'], code: 'EXTDNS_CONFIG_MISSING_REQUIRED',
    message: /--policy is required: ExternalDNS v0\.22 removed its default.*--policy=sync, --policy=upsert-only, --policy=create-only/ },
  { name: 'all missing required flags at once', argv: [], code: 'EXTDNS_CONFIG_MISSING_REQUIRED',
    message: /--source is required[^]*--provider is required[^]*--policy is required/ },
  { name: 'ExternalDNS source extdns lacks', argv: ['--source=gloo-proxy', '--provider=inmemory', '--policy=sync'],
    code: 'EXTDNS_CONFIG_UNSUPPORTED',
    message: /--source=gloo-proxy is an ExternalDNS source that extdns does not support yet\. Supported sources: crd, fake, ingress, manifest, service/ },
  { name: 'ExternalDNS provider extdns lacks points at webhook', argv: ['--source=service', '--provider=aws', '--policy=sync'],
    code: 'EXTDNS_CONFIG_UNSUPPORTED', message: /--provider=aws is an ExternalDNS provider.*inmemory, pdns.*--provider=webhook/ },
  { name: 'registry extdns lacks', argv: [...REQUIRED, '--registry=dynamodb'], code: 'EXTDNS_CONFIG_UNSUPPORTED',
    message: /--registry=dynamodb .*Supported registries: noop, txt/ },
  { name: 'stray positional', argv: [...REQUIRED, 'run'], code: 'EXTDNS_CONFIG_STRAY_ARGUMENT', message: /unexpected argument 'run'/ },
  { name: 'positional after --', argv: [...REQUIRED, '--', 'x'], code: 'EXTDNS_CONFIG_STRAY_ARGUMENT', message: /'x'/ },
];

for (const { name, argv, env, code, message } of errorCases) {
  test(`error: ${name}`, () => {
    assert.match(failure(() => parseConfig(argv, env ?? {}, SUPPORTED), code), message);
  });
}

test('every v0.22 provider name extdns lacks gets the same "not supported yet" error, listing the supported ones once', () => {
  const lacking = EXTERNAL_DNS_PROVIDERS.filter((p) => !SUPPORTED.providers.includes(p));
  assert.ok(lacking.includes('gandi') && lacking.length > 10);
  for (const provider of lacking) {
    const message = failure(() => parseConfig(['--source=service', `--provider=${provider}`, '--policy=sync'], {}, SUPPORTED), 'EXTDNS_CONFIG_UNSUPPORTED');
    assert.match(message, new RegExp(`--provider=${provider} is an ExternalDNS provider that extdns does not support yet\\. Supported providers: `));
  }
  const unknown = failure(() => parseConfig(['--source=service', '--provider=nope', '--policy=sync'], {}, SUPPORTED), 'EXTDNS_CONFIG_BAD_ENUM');
  const listed = (/use one of: (.*)$/.exec(unknown)?.[1] ?? '').split(', ');
  assert.deepEqual(listed, [...new Set(listed)], 'each provider name once');
});

test('a trailing -- alone is accepted', () => {
  assert.equal(parseConfig([...REQUIRED, '--'], {}, SUPPORTED).provider, 'inmemory');
});

test('names the CLI registers beyond the schema are accepted', () => {
  const c = parseConfig(['--source=custom', '--provider=inmemory', '--policy=sync'], {},
    { ...SUPPORTED, sources: [...SUPPORTED.sources, 'custom'] });
  assert.deepEqual(c.source, ['custom']);
});

test('metaFlag finds --help and --version before --', () => {
  assert.equal(metaFlag(['--source=x', '--help']), 'help');
  assert.equal(metaFlag(['--version']), 'version');
  assert.equal(metaFlag(['--', '--help']), undefined);
  assert.equal(metaFlag(['--helpful']), undefined);
});
