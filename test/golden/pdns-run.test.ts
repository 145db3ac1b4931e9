/**
 * extdns next to what ExternalDNS v0.22.0 printed for the same inputs: the
 * Services of objects.json in a real kube-apiserver (golden-cluster.ts), PowerDNS with an empty zone
 * example.org, and the flags of the golden runs (see go-v0.22/README.md).
 * Compared: /metrics after a sync with changes and after a no-op, the log
 * formats, the ownership TXT records (plain, prefix, suffix, %{record_type},
 * encrypted both ways) and a provider error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parseExposition, type ParsedFamily } from '../metrics/parse-exposition.ts';
import { startExtdns, type ExtdnsRun } from '../kube/extdns-run.ts';
import { realKubeUnavailable, type RealKube } from '../support/real-kube/cluster.ts';
import { startGoldenCluster } from './golden-cluster.ts';
import { startPdns, type PdnsRecordInput, type PdnsRrset, type PdnsServer } from '../support/pdns-server.ts';

const GOLDEN = new URL('./go-v0.22/', import.meta.url);
const golden = (name: string): string => readFileSync(new URL(name, GOLDEN), 'utf8');
const ZONE = 'example.org';
const AES_KEY = '0123456789abcdef0123456789abcdef';

const skip = realKubeUnavailable();
let kube: RealKube | undefined;
let pdns: PdnsServer;
let kubeconfig: string;

before(async () => {
  if (skip !== undefined) return;
  [kube, pdns] = await Promise.all([startGoldenCluster(), startPdns({ apiKey: 'secret-key' })]);
  kubeconfig = kube.adminKubeconfig;
});

after(async () => {
  if (skip !== undefined) return;
  await pdns.stop();
  await kube?.close();
});

/** The flags of the golden runs (ports and paths are this test's). */
function flags(...extra: string[]): string[] {
  return ['--source=service', `--kubeconfig=${kubeconfig}`, `--domain-filter=${ZONE}`, '--policy=sync', '--txt-owner-id=gold',
    '--provider=pdns', `--pdns-server=${pdns.apiUrl}`, `--pdns-api-key=${pdns.apiKey}`, '--kube-api-qps=1000', '--kube-api-burst=1000', ...extra];
}

async function freshZone(records: PdnsRecordInput[] = []): Promise<void> {
  await pdns.deleteZone(ZONE).catch(() => undefined);
  await pdns.createZone(ZONE, records);
}

/** The managed rrsets as `name type ttl content…`, sorted (SOA and NS are the server's). */
function rows(rrsets: readonly PdnsRrset[]): string[] {
  return rrsets.filter((r) => r.type !== 'SOA' && r.type !== 'NS')
    .map((r) => `${r.name} ${r.type} ${r.ttl} ${r.records.map((x) => x.content).sort().join(' ')}`).sort();
}

async function once(...extra: string[]): Promise<ExtdnsRun> {
  const run = startExtdns([...flags(...extra), '--once']);
  assert.equal(await run.done, 0, run.log.text());
  return run;
}

// ---- metrics ---------------------------------------------------------------------------------

/** Values that depend on the run, the runtime or the provider client (see the notes at each use). */
const VOLATILE = /_timestamp_seconds$|^external_dns_build_info$|^external_dns_http_request_duration_seconds$|^process_|^promhttp_/;
/**
 * Go's pdns provider hands the SOA to the registry, extdns's does not (docs/compat.md, row "metrics: registry
 * counts"): Go's registry counts one more endpoint and a record_type="soa" series.
 */
function withoutSoa(family: ParsedFamily): string[] {
  const samples = family.samples.filter((s) => s.labels.record_type !== 'soa');
  return samples.map((s) => `${s.name}${JSON.stringify(s.labels)} ${family.name === 'external_dns_registry_endpoints_total' ? s.value - 1 : s.value}`).sort();
}

function compareMetrics(goText: string, oursText: string): void {
  const go = parseExposition(goText);
  const ours = parseExposition(oursText);
  for (const [name, family] of go) {
    if (name.startsWith('go_')) continue; // Go's runtime (docs/compat.md, row "metrics: runtime")
    const mine = ours.get(name);
    assert.ok(mine, `${name} is missing`);
    assert.equal(mine.type, family.type, `${name}: type`);
    assert.equal(mine.help, family.help, `${name}: help`);
    const labelNames = (f: ParsedFamily): string[] => [...new Set(f.samples.flatMap((s) => Object.keys(s.labels)))].sort();
    if (family.samples.length > 0 && mine.samples.length > 0) assert.deepEqual(labelNames(mine), labelNames(family), `${name}: labels`);
    if (!VOLATILE.test(name)) {
      const mine2 = mine.samples.map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`).sort();
      assert.deepEqual(mine2, withoutSoa(family), `${name}: samples`);
    }
  }
  // Outgoing requests: the Kubernetes API calls are timed with Go's label values (method as sent).
  const http = ours.get('external_dns_http_request_duration_seconds')?.samples ?? [];
  assert.ok(http.some((s) => s.labels.method === 'GET' && s.labels.path === 'services' && s.labels.status === '200'), 'GET services is timed');
}

test('/metrics after a sync with changes and after a no-op: every family of v0.22 with its type, help, labels and values', { skip }, async () => {
  await freshZone();
  const run = startExtdns(flags('--interval=5s', '--metrics-address=127.0.0.1:0'));
  try {
    await run.log.waitFor(/Applied changes/);
    const port = /Serving \/healthz, \/readyz and \/metrics on 127\.0\.0\.1:(\d+)/.exec(run.log.text())?.[1];
    const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port ?? ''}/metrics`)).text();
    compareMetrics(golden('metrics-after-changes.txt'), await scrape());
    await run.clock.advance(5000);
    await run.log.waitFor(/All records are already up to date/);
    compareMetrics(golden('metrics-after-noop.txt'), await scrape());
  } finally {
    await run.stop();
  }
});

// ---- logs ------------------------------------------------------------------------------------

const TEXT_LINE = /^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" level=(info|warning|error|debug|trace|fatal|panic)(?: msg=(?:"(?:[^"\\]|\\.)*"|[\w\-./@^+]+))?((?: [\w.]+=(?:"(?:[^"\\]|\\.)*"|[^" ]*))*)$/;

function assertLogrusText(lines: readonly string[]): void {
  for (const line of lines) {
    const m = TEXT_LINE.exec(line);
    assert.ok(m, `not a logrus text line: ${line}`);
    const keys = [...(m[2] ?? '').matchAll(/ ([\w.]+)=/g)].map((k) => k[1] ?? '');
    assert.deepEqual(keys, [...keys].sort(), `fields sorted: ${line}`);
  }
}

function assertLogrusJson(lines: readonly string[]): void {
  for (const line of lines) {
    const obj = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(Object.keys(obj), Object.keys(obj).sort(), `keys sorted: ${line}`);
    assert.match(String(obj.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(typeof obj.level === 'string' && typeof obj.msg === 'string', line);
  }
}

const withoutTime = (line: string): string => line.replace(/^time="[^"]*" /, '').replace(/,"time":"[^"]*"/, '');

test('log lines in text and JSON: the golden lines are logrus lines, extdns writes lines of the same format, and the no-op line is the same', { skip }, async () => {
  const goText = golden('sync-text.log').trimEnd().split('\n');
  // Go logs its config line before it switches to JSON, so that one line is text.
  const goJson = golden('sync-json.log').trimEnd().split('\n').filter((l) => !l.startsWith('time="'));
  assertLogrusText(goText);
  assertLogrusJson(goJson);
  for (const format of ['text', 'json'] as const) {
    await freshZone();
    const run = startExtdns(flags('--interval=5s', `--log-format=${format}`));
    try {
      await run.log.waitFor(/Applied changes/);
      await run.clock.advance(5000);
      await run.log.waitFor(/All records are already up to date/);
    } finally {
      await run.stop();
    }
    const lines = run.log.text().trimEnd().split('\n');
    if (format === 'text') assertLogrusText(lines);
    else assertLogrusJson(lines);
    const noop = (ls: readonly string[]): string | undefined => ls.map(withoutTime).find((l) => l.includes('All records are already up to date'));
    const goNoop = noop(format === 'text' ? goText : goJson);
    // extdns adds its stage field (docs/compat.md, row "logs: fields").
    assert.equal(noop(lines)?.replace(/ stage=controller$/, '').replace(/,"stage":"controller"/, ''), goNoop);
  }
});

test('a provider error is logged at level error in both formats; extdns stops on a refused API key where Go retries', { skip }, async () => {
  for (const format of ['text', 'json'] as const) {
    const goLines = golden(`provider-error-${format}.log`).trimEnd().split('\n');
    const goErrors = goLines.filter((l) => /level=error|"level":"error"/.test(l));
    assert.ok(goErrors.length >= 2 && goErrors.every((l) => l.includes('Unauthorized')), 'the golden run logged the error every sync');
    const run = startExtdns([...flags('--interval=5s', `--log-format=${format}`).filter((f) => !f.startsWith('--pdns-api-key')), '--pdns-api-key=wrong']);
    // docs/compat.md, row "provider errors": a 401 is not retried; the pod restarts with the error named.
    assert.equal(await run.done, 1, run.log.text());
    const lines = run.log.text().trimEnd().split('\n');
    if (format === 'text') assertLogrusText(lines);
    else assertLogrusJson(lines);
    assert.ok(lines.some((l) => /level=error|"level":"error"/.test(l) && /401: Unauthorized/.test(l) && /--pdns-api-key/.test(l)), run.log.text());
  }
});

// ---- TXT records -----------------------------------------------------------------------------

const TXT_CASES: ReadonlyArray<readonly [string, string[]]> = [
  ['plain', []],
  ['prefix', ['--txt-prefix=pre-']],
  ['suffix', ['--txt-suffix=-suf']],
  ['rtprefix', ['--txt-prefix=%{record_type}-pre.']],
  ['rtsuffix', ['--txt-suffix=.suf-%{record_type}']],
];

for (const [name, extra] of TXT_CASES) {
  test(`ownership TXT records, ${name}: the records extdns writes are the ones v0.22 wrote, byte for byte`, { skip }, async () => {
    await freshZone();
    await once(...extra);
    const goRows = rows(JSON.parse(golden(`txt-${name}.rrsets.json`)) as PdnsRrset[]);
    assert.ok(goRows.some((r) => r.includes(' TXT ')));
    assert.deepEqual(rows(await pdns.rrsets(ZONE)), goRows);
  });
}

/** A zone holding exactly what a golden run left in PowerDNS. */
function asInput(rrsets: readonly PdnsRrset[]): PdnsRecordInput[] {
  return rrsets.filter((r) => r.type !== 'SOA' && r.type !== 'NS').map((r) => ({ name: r.name.replace(/\.$/, ''), type: r.type, ttl: r.ttl, contents: r.records.map((x) => x.content) }));
}

test('encrypted TXT: extdns reads what v0.22 encrypted (nothing to change), and v0.22 read what extdns encrypted', { skip }, async () => {
  const goEncrypted = JSON.parse(golden('txt-encrypted.rrsets.json')) as PdnsRrset[];
  const plain = rows(JSON.parse(golden('txt-plain.rrsets.json')) as PdnsRrset[]);
  const encryptedRows = rows(goEncrypted);
  assert.ok(encryptedRows.filter((r) => r.includes(' TXT ')).every((r) => !r.includes('heritage=')), 'the golden TXT values are encrypted');
  await freshZone(asInput(goEncrypted));
  const run = startExtdns(['plan', ...flags('--txt-encrypt-enabled', `--txt-encrypt-aes-key=${AES_KEY}`)]);
  assert.equal(await run.done, 0, `${run.stdout()}\n${run.log.text()}`);
  assert.match(run.stdout(), /No changes/);
  // The other way: golden txt-encrypted-by-extdns.rrsets.json was written by extdns, and v0.22.0 synced it as a no-op.
  const byExtdns = rows(JSON.parse(golden('txt-encrypted-by-extdns.rrsets.json')) as PdnsRrset[]);
  assert.deepEqual(byExtdns.map((r) => r.split(' ').slice(0, 3).join(' ')), plain.map((r) => r.split(' ').slice(0, 3).join(' ')));
  assert.match(golden('go-reads-extdns-encrypted.log'), /level=info msg="All records are already up to date"/);
  assert.doesNotMatch(golden('go-reads-extdns-encrypted.log'), /CREATE|UPDATE|DELETE|level=error/);
  // And extdns still writes values in that format today: a fresh encrypted sync is readable by its own plan.
  await freshZone();
  await once('--txt-encrypt-enabled', `--txt-encrypt-aes-key=${AES_KEY}`);
  const ours = rows(await pdns.rrsets(ZONE));
  assert.deepEqual(ours.map((r) => r.split(' ').slice(0, 3).join(' ')), plain.map((r) => r.split(' ').slice(0, 3).join(' ')));
  assert.ok(ours.filter((r) => r.includes(' TXT ')).every((r) => /^\S+ TXT 300 "[A-Za-z0-9+/=]+"$/.test(r)), ours.join('\n'));
});
