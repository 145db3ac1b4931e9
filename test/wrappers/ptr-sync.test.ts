/**
 * --create-ptr end to end: the pipeline as the CLI builds it (manifest source,
 * in-memory provider with a forward and a reverse zone, TXT registry) creates
 * the A record and its PTR with their ownership records; the next sync has
 * nothing to do. Likewise for --nat64-networks.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildPipeline } from '../../src/cli/build.ts';
import { parseConfig } from '../../src/config/parse.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'extdns-ptr-'));
after(() => { rmSync(dir, { recursive: true, force: true }); });

const SERVICE = `
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations: { external-dns.alpha.kubernetes.io/hostname: web.example.org }
spec: { type: LoadBalancer }
status: { loadBalancer: { ingress: [{ ip: 192.0.2.10 }, { ip: "64:ff9b::c633:640a" }] } }
`;

async function pipelineFor(args: readonly string[]): Promise<Awaited<ReturnType<typeof buildPipeline>>> {
  const file = join(dir, 'web.yaml');
  writeFileSync(file, SERVICE);
  const config = parseConfig([
    '--source=manifest', `--manifest-path=${file}`, '--provider=inmemory', '--policy=sync', '--txt-owner-id=ptr-test',
    '--inmemory-zone=example.org', '--inmemory-zone=2.0.192.in-addr.arpa', '--inmemory-zone=51.198.in-addr.arpa',
    '--domain-filter=example.org', '--domain-filter=2.0.192.in-addr.arpa', '--domain-filter=51.198.in-addr.arpa',
    '--managed-record-types=A', '--managed-record-types=AAAA', '--managed-record-types=CNAME', '--managed-record-types=PTR',
    ...args,
  ], {}, { sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES });
  return buildPipeline(config, { logger: captureLogger().logger, clock: new FakeClock(), random: seededRandom(7), env: {} });
}

test('--create-ptr with --nat64-networks: A, AAAA and PTRs in the reverse zones, owned; the second sync is a no-op', async () => {
  const pipeline = await pipelineFor(['--create-ptr', '--nat64-networks=64:ff9b::/96']);
  try {
    const signal = AbortSignal.timeout(10_000);
    await pipeline.start(signal, { loop: false, cacheTimeoutMs: 5_000 });
    const first = await pipeline.controller.runOnce(signal);
    assert.equal(first.applied, true);
    assert.deepEqual(first.failedSources, []);

    const records = await pipeline.registry.records(signal);
    const seen = records.map((r) => `${r.dnsName} ${r.recordType} ${[...r.targets].sort().join(',')} owner=${r.labels.owner ?? ''}`).sort();
    assert.deepEqual(seen, [
      '10.100.51.198.in-addr.arpa PTR web.example.org owner=ptr-test',
      '10.2.0.192.in-addr.arpa PTR web.example.org owner=ptr-test',
      'web.example.org A 192.0.2.10,198.51.100.10 owner=ptr-test',
      'web.example.org AAAA 64:ff9b::c633:640a owner=ptr-test',
    ]);

    const second = await pipeline.controller.runOnce(signal);
    assert.equal(second.noop, true, `second sync should have nothing to do: ${JSON.stringify(second.changes)}`);
    assert.equal(second.applied, false);
  } finally {
    await pipeline.close();
  }
});

test('without --create-ptr nothing is written to the reverse zones', async () => {
  const pipeline = await pipelineFor([]);
  try {
    const signal = AbortSignal.timeout(10_000);
    await pipeline.start(signal, { loop: false, cacheTimeoutMs: 5_000 });
    await pipeline.controller.runOnce(signal);
    const records = await pipeline.registry.records(signal);
    assert.deepEqual(records.map((r) => `${r.dnsName} ${r.recordType}`).sort(), ['web.example.org A', 'web.example.org AAAA']);
  } finally {
    await pipeline.close();
  }
});
