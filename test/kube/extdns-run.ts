/**
 * Shared by the Kubernetes end-to-end tests, on the real kube-apiserver
 * (test/kube-real) and on the test API server (the fault suites of test/kube):
 * one extdns run in-process (the real CLI, on a FakeClock) writing zone files;
 * its log lines can be waited for without sleeping. Only zoneAndFlags is the
 * test API server's (it writes a kubeconfig for one of its users).
 */
import { readFile } from 'node:fs/promises';
import { runCli } from '../../src/cli/cli.ts';
import type { ApiObject } from '../../src/kube/types.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { eventually } from '../support/eventually.ts';
import type { KubeFixture } from '../support/kube-api/setup.ts';
import { makeZoneDir, type ZoneDir } from '../support/zonefile.ts';

export const ZONE = 'example.org';

export interface LogWatcher {
  write(text: string): void;
  text(): string;
  /** Lines matching `pattern`. */
  lines(pattern: RegExp): string[];
  /** Resolves once `count` lines match `pattern` (real I/O decides when; the test's timeout bounds it). */
  waitFor(pattern: RegExp, count?: number): Promise<void>;
}

export function logWatcher(): LogWatcher {
  let text = '';
  let waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const lines = (pattern: RegExp): string[] => text.split('\n').filter((l) => pattern.test(l));
  return {
    write(t) {
      text += t;
      waiters = waiters.filter((w) => {
        if (lines(w.pattern).length < w.count) return true;
        w.resolve();
        return false;
      });
    },
    text: () => text,
    lines,
    waitFor: (pattern, count = 1) => new Promise((resolve) => {
      if (lines(pattern).length >= count) resolve();
      else waiters.push({ pattern, count, resolve });
    }),
  };
}

export interface ExtdnsRun {
  readonly clock: FakeClock;
  readonly log: LogWatcher;
  readonly stdout: () => string;
  /** The exit code, once the run ends. */
  readonly done: Promise<number>;
  /** Asks the run to stop (SIGTERM) and returns its exit code. */
  stop(): Promise<number>;
}

/** Starts `extdns <args>` in-process with its own FakeClock (or a shared one); `seed` feeds its randomness (e.g. the leader-election identity). */
export function startExtdns(args: readonly string[], clock = new FakeClock(), seed = 11): ExtdnsRun {
  const log = logWatcher();
  const abort = new AbortController();
  let out = '';
  const done = runCli(args, {
    env: {}, clock, random: seededRandom(seed), signal: abort.signal,
    stdout: (t) => { out += t; }, stderr: log.write,
  });
  return {
    clock, log, done, stdout: () => out,
    async stop() {
      abort.abort();
      return done;
    },
  };
}

/** A temporary zone folder for ZONE and the flags that point the zonefile provider and the sources at `fx`. */
export async function zoneAndFlags(fx: KubeFixture, token = 'admin-token', name?: string): Promise<{ zones: ZoneDir; flags: string[] }> {
  const zones = await makeZoneDir([ZONE]);
  const kubeconfig = await fx.api.kubeconfig(token, zones.dir, name ?? `kubeconfig-${token}`);
  return {
    zones,
    flags: [
      `--kubeconfig=${kubeconfig}`, '--provider=zonefile', `--zonefile-dir=${zones.dir}`, `--domain-filter=${ZONE}`,
      '--txt-owner-id=e2e', '--policy=sync', '--metrics-address=127.0.0.1:0',
      // The client-side limiter waits on the FakeClock: with the default burst of 10, the watches
      // past the tenth request would wait for time the tests do not move.
      '--kube-api-qps=1000', '--kube-api-burst=1000',
    ],
  };
}

/** The zone file's text. */
export function zoneText(zones: ZoneDir): Promise<string> {
  return readFile(zones.file(ZONE), 'utf8');
}

/** A record line of the zone file: `name IN TYPE value`. */
export function recordLine(name: string, type: string, value: string): RegExp {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escape(name)}\\s+(?:\\d+\\s+)?IN ${type}\\s+${escape(value)}$`, 'm');
}

/** Waits (real polling) until the zone file satisfies `check`. */
export async function zoneEventually(zones: ZoneDir, check: (text: string) => boolean, what: string, timeoutMs = 3000): Promise<void> {
  let text = '';
  const poll = (): void => {
    void readFile(zones.file(ZONE), 'utf8').then((t) => { text = t; }, () => undefined);
  };
  try {
    await eventually(() => {
      poll();
      return check(text);
    }, what, timeoutMs);
  } catch {
    throw new Error(`timed out waiting for ${what}; the zone file holds:\n${text}`);
  }
}

/**
 * Advances the run's FakeClock in `stepMs` steps while real I/O happens, until
 * `done` (informer backoffs and the controller's interval sleep on the clock).
 */
export async function pump(run: ExtdnsRun, done: () => boolean, what: string, stepMs = 500): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) {
    await new Promise((r) => setTimeout(r, 5));
    await run.clock.advance(stepMs);
  }
  if (!done()) throw new Error(`timed out waiting for ${what}; the log holds:\n${run.log.text()}`);
}

/** A LoadBalancer Service with a hostname annotation. */
export function lbService(name: string, ip: string, annotations: Record<string, string> = {}): ApiObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace: 'default', annotations: { 'external-dns.kubernetes.io/hostname': `${name}.${ZONE}`, ...annotations } },
    spec: { type: 'LoadBalancer' },
    status: { loadBalancer: { ingress: [{ ip }] } },
  };
}

export function ingress(name: string, host: string, ip: string): ApiObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'default' },
    spec: { rules: [{ host }] },
    status: { loadBalancer: { ingress: [{ ip }] } },
  };
}

export function dnsEndpoint(name: string, dnsName: string, targets: string[]): ApiObject {
  return {
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint',
    metadata: { name, namespace: 'default' },
    spec: { endpoints: [{ dnsName, recordType: 'A', targets }] },
  };
}
