/**
 * The start-up config line against v0.22.0's (`config: {…}`, the first line of
 * go-v0.22/sync-text.log): for the same command line, every field v0.22 prints
 * has the same value in extdns's config, printed as Go prints it (durations as
 * time.Duration.String, lists as `[a b]`, secrets as `******`). extdns logs only
 * the fields that differ from their defaults (docs/compat.md, row "config
 * line"); the full line is checked here field by field. With --log-format=json
 * v0.22 prints that line as text (it logs the config before it sets the
 * format); extdns's is a JSON line like all the others (docs/compat.md, row
 * "config line in JSON").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../../src/cli/cli.ts';
import { goFormattedConfig } from '../../src/config/mask.ts';
import { parseConfig } from '../../src/config/parse.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';

/** The command line of go-v0.22/sync-text.log (README there), with the paths and port that run had. */
const ARGS = ['--source=service', '--kubeconfig=/tmp/gold/run/admin', '--domain-filter=example.org', '--policy=sync', '--txt-owner-id=gold',
  '--provider=pdns', '--pdns-server=http://127.0.0.1:34925', '--pdns-api-key=secret-key', '--interval=5s', '--metrics-address=127.0.0.1:17979'];

/** v0.22's config line (the first line of a golden log) as field name → value. */
function goConfigFields(log = 'sync-text.log'): Map<string, string> {
  const first = readFileSync(new URL(`./go-v0.22/${log}`, import.meta.url), 'utf8').split('\n')[0] ?? '';
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(first)?.[1]?.replace(/\\(.)/g, '$1') ?? '';
  const body = /^config: \{(.*)\}$/.exec(msg)?.[1] ?? '';
  const starts = [...body.matchAll(/(?:^| )([A-Z][A-Za-z0-9]*):/g)];
  const fields = new Map<string, string>();
  starts.forEach((m, i) => {
    const end = starts[i + 1]?.index ?? body.length;
    fields.set(m[1] ?? '', body.slice((m.index ?? 0) + m[0].length, end));
  });
  return fields;
}

const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** v0.22 field → extdns config key, where the names differ by more than case (the flag names are the same). */
const RENAMED: Record<string, string> = {
  APIServerURL: 'server', GlooNamespaces: 'glooNamespace', SkipperRouteGroupVersion: 'skipperRoutegroupGroupversion', Sources: 'source',
  IngressClassNames: 'ingressClass', CombineFQDNAndAnnotation: 'combineFqdnAnnotation', PublishInternal: 'publishInternalServices',
  DomainExclude: 'excludeDomains', RegexDomainExclude: 'regexDomainExclusion', ExcludeTargetNets: 'excludeTargetNet',
  AWSZoneTagFilter: 'awsZoneTags', AWSProfiles: 'awsProfile', AWSZoneCacheDuration: 'awsZonesCacheDuration', AWSDynamoDBRegion: 'dynamodbRegion',
  AWSDynamoDBTable: 'dynamodbTable', CloudflareDNSRecordsComment: 'cloudflareRecordComment', OCIZoneCacheDuration: 'ociZonesCacheDuration',
  InMemoryZones: 'inmemoryZone', TXTOwnerOld: 'migrateFromTxtOwner', ExoscaleAPIEnvironment: 'exoscaleApienv',
  ExoscaleZoneCacheDuration: 'exoscaleZonesCacheDuration', RFC2136TAXFR: 'rfc2136TsigAxfr', NS1MinTTLSeconds: 'ns1MinTtl',
  ManagedDNSRecordTypes: 'managedRecordTypes', ExcludeDNSRecordTypes: 'excludeRecordTypes', GoDaddySecretKey: 'godaddyApiSecret',
  GoDaddyTTL: 'godaddyApiTtl', GoDaddyOTE: 'godaddyApiOte', OCPRouterName: 'openshiftRouterName', PiholeTLSInsecureSkipVerify: 'piholeTlsSkipVerify',
  EmitEvents: 'eventsEmit', UnstructuredResources: 'unstructuredResource', UpdateEvents: 'events',
};

/** v0.22 fields that no flag sets (so extdns has nothing to hold them). */
const NO_FLAG = ['AzureActiveDirectoryAuthorityHost', 'ExoscaleEndpoint'];

const SUPPORTED = { sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES };

test('every field of the v0.22.0 config line has the same value in extdns, printed as Go prints it', () => {
  const go = goConfigFields();
  assert.ok(go.size > 150, `parsed ${go.size} fields of the golden config line`);
  const ours = goFormattedConfig(parseConfig(ARGS, {}, SUPPORTED));
  const bySquash = new Map(Object.keys(ours).map((k) => [squash(k), k]));
  const compared: string[] = [];
  for (const [name, value] of go) {
    if (NO_FLAG.includes(name)) continue;
    const key = RENAMED[name] ?? bySquash.get(squash(name));
    assert.ok(key !== undefined && key in ours, `v0.22 field ${name} has no counterpart in extdns's config`);
    assert.equal(ours[key], value, `${name} (extdns ${key})`);
    compared.push(key);
  }
  assert.equal(compared.length, go.size - NO_FLAG.length);
});

test('the Go forms of durations, list and map forms: 1m0s, 5s, 1h0m0s, 0s, 300ms; [a b]; map[k:v]', () => {
  const ours = goFormattedConfig(parseConfig([...ARGS.filter((a) => !a.startsWith('--interval=')), '--interval=1m', '--min-ttl=1h', '--txt-cache-interval=0s', '--request-timeout=300ms',
    '--domain-filter=example.net', '--aws-sd-create-tag=team=web', '--aws-sd-create-tag=env=prod', '--tls-ca=/etc/ca.pem'], {}, SUPPORTED));
  assert.deepEqual(
    [ours['interval'], ours['minTtl'], ours['txtCacheInterval'], ours['requestTimeout'], ours['minEventSyncInterval'], ours['domainFilter'], ours['awsSdCreateTag'], ours['tlsCa']],
    ['1m0s', '1h0m0s', '0s', '300ms', '5s', '[example.org example.net]', 'map[env:prod team:web]', '/etc/ca.pem'],
  );
});

test('the start-up line extdns logs carries the changed fields in the Go form', async () => {
  let stderr = '';
  // The kubeconfig path does not exist here: the run stops after logging its config.
  await runCli([...ARGS, '--once'], { env: {}, stdout: () => undefined, stderr: (t) => { stderr += t; }, clock: systemClock, random: seededRandom(), signal: AbortSignal.abort() });
  const line = stderr.split('\n').find((l) => /msg="config \(flags that differ from their defaults\)"/i.test(l)) ?? '';
  assert.match(line, / domainFilter="\[example\.org\]" interval=5s kubeconfig=\/tmp\/gold\/run\/admin metricsAddress="127\.0\.0\.1:17979" once=true pdnsApiKey="\*{6}" pdnsServer="http:\/\/127\.0\.0\.1:34925" policy=sync provider=pdns source="\[service\]" txtOwnerId=gold$/, stderr);
});

test('with --log-format=json, v0.22\'s config line is text; extdns\'s is JSON, and each of its fields has v0.22\'s value', async () => {
  const goJsonRun = goConfigFields('sync-json.log');
  const goTextRun = goConfigFields();
  assert.ok(goJsonRun.size > 150, `parsed ${goJsonRun.size} fields of the first line of sync-json.log, a text line`);
  assert.deepEqual(Object.fromEntries(goJsonRun), { ...Object.fromEntries(goTextRun), LogFormat: 'json' }, 'the same line as in text, but LogFormat');

  let stderr = '';
  // As above: no kubeconfig at that path, so the run stops after its start-up lines.
  await runCli([...ARGS, '--log-format=json'], { env: {}, stdout: () => undefined, stderr: (t) => { stderr += t; }, clock: systemClock, random: seededRandom(), signal: AbortSignal.abort() });
  const lines = stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  const config = lines.find((l) => /^config \(flags that differ from their defaults\)$/i.test(l.msg ?? ''));
  assert.ok(config !== undefined, stderr);
  const fields = Object.entries(config).filter(([k]) => !['level', 'msg', 'time'].includes(k));
  const goKeyOf = new Map([...goJsonRun.keys()].map((name) => [RENAMED[name] ?? squash(name), name]));
  assert.deepEqual(fields.map(([k]) => k).sort(), ['domainFilter', 'interval', 'kubeconfig', 'logFormat', 'metricsAddress', 'pdnsApiKey', 'pdnsServer', 'policy', 'provider', 'source', 'txtOwnerId']);
  for (const [key, value] of fields) {
    const goName = goKeyOf.get(key) ?? goKeyOf.get(squash(key));
    assert.ok(goName !== undefined, `extdns field ${key} is a field of v0.22's line`);
    assert.equal(value, goJsonRun.get(goName), `${key} (v0.22 ${goName})`);
  }
});
