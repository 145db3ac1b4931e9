/**
 * --rfc2136-host with several hosts against a real BIND on 127.0.0.1 and a
 * dead host on 127.0.0.2 (same port, nothing listening): each strategy
 * still lists and writes, and every host down is a transient error naming them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newEndpoint } from '../../src/endpoint/endpoint.ts';
import { createRfc2136Provider } from '../../src/provider/rfc2136/provider.ts';
import type { LoadBalancingStrategy } from '../../src/provider/rfc2136/nameservers.ts';
import { systemClock } from '../../src/util/clock.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { startBind, TEST_ZONE, type DnsTestServer } from '../support/dns-servers.ts';

let bind: DnsTestServer;
before(async () => { bind = await startBind(); });
after(async () => { await bind.stop(); });
const signal = new AbortController().signal;

function provider(hosts: string[], strategy: LoadBalancingStrategy) {
  const key = bind.key();
  return createRfc2136Provider({
    hosts, port: bind.port, zones: [TEST_ZONE], insecure: false, tsigKeyName: key.name, tsigSecret: key.secret, tsigSecretAlg: key.algorithm,
    axfr: true, minTtlMs: 0, batchChangeSize: 50, loadBalancingStrategy: strategy, useTls: false, gssTsig: false,
  }, { logger: captureLogger().logger, clock: systemClock, random: { next: () => 0.5 } });
}

for (const strategy of ['disabled', 'round-robin', 'random'] as const) {
  test(`${strategy}: a dead first host is skipped for AXFR and UPDATE`, async () => {
    const p = provider(['127.0.0.2', '127.0.0.1'], strategy);
    const name = `lb-${strategy}.${TEST_ZONE}`;
    for (let i = 0; i < 3; i++) assert.ok((await p.records(signal)).some((e) => e.recordType === 'NS'));
    await p.applyChanges({ create: [newEndpoint({ dnsName: name, recordType: 'A', targets: ['192.0.2.77'], recordTTL: 60 })], updateOld: [], updateNew: [], delete: [] }, signal);
    assert.deepEqual(await bind.dig(name, 'A'), ['192.0.2.77']);
  });
}

test('every host down: a transient EXTDNS_RFC2136_UNREACHABLE naming the host', async () => {
  const p = provider(['127.0.0.2', '127.0.0.3'], 'round-robin');
  await assert.rejects(p.records(signal), (err: Error & { code?: string; transient?: boolean }) =>
    err.code === 'EXTDNS_RFC2136_UNREACHABLE' && err.transient === true && /tcp:\/\/127\.0\.0\.[23]:\d+/.test(err.message));
});
