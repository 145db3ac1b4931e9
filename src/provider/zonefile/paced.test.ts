/**
 * Issue 12 item 5: behind `extdns webhook`, a big change set must not hold
 * the event loop. The zone-file provider reads, checks, edits and verifies a
 * zone in bounded slices and pauses between them (deps.pause). Proved by
 * order, never by time: a request sent when the apply's first slice ends is
 * answered while most of the apply is still to come.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { setImmediate as immediate } from 'node:timers/promises';
import { request } from 'undici';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { makeZoneDir } from '../../../test/support/zonefile.ts';
import { SLICE } from '../../util/sliced.ts';
import { WEBHOOK_MEDIA_TYPE } from '../webhook/media-type.ts';
import { startWebhookServer } from '../webhook/server.ts';
import { createZonefileProvider } from './zonefile.ts';

const N = 20_000;
const signal = new AbortController().signal;
const HEAD = '$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n';
const address = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function creates(n: number): { dnsName: string; recordType: string; targets: string[] }[] {
  return Array.from({ length: n }, (_, i) => ({ dnsName: `h${i}.example.com`, recordType: 'A', targets: [address(i)] }));
}

/** A pause that counts, and runs `onPause` (once per pause) before giving the loop its turn. */
function countingPause(onPause: (count: number) => void = () => undefined): { pause: () => Promise<void>; count: () => number } {
  let count = 0;
  return {
    pause: async () => {
      count++;
      onPause(count);
      await immediate();
    },
    count: () => count,
  };
}

test(`a ${N}-create POST to extdns webhook: a request sent during the zone-file apply is answered long before the apply ends`, async () => {
  const dir = await makeZoneDir({});
  await writeFile(dir.file('example.com'), HEAD);
  let base = '';
  let answeredAt: number | undefined;
  let probe: Promise<void> | undefined;
  const paced = countingPause((count) => {
    if (count !== 1) return;
    // The apply has done its first slice: ask the same server something (what a /healthz probe does).
    probe = request(`${base}/`, { headers: { Accept: WEBHOOK_MEDIA_TYPE } }).then(async (res) => {
      await res.body.text();
      assert.equal(res.statusCode, 200);
      answeredAt = paced.count();
    });
  });
  const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger, pause: paced.pause });
  const server = await startWebhookServer(
    { address: '127.0.0.1:0', maxBodySize: 0, readTimeoutMs: 0, readHeaderTimeoutMs: 60_000, idleTimeoutMs: 30_000 },
    { provider, logger: captureLogger().logger },
  );
  base = `http://127.0.0.1:${server.port}`;
  try {
    const res = await request(`${base}/records`, {
      method: 'POST', headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body: JSON.stringify({ create: creates(N) }), headersTimeout: 0, bodyTimeout: 0,
    });
    assert.equal(res.statusCode, 204, await res.body.text());
    await probe;
    const total = paced.count();
    assert.ok(answeredAt !== undefined, 'the probe was never sent: the apply never paused');
    // At least one slice per thousand creates in each pass (group, plan, check, edit, verify) came after the answer.
    assert.ok(total - answeredAt >= (5 * N) / SLICE, `answered after ${answeredAt} of ${total} pauses: the apply held the loop`);
    const zone = await readFile(dir.file('example.com'), 'latin1');
    assert.equal(zone.split('\n').filter((l) => /^h\d+ IN A /.test(l)).length, N);
  } finally {
    await server.close();
    await dir.cleanup();
  }
});

test('records() of a big zone pauses between slices, and an apply over it writes exactly what was asked', async () => {
  const records = 30_000;
  const dir = await makeZoneDir({});
  const lines = [HEAD];
  for (let i = 0; i < records; i++) lines.push(`svc-${i} IN A ${address(i)}\n`);
  const text = lines.join('');
  await writeFile(dir.file('example.com'), text);
  const paced = countingPause();
  const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger, pause: paced.pause });
  try {
    assert.equal((await provider.records(signal)).length, records + 2);
    // The text is lexed 64 KiB at a time, and the endpoints built a thousand at a time.
    const readPauses = paced.count();
    assert.ok(readPauses >= Math.floor(text.length / 65_536) + records / SLICE, `records() paused ${readPauses} times`);
    await provider.applyChanges({
      ...emptyChanges(),
      create: creates(2 * SLICE).map((c) => newEndpoint(c)),
      delete: [newEndpoint({ dnsName: 'svc-7.example.com', recordType: 'A', targets: [address(7)] })],
    }, signal);
    assert.ok(paced.count() - readPauses >= 10, `the apply paused ${paced.count() - readPauses} times`);
    const after = await readFile(dir.file('example.com'), 'latin1');
    const added = creates(2 * SLICE).map((c) => `${c.dnsName.replace('.example.com', '')} IN A ${c.targets[0] ?? ''}\n`).join('');
    assert.equal(after, `${text.replace(' 1 3600', ' 2026112800 3600').replace(`svc-7 IN A ${address(7)}\n`, '')}${added}`);
  } finally {
    await dir.cleanup();
  }
});
