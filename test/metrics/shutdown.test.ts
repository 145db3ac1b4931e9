/**
 * SIGTERM in the middle of a large apply (issue 8): the CLI's signal aborts
 * while the zonefile provider is between two zone rewrites. The apply in
 * flight is finished (the controller never hands the shutdown signal to
 * applyChanges), the loop ends with exit 0, every record written has its
 * ownership TXT, and the next sync finds nothing to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli.ts';
import { buildPipeline } from '../../src/cli/build.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { configFrom, workspace } from './support.ts';

const ZONES = ['alpha.test', 'beta.test', 'gamma.test', 'delta.test'];
const PER_ZONE = 300;

function dnsEndpoints(): string {
  return ZONES.map((zone) => [
    'apiVersion: externaldns.k8s.io/v1alpha1',
    'kind: DNSEndpoint',
    `metadata: { name: ${zone.replace('.', '-')}, namespace: default }`,
    'spec:',
    '  endpoints:',
    ...Array.from({ length: PER_ZONE }, (_, i) => `    - { dnsName: host${i}.${zone}, recordType: A, targets: [192.0.2.${(i % 250) + 1}] }`),
  ].join('\n')).join('\n---\n');
}

test('an abort between zone rewrites of a large apply leaves every record with its TXT, and the next sync converges', async (ctx) => {
  const ws = workspace(ZONES);
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'records.yaml'), dnsEndpoints());
  const stop = new AbortController();
  let stderr = '';
  let zonesWrittenAtAbort = -1;
  const code = await runCli([...ws.flags('shutdown'), '--metrics-address=127.0.0.1:0', '--interval=1h'], {
    env: {}, clock: systemClock, random: seededRandom(2), signal: stop.signal, stdout: () => undefined,
    stderr: (t) => {
      stderr += t;
      // The first zone is on disk, the others are not yet: SIGTERM now.
      if (!stop.signal.aborted && t.includes('Zone file updated')) {
        zonesWrittenAtAbort = stderr.split('Zone file updated').length - 1;
        stop.abort(new Error('received SIGTERM'));
      }
    },
  });
  assert.equal(code, 0, stderr);
  assert.equal(zonesWrittenAtAbort, 1, 'the abort arrived in the middle of the apply');
  assert.match(stderr, /Terminating main controller loop/);
  assert.equal(stderr.split('Zone file updated').length - 1, ZONES.length, 'the apply in flight was finished');

  // Every zone was finished: the batch in flight was completed, not cut between a record and its TXT.
  const pipeline = await buildPipeline(configFrom(ws.flags('shutdown')), { logger: silentLogger, clock: systemClock, random: seededRandom(3), env: {} });
  ctx.after(() => pipeline.close());
  const records = await pipeline.registry.records(new AbortController().signal);
  const wanted = records.filter((r) => r.dnsName.startsWith('host'));
  assert.equal(wanted.length, ZONES.length * PER_ZONE);
  const orphans = wanted.filter((r) => r.labels.owner !== 'shutdown');
  assert.deepEqual(orphans.map((r) => r.dnsName), [], 'records without their ownership TXT');

  const before = ZONES.map((z) => readFileSync(join(ws.zones, `${z}.zone`), 'utf8'));
  const next = await pipeline.controller.runOnce(new AbortController().signal);
  assert.equal(next.noop, true, 'the next sync has nothing to do');
  assert.deepEqual(ZONES.map((z) => readFileSync(join(ws.zones, `${z}.zone`), 'utf8')), before, 'and writes nothing');
});

test('an abort before the apply starts writes nothing; the next sync does the whole job', async (ctx) => {
  const ws = workspace(ZONES);
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'records.yaml'), dnsEndpoints());
  const stop = new AbortController();
  stop.abort(new Error('received SIGTERM'));
  const before = ZONES.map((z) => readFileSync(join(ws.zones, `${z}.zone`), 'utf8'));
  const code = await runCli([...ws.flags('shutdown'), '--metrics-address=127.0.0.1:0'], {
    env: {}, clock: systemClock, random: seededRandom(2), signal: stop.signal, stdout: () => undefined, stderr: () => undefined,
  });
  assert.equal(code, 0);
  assert.deepEqual(ZONES.map((z) => readFileSync(join(ws.zones, `${z}.zone`), 'utf8')), before);
  let stderr = '';
  assert.equal(await runCli([...ws.flags('shutdown'), '--once'], {
    env: {}, clock: systemClock, random: seededRandom(2), signal: new AbortController().signal, stdout: () => undefined, stderr: (t) => { stderr += t; },
  }), 0);
  assert.equal(stderr.split('Zone file updated').length - 1, ZONES.length, stderr);
});
