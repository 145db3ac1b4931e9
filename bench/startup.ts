/**
 * Start-up rows of `npm run bench` (issue 22):
 *
 * 1. The demo (scripts/demo.sh's command: manifests in examples/ synced into a
 *    zone file, --once) from process start to exit, run from the checkout as
 *    bin/extdns runs it with its compile cache warm (the first run fills it and
 *    is shown apart). Wall time is what the goal is about; the CPU time is
 *    beside it because on a shared machine wall time mostly measures the
 *    neighbours. Goal: the first sync within 1 s of process start.
 * 2. The idle controller as the image runs it (src compiled with
 *    tsconfig.build.json, the Dockerfile's node flags and malloc settings):
 *    the demo's command without --once, its RSS read from /proc once the first
 *    sync is done and it waits for the next. Goal: at most 60 MiB. Beside it,
 *    how much of it is pages of Node's own binary (file-backed: code and
 *    built-in sources, the same in every Node process) and how much is
 *    anonymous (heap, malloc, stacks), and, for scale, a bare Node with the
 *    same flags serving HTTP and nothing else. The goal's row is the demo's:
 *    it parses YAML manifests, which a deployment does not.
 * 3. For information, the controller as deployed, idle: the same compiled
 *    build and flags with --source=service --source=ingress against the real
 *    kube-apiserver (an empty cluster, reached through a kubeconfig: a
 *    deployment in a cluster reads its service account instead and so never
 *    loads the YAML library) and the in-memory provider. It loads the
 *    Kubernetes client, its HTTP stack (undici) and TLS, which the demo does
 *    not. Not the goal's row.
 * Measured, never asserted.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { systemClock } from '../src/util/clock.ts';
import { compiledChild, IMAGE_MALLOC_ENV, startApiChild } from './kube.ts';
import { median } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = 5;
const WIDTH = 14;
/** The node flags of the Dockerfile's ENTRYPOINT. */
const IMAGE_FLAGS = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=2'];

function demoArgs(zones: string): string[] {
  return ['--source=manifest', `--manifest-path=${join(ROOT, 'examples')}`, '--provider=zonefile', `--zonefile-dir=${zones}`,
    '--registry=txt', '--txt-owner-id=extdns-demo', '--domain-filter=example.org', '--managed-record-types=A',
    '--managed-record-types=AAAA', '--managed-record-types=CNAME', '--managed-record-types=MX', '--managed-record-types=SRV',
    '--managed-record-types=TXT', '--policy=sync'];
}

/** A fresh copy of the demo's seed zones. */
async function seededZones(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-bench-demo-'));
  const seeds = join(ROOT, 'examples', 'zones');
  for (const name of await readdir(seeds)) await cp(join(seeds, name), join(dir, name));
  return dir;
}

interface Timed { wallMs: number; cpuMs: number }

/** One demo run through bin/extdns under bash's `time` (CPU of the whole process tree: bash, node), with `cache` as its compile cache. */
async function timeDemo(cache: string): Promise<Timed> {
  const zones = await seededZones();
  try {
    const command = `TIMEFORMAT='%U %S'; time ${JSON.stringify(join(ROOT, 'bin', 'extdns'))} ${demoArgs(zones).map((a) => JSON.stringify(a)).join(' ')} --once --log-level=error >/dev/null`;
    const t0 = performance.now();
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_COMPILE_CACHE: cache } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const wallMs = performance.now() - t0;
    if (code !== 0) throw new Error(`the demo exited with ${code}: ${err}`);
    const [user, sys] = (err.trim().split('\n').pop() ?? '').split(' ').map(Number);
    return { wallMs, cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000 };
  } finally {
    await rm(zones, { recursive: true, force: true });
  }
}

interface Rss { rssMiB: number; fileMiB: number; anonMiB: number }

/** RSS of a process, and its file-backed and anonymous parts (MiB), from /proc. */
async function rssOf(pid: number | undefined): Promise<Rss> {
  const field = (text: string, name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN) / 1024;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return { rssMiB: field(status, 'VmRSS'), fileMiB: field(status, 'RssFile'), anonMiB: field(status, 'RssAnon') };
}

/** A bare Node with the image's flags serving HTTP (as the controller serves /metrics), and nothing else. */
async function bareNodeRss(): Promise<Rss> {
  const serve = "process.getBuiltinModule('node:http').createServer().listen(0, '127.0.0.1', () => console.log('up'))";
  const child = spawn(process.execPath, [...IMAGE_FLAGS, '-e', serve], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...IMAGE_MALLOC_ENV } });
  try {
    await new Promise<void>((resolve) => { child.stdout.once('data', () => { resolve(); }); });
    await systemClock.sleep(2_000);
    return await rssOf(child.pid);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

type Idle = Rss & { syncedMs: number };

/** RSS (MiB) of the compiled demo controller once its first sync is done. */
async function idleRss(main: string): Promise<Idle> {
  const zones = await seededZones();
  try {
    return await idleControllerRss(main, demoArgs(zones));
  } finally {
    await rm(zones, { recursive: true, force: true });
  }
}

/** The controller as deployed (Kubernetes sources, an empty cluster on the real kube-apiserver), idle after its first sync. */
async function deployedIdleRss(main: string): Promise<Idle> {
  const api = await startApiChild('real', ['--services=0', '--ingresses=0', '--pods=0']);
  try {
    return await idleControllerRss(main, ['--source=service', '--source=ingress', `--kubeconfig=${api.kubeconfig}`,
      '--provider=inmemory', '--registry=txt', '--txt-owner-id=extdns-bench', '--policy=sync']);
  } finally {
    await api.stop();
  }
}

/** RSS (MiB) of the compiled controller with `args` (serving metrics, syncing hourly) once its first sync is done. */
async function idleControllerRss(main: string, args: readonly string[]): Promise<Idle> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...IMAGE_FLAGS, main, ...args, '--interval=1h', '--metrics-address=127.0.0.1:0'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...IMAGE_MALLOC_ENV } });
  try {
    await new Promise<void>((resolve, reject) => {
      // extdns logs on stderr.
      const lines = createInterface({ input: child.stderr });
      lines.on('line', (l) => { if (l.includes('msg="Applied changes') || l.includes('msg="All records are already up to date')) resolve(); });
      child.once('exit', (code) => { reject(new Error(`the controller exited (${code}) before its first sync`)); });
    });
    const syncedMs = performance.now() - t0;
    // Settled: what it holds while it waits for the next sync.
    await systemClock.sleep(2_000);
    return { ...await rssOf(child.pid), syncedMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const pad = (s: string): string => s.padStart(WIDTH);
const row = (label: string, cells: readonly string[]): string => label.padEnd(56) + cells.map(pad).join('');

export async function benchStartupLines(): Promise<string[]> {
  // A compile cache of the row's own: the first run starts it empty.
  const cache = await mkdtemp(join(tmpdir(), 'extdns-bench-compile-cache-'));
  const first = await timeDemo(cache);
  const warm: Timed[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await timeDemo(cache));
  await rm(cache, { recursive: true, force: true });
  const build = await compiledChild();
  let idle: Idle;
  let deployed: Idle;
  try {
    const main = join(dirname(build.child), '..', 'src', 'cli', 'main.js');
    idle = await idleRss(main);
    deployed = await deployedIdleRss(main);
  } finally {
    await build.cleanup();
  }
  const bare = await bareNodeRss();
  const wall = median(warm.map((t) => t.wallMs));
  return [
    `Start-up: the demo (manifests -> zone file, --once) from process start to exit; goal <= 1,000 ms on a warm checkout (median of ${RUNS})`,
    row('run', ['wall ms', 'CPU ms', 'x goal']),
    row('bin/extdns, compile cache cold (first run)', [first.wallMs.toFixed(0), first.cpuMs.toFixed(0), '-']),
    row('bin/extdns, compile cache warm', [wall.toFixed(0), median(warm.map((t) => t.cpuMs)).toFixed(0), `${(wall / 1000).toFixed(2)}x`]),
    `Idle controller as the image runs (compiled, Dockerfile flags and malloc env), the demo without --once after its first sync; goal RSS <= 60 MiB (the demo row; the deployed row is for information)`,
    row('process', ['RSS MiB', 'x goal', 'file MiB', 'anon MiB', 'first sync ms']),
    row('the demo controller, idle after the first sync (goal)', [idle.rssMiB.toFixed(0), `${(idle.rssMiB / 60).toFixed(2)}x`, idle.fileMiB.toFixed(0), idle.anonMiB.toFixed(0), idle.syncedMs.toFixed(0)]),
    row('as deployed (service+ingress, empty cluster; not the goal)', [deployed.rssMiB.toFixed(0), '-', deployed.fileMiB.toFixed(0), deployed.anonMiB.toFixed(0), deployed.syncedMs.toFixed(0)]),
    row('bare Node, same flags, serving HTTP (for scale)', [bare.rssMiB.toFixed(0), `${(bare.rssMiB / 60).toFixed(2)}x`, bare.fileMiB.toFixed(0), bare.anonMiB.toFixed(0), '-']),
  ];
}

if (import.meta.main) {
  for (const line of await benchStartupLines()) console.log(line);
}
