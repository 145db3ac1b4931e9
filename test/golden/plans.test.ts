/**
 * Plan decisions against ExternalDNS v0.22.0: for each scenario in
 * test/golden/go-v0.22/plans/, the Services of objects.json are in a real
 * kube-apiserver (golden-cluster.ts), a webhook provider holds the scenario's current records, and one
 * `--once` sync runs with `--provider=webhook`. The change set Go POSTed to
 * /records (`<name>.requests.json`) is the plan; extdns must POST the same one
 * (or, like Go, nothing).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { realKubeUnavailable, type RealKube } from '../support/real-kube/cluster.ts';
import { startGoldenCluster } from './golden-cluster.ts';
import { startRecordingWebhook, type RecordedRequest as Recorded, type RecordingWebhook } from './recording-webhook.ts';

const DIR = new URL('./go-v0.22/plans/', import.meta.url);
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));

const scenarios = readdirSync(DIR).filter((f) => f.endsWith('.input.json')).map((f) => f.replace('.input.json', '')).sort();

const skip = realKubeUnavailable();
let kube: RealKube | undefined;
let kubeconfig: string;
let hook: RecordingWebhook;

before(async () => {
  if (skip !== undefined) return;
  hook = await startRecordingWebhook({ include: ['example.org'] });
  kube = await startGoldenCluster();
  kubeconfig = kube.adminKubeconfig;
});

after(async () => {
  if (skip !== undefined) return;
  await hook.close();
  await kube?.close();
});

/** A change set with each list sorted, so the order of a Go map does not matter. */
function normalized(body: string): Record<string, string[]> {
  const changes = JSON.parse(body) as Record<string, unknown[]>;
  return Object.fromEntries(Object.entries(changes).map(([k, list]) => [k, list.map((e) => JSON.stringify(e)).sort()]));
}

function posted(requests: readonly Recorded[]): Record<string, string[]> | undefined {
  const post = requests.find((r) => r.method === 'POST' && r.url === '/records');
  return post === undefined ? undefined : normalized(post.body);
}

/**
 * Go rewrites a record's ownership TXT on every update even when its value stays the same; extdns leaves
 * such a TXT alone (docs/compat.md, row "TXT on update"). Go's plan without those no-op rewrites.
 */
function withoutSameTxtRewrites(changes: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (changes === undefined) return undefined;
  const old = changes.updateOld ?? [];
  const unchanged = new Set(old.filter((e) => (JSON.parse(e) as { recordType: string }).recordType === 'TXT' && (changes.updateNew ?? []).includes(e)));
  const out = Object.fromEntries(Object.entries(changes).map(([k, list]) => [k, k.startsWith('update') ? list.filter((e) => !unchanged.has(e)) : list]));
  return Object.fromEntries(Object.entries(out).filter(([, list]) => list.length > 0));
}

for (const name of scenarios) {
  test(`plan ${name}: extdns decides what ExternalDNS v0.22.0 decided`, { skip }, async () => {
    const input = read(`${name}.input.json`) as { current: unknown[]; flags: string[] };
    const go = read(`${name}.requests.json`) as Recorded[];
    hook.records = input.current;
    hook.requests = [];
    const policy = input.flags.some((f) => f.startsWith('--policy=')) ? [] : ['--policy=sync'];
    let stderr = '';
    const code = await runCli([
      '--source=service', `--kubeconfig=${kubeconfig}`, '--domain-filter=example.org', ...policy, '--txt-owner-id=gold', ...input.flags,
      '--provider=webhook', `--webhook-provider-url=${hook.url}`, '--once',
    ], { env: {}, stdout: () => undefined, stderr: (t) => { stderr += t; }, clock: systemClock, random: seededRandom(), signal: new AbortController().signal });
    assert.equal(code, 0, stderr);
    assert.deepEqual(posted(hook.requests), withoutSameTxtRewrites(posted(go)), stderr);
    // The same calls, in the same order, with the same media types.
    const calls = (rs: readonly Recorded[]): string[] => rs.map((r) => `${r.method} ${r.url} accept=${r.headers.accept ?? ''} type=${r.headers['content-type'] ?? ''}`);
    assert.deepEqual(calls(hook.requests), calls(go));
  });
}
