/** --no-status-page through the real CLI: /status and /status.json are gone, /metrics stays; on by default. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE, workspace } from '../metrics/support.ts';
import { startServing } from './serving.ts';

test('--no-status-page turns /status and /status.json off; without it both answer', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  const off = await startServing([...ws.flags(), '--interval=1h', '--no-status-page'], {});
  try {
    assert.equal((await fetch(`${off.base}/status`)).status, 404);
    assert.equal((await fetch(`${off.base}/status.json`)).status, 404);
    assert.equal((await fetch(`${off.base}/metrics`)).status, 200);
  } finally {
    assert.equal(await off.stop(), 0);
  }
  const on = await startServing([...ws.flags(), '--interval=1h'], {});
  try {
    const s = (await (await fetch(`${on.base}/status.json`)).json()) as { zones: { zone: string; owned: number }[] };
    assert.deepEqual(s.zones.map((z) => [z.zone, z.owned]), [['example.org', 1]]);
    assert.match(on.log(), /Serving the status page on http:\/\/127\.0\.0\.1:\d+\/status/);
  } finally {
    assert.equal(await on.stop(), 0);
  }
});
