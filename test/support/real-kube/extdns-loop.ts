/**
 * extdns --events running in-process (the real CLI on a FakeClock) against
 * the real cluster with the deployed ServiceAccount's token, through a TCP
 * relay the test can cut, limited to the objects of one test by a label.
 */
import assert from 'node:assert/strict';
import { pump, startExtdns, zoneText, ZONE, type ExtdnsRun } from '../../kube/extdns-run.ts';
import { makeZoneDir, type ZoneDir } from '../zonefile.ts';
import type { RealKube } from './cluster.ts';
import type { Deployed } from './deployed.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export interface Running {
  readonly run: ExtdnsRun;
  readonly proxy: TcpProxy;
  readonly zones: ZoneDir;
  zone(): Promise<string>;
  stop(): Promise<void>;
}

/** extdns --events with `flags` (the sources, …) for `label`'s objects, through its own relay, with a 10 s interval on its FakeClock. */
export async function startRun(kube: RealKube, deployed: Deployed, label: string, flags: readonly string[]): Promise<Running> {
  const proxy = await startTcpProxy(kube.securePort);
  const zones = await makeZoneDir([ZONE]);
  const kubeconfig = await kube.tokenKubeconfig(deployed.token, `watch-${label}`, `https://127.0.0.1:${proxy.port}`);
  const run = startExtdns([
    `--kubeconfig=${kubeconfig}`, '--provider=zonefile', `--zonefile-dir=${zones.dir}`, `--domain-filter=${ZONE}`, '--txt-owner-id=e2e',
    '--policy=sync', '--metrics-address=127.0.0.1:0', '--kube-api-qps=1000', '--kube-api-burst=1000', `--label-filter=suite=${label}`,
    '--events', '--interval=10s', '--min-event-sync-interval=0s', ...flags,
  ]);
  return {
    run, proxy, zones,
    zone: () => zoneText(zones),
    async stop() {
      proxy.heal();
      assert.equal(await run.stop(), 0, run.log.text());
      await proxy.close();
      await zones.cleanup();
    },
  };
}

export function labelled<T extends { object: { metadata: object } }>(o: T, label: string): T {
  return { ...o, object: { ...o.object, metadata: { ...o.object.metadata, labels: { suite: label } } } };
}

/** Moves the run's clock in steps while real I/O happens, until the zone (re-read every step) satisfies `check`. */
export async function pumpZone(r: Running, check: (zone: string) => boolean, what: string): Promise<void> {
  let text = '';
  let reading = false;
  await pump(r.run, () => {
    if (!reading) {
      reading = true;
      void r.zone().then((t) => { text = t; }, () => undefined).finally(() => { reading = false; });
    }
    return check(text);
  }, `${what}; the zone holds:\n${text}`);
}
