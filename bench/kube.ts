/**
 * Kubernetes rows of `npm run bench` (issue 5):
 *
 * 1. Event latency: from a Service change in the API (a PATCH of its load
 *    balancer status) to the new record in the zone file written by extdns
 *    running its real loop in-process (`runCli` with `--events`, system clock).
 *    The zone folder is watched (fs.watch) and the file re-read on each event.
 *    To take ~50 samples in half a minute with the default
 *    --min-event-sync-interval (5 s), ten extdns instances run side by side,
 *    each on its own namespace and zone folder, and each instance's changes are
 *    spaced more than 5 s apart; a second row shows bursts (3 changes back to
 *    back on one instance), where the interval holds the later changes back.
 * 2. Memory: RSS and heap of a fresh process holding the watch caches of the
 *    service, ingress and pod sources over 10,000 of each object
 *    (bench/kube-memory-child.ts), with pruning and without, run as bin/extdns
 *    runs it (TypeScript, type stripping, its warm compile cache and malloc
 *    settings) and as the image runs it (compiled with tsconfig.build.json,
 *    the Dockerfile's malloc settings). Lists are read item by item, each
 *    parsed with only the fields its cache keeps (src/kube/list-stream.ts,
 *    kept-text.ts), so the peak RSS stays near the final one.
 *
 * The API server always runs in a child process: the test API server
 * (bench/kube-api-child.ts), then the real kube-apiserver and etcd
 * (bench/kube-real-child.ts) for the same latency rows and the pruned memory
 * rows (fill time at the default --kube-api-qps=5, RSS from a checkout and as
 * the image runs), when scripts/build-kube-components.sh has built it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { runCli } from '../src/cli/cli.ts';
import { createKubeClient, type KubeClient } from '../src/kube/client.ts';
import { resolveKubeConnection } from '../src/kube/kubeconfig.ts';
import { systemClock, systemRandom } from '../src/util/clock.ts';
import { realKubeUnavailable } from '../test/support/real-kube/cluster.ts';

const HERE = import.meta.dirname;
/** The node flags of bin/extdns and the image (the measured process runs as extdns does). */
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=2'];
const COUNT = 10_000;
const INSTANCES = 10;
const ROUNDS = 5;
const BURST = 3;
/** The default --min-event-sync-interval plus a margin: changes spaced this far apart each get a sync of their own. */
const SPACING_MS = 5_250;
const ZONE = 'lat.example';
const SERVICES = { group: '', version: 'v1', resource: 'services', namespaced: true, kind: 'Service' } as const;
const WIDTH = 14;

interface ApiChild { url: string; kubeconfig: string; stop(): Promise<void> }

/** Which API server the rows run against: the test API server (kube-api-child.ts) or the real kube-apiserver (kube-real-child.ts). */
export type ApiKind = 'test' | 'real';

const CHILD: Record<ApiKind, string> = { test: 'kube-api-child.ts', real: 'kube-real-child.ts' };

/** Starts the API server child and reads the JSON line it prints once filled. */
export async function startApiChild(kind: ApiKind, args: readonly string[]): Promise<ApiChild> {
  const child = spawn(process.execPath, [...NODE_FLAGS, join(HERE, CHILD[kind]), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (l) => { lines.close(); resolve(l); });
    child.once('exit', (code) => { reject(new Error(`kube-api-child exited (${code}) before it was ready`)); });
  });
  const info = JSON.parse(first) as { url: string; kubeconfig: string };
  return { ...info, stop: async () => { child.stdin?.end(); await exited; } };
}

function runChild(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${child.spawnargs.join(' ')} exited with ${code}`));
    });
  });
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

const pad = (s: string): string => s.padStart(WIDTH);
const row = (label: string, cells: readonly string[]): string => label.padEnd(52) + cells.map(pad).join('');

// ---------------------------------------------------------------- memory

interface MemoryFigures {
  baseline: { rss: number; heapUsed: number };
  after: { rss: number; heapUsed: number; heapTotal: number };
  maxRss: number;
  syncedMs: number;
  /** CPU time of the measured process while filling (not stretched by other load on the machine). */
  fillCpuMs: number;
  endpoints: number;
  cached: Record<string, number>;
}

/**
 * The environment the image sets (Dockerfile): fewer glibc malloc arenas, freed memory handed back sooner, and
 * blocks of 32 KiB or more (socket read buffers) mapped on their own, so freeing them leaves no holes.
 */
export const IMAGE_MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '32768' } as const;

/** What bin/extdns sets besides the image's malloc settings: Node's compile cache, warm after the first run. */
const CHECKOUT_ENV = { ...IMAGE_MALLOC_ENV, NODE_COMPILE_CACHE: join(HERE, '..', '.cache', 'node-compile') } as const;

async function measureMemory(kubeconfig: string, prune: boolean, image?: { child: string }): Promise<MemoryFigures> {
  const child = image?.child ?? join(HERE, 'kube-memory-child.ts');
  const args = [...NODE_FLAGS, '--expose-gc', child, `--kubeconfig=${kubeconfig}`, ...(prune ? [] : ['--no-prune'])];
  const env = { ...process.env, ...(image === undefined ? CHECKOUT_ENV : IMAGE_MALLOC_ENV) };
  const out = await runChild(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env }));
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemoryFigures;
}

const MEMORY_HEADER = ['RSS MiB', 'peak RSS', 'heap MiB', 'heap total', 'caches heap', 'fill s', 'fill CPU s'];

function memoryLine(label: string, m: MemoryFigures): string {
  return row(label, [
    m.after.rss.toFixed(0), m.maxRss.toFixed(0), m.after.heapUsed.toFixed(0), m.after.heapTotal.toFixed(0),
    (m.after.heapUsed - m.baseline.heapUsed).toFixed(0), (m.syncedMs / 1000).toFixed(1), (m.fillCpuMs / 1000).toFixed(1),
  ]);
}

/**
 * The memory rows against the real kube-apiserver: the caches as extdns runs them (pruned), from a checkout and as
 * the image runs. Its first lists (resourceVersion=0) are served whole from the watch cache, which ignores `limit`
 * then: one request per resource, all at once, streamed and cut down to the kept fields item by item.
 */
export async function benchMemoryReal(): Promise<string[]> {
  const api = await startApiChild('real', [`--services=${COUNT}`, `--ingresses=${COUNT}`, `--pods=${COUNT}`]);
  try {
    // The first run fills Node's compile cache, as bin/extdns's first start does; the second is measured.
    await measureMemory(api.kubeconfig, true);
    const m = await measureMemory(api.kubeconfig, true);
    const build = await compiledChild();
    const compiled = await measureMemory(api.kubeconfig, true, build).finally(() => build.cleanup());
    const c = m.cached;
    return [
      `Kubernetes caches, real kube-apiserver: ${c['services']} Services, ${c['ingresses']} Ingresses, ${c['pods']} Pods, ${c['nodes']} Nodes cached (${m.endpoints} endpoints); default --kube-api-qps=5; goal fill <= 3 s, RSS <= 170 MiB from a checkout, <= 150 MiB as the image runs`,
      row('process (sources service+ingress+pod, after GC)', MEMORY_HEADER),
      memoryLine('caches filled, pruned, from a checkout', m),
      memoryLine('caches filled, pruned, as the image runs', compiled),
    ];
  } finally {
    await api.stop();
  }
}

export async function benchMemory(): Promise<string[]> {
  const api = await startApiChild('test', [`--services=${COUNT}`, `--ingresses=${COUNT}`, `--pods=${COUNT}`]);
  try {
    await measureMemory(api.kubeconfig, true);
    const pruned = await measureMemory(api.kubeconfig, true);
    const whole = await measureMemory(api.kubeconfig, false);
    const build = await compiledChild();
    const compiled = await measureMemory(api.kubeconfig, true, build).finally(() => build.cleanup());
    const c = pruned.cached;
    return [
      `Kubernetes caches: ${c['services']} Services, ${c['ingresses']} Ingresses, ${c['pods']} Pods, ${c['nodes']} Nodes cached (${pruned.endpoints} endpoints); the test API server pages lists even at resourceVersion=0 (the real one serves them whole: see its row); ExternalDNS: ~290 MiB at 8,000 Pods`,
      row('process (sources service+ingress+pod, after GC)', MEMORY_HEADER),
      row('extdns modules loaded, nothing cached', [pruned.baseline.rss.toFixed(0), '-', pruned.baseline.heapUsed.toFixed(0), '-', '-', '-']),
      memoryLine('caches filled, objects pruned (as extdns runs)', pruned),
      memoryLine('caches filled, pruning off', whole),
      row('as the image runs (JavaScript, malloc env), nothing cached', [compiled.baseline.rss.toFixed(0), '-', compiled.baseline.heapUsed.toFixed(0), '-', '-', '-']),
      memoryLine('as the image runs, caches filled, pruned', compiled),
    ];
  } finally {
    await api.stop();
  }
}

/** The memory child and src/ compiled with tsconfig.build.json's settings, as the image runs extdns. */
export async function compiledChild(): Promise<{ child: string; cleanup: () => Promise<void> }> {
  const root = join(HERE, '..');
  const out = await mkdtemp(join(tmpdir(), 'extdns-bench-build-'));
  const config = join(out, 'tsconfig.json');
  await writeFile(config, JSON.stringify({
    extends: join(root, 'tsconfig.build.json'),
    compilerOptions: { outDir: join(out, 'dist'), rootDir: root, typeRoots: [join(root, 'node_modules', '@types')] },
    include: [join(root, 'src'), join(HERE, 'kube-memory-child.ts')], exclude: [join(root, 'src', '**', '*.test.ts')],
  }));
  await runChild(spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await symlink(join(root, 'node_modules'), join(out, 'dist', 'node_modules'));
  return { child: join(out, 'dist', 'bench', 'kube-memory-child.js'), cleanup: () => rm(out, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------- latency

interface Instance { ns: string; dir: string; lastChangeAt: number; exit: Promise<number> }

/** Resolves with the time the zone file first holds `name` with `ip` (checked now and on every change in the folder). */
function recordWritten(dir: string, name: string, ip: string, timeoutMs = 15_000): { done: Promise<number>; cancel(): void } {
  const file = join(dir, `${ZONE}.zone`);
  // The provider writes names relative to $ORIGIN; accept the absolute form too.
  const esc = (t: string): string => t.replaceAll('.', '\\.');
  const relative = name.endsWith(`.${ZONE}`) ? name.slice(0, -ZONE.length - 1) : name;
  const pattern = new RegExp(`^(?:${esc(relative)}|${esc(name)}\\.)\\s+(?:\\d+\\s+)?IN\\s+A\\s+${esc(ip)}\\s*$`, 'm');
  const watcher = watch(dir);
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<number>((resolve, reject) => {
    let checking = false;
    let again = false;
    const check = async (): Promise<void> => {
      if (checking) { again = true; return; }
      checking = true;
      do {
        again = false;
        const text = await readFile(file, 'utf8').catch(() => '');
        if (pattern.test(text)) { resolve(performance.now()); return; }
      } while (again);
      checking = false;
    };
    watcher.on('change', () => { void check(); });
    timer = setTimeout(() => { reject(new Error(`${name} A ${ip} not written to ${file} within ${timeoutMs} ms`)); }, timeoutMs);
    void check();
  });
  const cancel = (): void => { watcher.close(); clearTimeout(timer); };
  void done.then(cancel, cancel);
  return { done, cancel };
}

const hostOf = (svc: string, ns: string): string => `${svc}.${ns}.${ZONE}`;
let ipCounter = 0;
const nextIp = (): string => { ipCounter++; return `203.0.${(ipCounter >> 8) & 255}.${ipCounter & 255}`; };

async function setLoadBalancerIp(client: KubeClient, ns: string, name: string, ip: string): Promise<void> {
  await client.patch(SERVICES, { namespace: ns, name, subresource: 'status' }, { status: { loadBalancer: { ingress: [{ ip }] } } });
}

/** Changes one Service's LB IP and returns the milliseconds until its record is in the zone file. */
async function timeChange(client: KubeClient, inst: Instance, svc: string): Promise<number> {
  const ip = nextIp();
  const seen = recordWritten(inst.dir, hostOf(svc, inst.ns), ip);
  const t0 = performance.now();
  inst.lastChangeAt = t0;
  await setLoadBalancerIp(client, inst.ns, svc, ip);
  return (await seen.done) - t0;
}

async function startInstance(k: number, kubeconfig: string, client: KubeClient, signal: AbortSignal): Promise<Instance> {
  const ns = `lat-${k}`;
  const dir = await mkdtemp(join(tmpdir(), 'extdns-bench-lat-'));
  await writeFile(join(dir, `${ZONE}.zone`), [`$ORIGIN ${ZONE}.`, '$TTL 300',
    `@ IN SOA ns1.nameserver.test. hostmaster.${ZONE}. ( 1 3600 600 604800 300 )`, '@ IN NS ns1.nameserver.test.', ''].join('\n'));
  const first: string[] = [];
  for (let i = 0; i < BURST; i++) {
    const svc = `svc-${i}`;
    await client.create(SERVICES, { apiVersion: 'v1', kind: 'Service',
      metadata: { name: svc, namespace: ns, annotations: { 'external-dns.alpha.kubernetes.io/hostname': hostOf(svc, ns) } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    const ip = nextIp();
    await setLoadBalancerIp(client, ns, svc, ip);
    first.push(ip);
  }
  const ready = recordWritten(dir, hostOf(`svc-${BURST - 1}`, ns), first[BURST - 1] ?? '', 30_000);
  const exit = runCli([
    '--source=service', '--provider=zonefile', `--zonefile-dir=${dir}`, '--events', `--kubeconfig=${kubeconfig}`,
    '--metrics-address=127.0.0.1:0', '--interval=1h', '--policy=sync', `--namespace=${ns}`, `--txt-owner-id=bench-${k}`,
    `--domain-filter=${ZONE}`, '--log-level=error',
  ], { env: {}, stdout: () => undefined, stderr: (t) => { process.stderr.write(`[extdns ${ns}] ${t}`); }, clock: systemClock, random: systemRandom, signal });
  const at = await ready.done;
  return { ns, dir, lastChangeAt: at, exit };
}

async function sleepUntil(t: number): Promise<void> {
  const ms = t - performance.now();
  if (ms > 0) await systemClock.sleep(ms);
}

interface LatencyResult { spaced: number[]; burstFirst: number[]; burstLater: number[] }

async function measureLatency(client: KubeClient, instances: readonly Instance[]): Promise<LatencyResult> {
  const spaced: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const inst of instances) {
      await sleepUntil(inst.lastChangeAt + SPACING_MS);
      spaced.push(await timeChange(client, inst, `svc-${r % BURST}`));
    }
  }
  // Bursts: BURST changes back to back on one instance; instances staggered so their syncs do not overlap.
  const burstFirst: number[] = [];
  const burstLater: number[] = [];
  const start = Math.max(...instances.map((i) => i.lastChangeAt)) + SPACING_MS;
  await Promise.all(instances.map(async (inst, k) => {
    await sleepUntil(start + k * 300);
    const pending: Promise<number>[] = [];
    for (let i = 0; i < BURST; i++) {
      const ip = nextIp();
      const svc = `svc-${i}`;
      const seen = recordWritten(inst.dir, hostOf(svc, inst.ns), ip);
      const t0 = performance.now();
      await setLoadBalancerIp(client, inst.ns, svc, ip);
      pending.push(seen.done.then((t) => t - t0));
    }
    const [head, ...rest] = await Promise.all(pending);
    if (head !== undefined) burstFirst.push(head);
    burstLater.push(...rest);
  }));
  return { spaced, burstFirst, burstLater };
}

async function benchLatency(kind: ApiKind): Promise<string[]> {
  const namespaces = Array.from({ length: INSTANCES }, (_, k) => `lat-${k}`);
  const api = await startApiChild(kind, [`--namespaces=${namespaces.join(',')}`]);
  const stop = new AbortController();
  const instances: Instance[] = [];
  const connection = await resolveKubeConnection({ kubeconfig: api.kubeconfig, env: {}, clock: systemClock });
  const client = createKubeClient({ connection, clock: systemClock, qps: 1e6, burst: 1e6, requestTimeoutMs: 0 });
  try {
    for (let k = 0; k < INSTANCES; k++) instances.push(await startInstance(k, api.kubeconfig, client, stop.signal));
    const r = await measureLatency(client, instances);
    const line = (label: string, xs: readonly number[]): string =>
      row(label, [String(xs.length), quantile(xs, 0.5).toFixed(0), quantile(xs, 0.99).toFixed(0), Math.max(...xs).toFixed(0)]);
    return [
      `Kubernetes event latency${kind === 'real' ? ', real kube-apiserver + etcd' : ''}: Service LB status PATCH -> record in the zone file (runCli --events, zonefile provider, ${INSTANCES} instances, default --min-event-sync-interval=5s); goal median <= 200 ms, p99 < 1 s (ExternalDNS: >= 5 s)`,
      row('changes', ['count', 'median ms', 'p99 ms', 'max ms']),
      line('each > 5 s after the previous sync', r.spaced),
      line(`burst of ${BURST} back to back: the first`, r.burstFirst),
      line(`burst of ${BURST} back to back: the others`, r.burstLater),
      `  (in a burst, ${r.burstLater.filter((ms) => ms >= 1_000).length} of ${r.burstLater.length} later changes waited for the interval: they reached the API after the first sync had read its caches)`,
    ];
  } finally {
    stop.abort();
    await Promise.all(instances.map((i) => i.exit));
    await client.close();
    await api.stop();
    await Promise.all(instances.map((i) => rm(i.dir, { recursive: true, force: true })));
  }
}

export async function benchKubeLines(): Promise<string[]> {
  const latency = await benchLatency('test');
  const memory = await benchMemory();
  const unavailable = realKubeUnavailable();
  if (unavailable !== undefined) return [...latency, '', ...memory, '', `real kube-apiserver rows skipped: ${unavailable}`];
  const realLatency = await benchLatency('real');
  const realMemory = await benchMemoryReal();
  return [...latency, '', ...memory, '', ...realLatency, '', ...realMemory];
}

if (import.meta.main) {
  for (const line of await benchKubeLines()) console.log(line);
}
