/**
 * Plan decisions against ExternalDNS v0.22.0 on the source scenarios
 * (test/scenarios/*.yaml): each scenario's objects are in a real kube-apiserver
 * (scenario-cluster.ts), and v0.22.0 ran `--provider=inmemory --dry-run --once`
 * on them with the scenario's flags; its `CREATE: …` lines (the in-memory
 * provider logs each change as Go's Endpoint.String) are kept in
 * go-v0.22/scenarios/<file>.json: the changes its TXT registry handed the
 * provider, ownership records included. Here extdns runs `--once` on the same
 * objects and flags with a webhook provider (a recording server holding no
 * records), and the change set it POSTs to /records, printed as Go prints an
 * endpoint, must be the same set of lines (Go's order comes from maps, so both
 * are sorted).
 * Where extdns decides differently on purpose, DIFFERENT says why and
 * docs/compat.md has the row.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { deployExtdns } from '../support/real-kube/deployed.ts';
import { loadScenarioFiles, type Scenario } from '../scenarios/harness.ts';
import { startRecordingWebhook, type RecordingWebhook } from './recording-webhook.ts';
import { createScenarioObjects, scenarioArgs, wholeRunSkip } from './scenario-cluster.ts';

interface GoRun {
  title: string;
  skip?: string;
  refused?: string;
  args?: string[];
  exit?: number;
  log?: string;
}

interface WireEndpoint {
  dnsName: string;
  recordTTL?: number;
  recordType: string;
  setIdentifier?: string;
  targets?: string[];
  providerSpecific?: { name: string; value: string }[];
}

const DIR = new URL('./go-v0.22/scenarios/', import.meta.url);
const goldens = new Map(readdirSync(DIR).filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace('.json', '.yaml'), JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as GoRun[]]));

/** Scenarios where extdns's plan differs from v0.22.0's on purpose: title → why (docs/compat.md names the row). */
const DIFFERENT: Record<string, string> = {
  'the v0.21 prefix (external-dns.alpha.kubernetes.io/) still works with the default prefix': 'row "annotations": extdns also reads the v0.21 prefix',
  'when both prefixes are set, the configured one wins per key': 'row "annotations": the v0.21 ttl annotation counts in extdns',
  '--nat64-networks adds an A record with the embedded IPv4 for AAAA targets in the network': 'row "annotations": the Service is named by a v0.21-prefix annotation',
  '--nat64-networks leaves AAAA records outside the networks alone': 'row "annotations": the Service is named by a v0.21-prefix annotation',
  'the record-type annotation alone asks for a PTR; a CNAME\'s annotation is dropped with a warning': 'row "annotations": the Services are named by v0.21-prefix annotations',
  'a bad ttl and a bad target on different kinds warn without failing the sync': 'row "invalid targets": v0.22 writes a CNAME to "not_a..valid--name!"',
  'every record type passes through as written': 'row "target trailing dot": v0.22 keeps the dot of a DNSEndpoint CNAME target',
  'the Gateway\'s target annotation replaces its addresses; route TTL, set identifier and provider properties apply': 'row "empty provider property": v0.22 adds a property with no name',
  '--pod-source-domain names every pod with an IP': 'row "records without targets": v0.22 plans a CNAME with no target for a pod without an IP',
  'target, ttl and controller annotations; a bad ttl and a node without addresses warn': 'row "a node without addresses": v0.22 stops, extdns warns and syncs the rest',
};

const skip = realKubeUnavailable();
let kube: RealKube;
let hook: RecordingWebhook;

before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  await deployExtdns(kube, { gatewayApi: true });
  // No records and no domain filter: every decision is a create.
  hook = await startRecordingWebhook({});
});
after(async () => {
  await hook?.close();
  await kube?.close();
});

/** An endpoint as v0.22's in-memory provider logs it: `%s %d IN %s %s %s %s` of name, TTL, type, set id, targets (`;`), provider-specific. */
export function goEndpointString(e: WireEndpoint): string {
  const ps = (e.providerSpecific ?? []).map((p) => `{${p.name} ${p.value}}`).join(' ');
  return `${e.dnsName} ${e.recordTTL ?? 0} IN ${e.recordType} ${e.setIdentifier ?? ''} ${(e.targets ?? []).join(';')} [${ps}]`;
}

/** The change lines of a v0.22 log (`CREATE: …`, `UPDATE (old): …`, `UPDATE (new): …`, `DELETE: …`), sorted. */
function goDecisions(log: string): string[] {
  return log.split('\n')
    .map((line) => /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.replace(/\\(.)/g, '$1') ?? '')
    .filter((msg) => /^(CREATE|UPDATE \((old|new)\)|DELETE): /.test(msg))
    .sort();
}

function extdnsDecisions(plan: Record<string, WireEndpoint[] | undefined>): string[] {
  const verbs: [string, string][] = [['create', 'CREATE'], ['updateOld', 'UPDATE (old)'], ['updateNew', 'UPDATE (new)'], ['delete', 'DELETE']];
  return verbs.flatMap(([key, verb]) => (plan[key] ?? []).map((e) => `${verb}: ${goEndpointString(e)}`)).sort();
}

/** One `--once` sync of extdns on the scenario's flags; the change sets it POSTed, merged. */
async function extdnsSync(args: readonly string[]): Promise<{ code: number; plan: Record<string, WireEndpoint[]>; stderr: string }> {
  let stderr = '';
  hook.requests = [];
  // The client's rate limit only slows the first lists; it changes no decision.
  const code = await runCli([`--kubeconfig=${kube.adminKubeconfig}`, ...args, '--provider=webhook', `--webhook-provider-url=${hook.url}`, '--policy=sync',
    '--txt-owner-id=gold', '--once', '--kube-api-qps=1000', '--kube-api-burst=1000'], {
    env: {}, stdout: () => undefined, stderr: (t) => { stderr += t; }, clock: systemClock, random: seededRandom(), signal: new AbortController().signal,
  });
  const plan: Record<string, WireEndpoint[]> = {};
  for (const { body } of hook.requests.filter((r) => r.method === 'POST' && r.url === '/records')) {
    for (const [key, list] of Object.entries(JSON.parse(body) as Record<string, WireEndpoint[]>)) plan[key] = [...(plan[key] ?? []), ...list];
  }
  return { code, plan, stderr };
}

/**
 * v0.22 leaves the resource label out of the ownership TXT of some records (pods, --compatibility, pairs of
 * --fqdn-target-template); extdns names the object in every TXT (docs/compat.md, row "TXT resource label").
 * An extdns TXT line whose Go twin is the same line without that label counts as that twin.
 */
function withGoResourceLabels(ours: readonly string[], go: readonly string[]): string[] {
  const goLines = new Set(go);
  return ours.map((line) => {
    const bare = line.replace(/,external-dns\/resource=[^,"]*/, '');
    return !goLines.has(line) && goLines.has(bare) ? bare : line;
  }).sort();
}

/**
 * Cluster IPs the API server allocated (10.96.0.0/12) to Services the scenario did not pin, such as the
 * fixture's own `extdns` Service that an --fqdn-target-template over every Service names: they differ per
 * cluster, so both sides print them as one placeholder.
 */
function withAllocatedIps(lines: readonly string[], s: Scenario): string[] {
  const pinned = JSON.stringify(s.objects ?? []);
  return lines.map((l) => l.replace(/\b10\.(?:9[6-9]|10\d|11[01])\.\d{1,3}\.\d{1,3}\b/g, (ip) => (pinned.includes(`"${ip}"`) || ip === '10.96.0.1' ? ip : '<allocated>'))).sort();
}

/** The last line v0.22 logged (its fatal error when it stopped). */
const lastLine = (log: string): string => log.trimEnd().split('\n').at(-1) ?? '';

async function compare(s: Scenario, go: GoRun): Promise<void> {
  const args = scenarioArgs(s);
  assert.deepEqual(args, go.args, 'the golden was made with these flags');
  const log = go.log ?? '';
  const why = DIFFERENT[s.title];
  const undo = await createScenarioObjects(kube, s.objects ?? []);
  try {
    const run = await extdnsSync(args);
    if (go.exit !== 0) {
      // v0.22 stopped; extdns must refuse the same input, unless it goes on on purpose.
      if (why === undefined) assert.notEqual(run.code, 0, `v0.22 stopped (${lastLine(log)}); extdns must refuse too`);
      else assert.equal(run.code, 0, run.stderr);
      return;
    }
    assert.equal(run.code, 0, run.stderr);
    const expected = withAllocatedIps(goDecisions(log), s);
    const ours = withGoResourceLabels(withAllocatedIps(extdnsDecisions(run.plan), s), expected);
    if (why === undefined) assert.deepEqual(ours, expected, run.stderr);
    else assert.notDeepEqual(ours, expected, `listed as a deliberate difference (${why}), but the plans agree`);
  } finally {
    await undo();
  }
}

for (const { file, scenarios } of await loadScenarioFiles(new URL('../scenarios/', import.meta.url).pathname)) {
  const golden = goldens.get(file);
  if (golden === undefined) continue;
  describe(`plan decisions, ${file}`, () => {
    for (const s of scenarios) {
      const go = golden.find((g) => g.title === s.title);
      const reason = skip ?? wholeRunSkip(s) ?? go?.skip ?? (go?.refused === undefined ? undefined : `the real API server refuses the objects: ${go.refused.split('\n')[1] ?? ''}`);
      test(s.title, reason === undefined ? {} : { skip: reason }, async () => {
        assert.ok(go?.log !== undefined, 'v0.22.0 ran this scenario (a golden exists)');
        await compare(s, go);
      });
    }
  });
}
