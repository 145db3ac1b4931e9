/**
 * A real Kubernetes control plane for tests: etcd and kube-apiserver (built by
 * scripts/build-kube-components.sh into .cache/kube/) on loopback, with a
 * throwaway PKI, RBAC authorization and TokenRequest-capable service
 * accounts. No controller-manager runs: nothing creates default
 * ServiceAccounts, so the ServiceAccount admission plugin is off (Pods are
 * created without a token mount). Start one per test file: it takes seconds.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubePki, type KubePki } from './pki.ts';
import { freePort, runCommand, startDaemon, type CommandResult, type Daemon } from './process.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const KUBE_CACHE = join(ROOT, '.cache', 'kube');
const APISERVER = join(KUBE_CACHE, 'kube-apiserver');
export const GATEWAY_API_CRDS = join(KUBE_CACHE, 'gateway-api-crds');

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir !== '' && existsSync(join(dir, command))) return join(dir, command);
  return undefined;
}

/** Why the real cluster cannot run here, or undefined when it can (`bash scripts/install-components.sh` provides it). */
export function realKubeUnavailable(): string | undefined {
  const missing = [
    existsSync(APISERVER) ? undefined : `${APISERVER} (scripts/build-kube-components.sh builds it)`,
    onPath('etcd') === undefined ? 'etcd (Debian etcd-server)' : undefined,
    onPath('etcdctl') === undefined ? 'etcdctl (Debian etcd-client)' : undefined,
    onPath('kubectl') === undefined ? 'kubectl' : undefined,
  ].filter((m) => m !== undefined);
  return missing.length === 0 ? undefined : `the real Kubernetes components are absent: ${missing.join(', ')}; run bash scripts/install-components.sh`;
}

export interface RealKube {
  readonly server: string;
  readonly dir: string;
  readonly pki: KubePki;
  /** A kubeconfig file for the system:masters admin (client certificate). */
  readonly adminKubeconfig: string;
  /** `kubectl --kubeconfig=<admin> args…`; throws with the output unless it exits 0. */
  kubectl(args: readonly string[], input?: string): Promise<string>;
  /** The same, returning the outcome whatever it is. */
  kubectlResult(args: readonly string[], input?: string): Promise<CommandResult>;
  /** A TokenRequest token of a ServiceAccount (`kubectl create token`). */
  serviceAccountToken(namespace: string, name: string): Promise<string>;
  /** Writes a kubeconfig that authenticates with `token` and returns its path; `server` for a relay in front of the API server. */
  tokenKubeconfig(token: string, name: string, server?: string): Promise<string>;
  readonly securePort: number;
  /** The etcd revision now, and a compaction of etcd's history up to it. */
  compactEtcd(): Promise<number>;
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
  /** The API server's log so far. */
  apiServerLog(): Promise<string>;
  close(): Promise<void>;
}

interface Ports {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly secure: number;
}

function etcdArgs(dir: string, p: Ports): string[] {
  const client = `http://127.0.0.1:${p.etcdClient}`;
  const peer = `http://127.0.0.1:${p.etcdPeer}`;
  return ['--name=test', `--data-dir=${join(dir, 'etcd')}`, `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=test=${peer}`, '--log-level=warn', '--logger=zap'];
}

function apiServerArgs(dir: string, pki: KubePki, p: Ports): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${p.etcdClient}`, '--etcd-compaction-interval=0',
    '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${p.secure}`, `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.servingCertFile}`, `--tls-private-key-file=${pki.servingKeyFile}`, `--client-ca-file=${pki.caFile}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local', `--service-account-key-file=${pki.saPublicKeyFile}`,
    `--service-account-signing-key-file=${pki.saPrivateKeyFile}`, '--authorization-mode=RBAC', '--service-cluster-ip-range=10.96.0.0/12',
    '--disable-admission-plugins=ServiceAccount', '--enable-priority-and-fairness=false', '--profiling=false', '--v=1',
  ];
}

function kubeconfigYaml(server: string, caPem: string, user: Record<string, string>): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const userLines = Object.entries(user).map(([k, v]) => `    ${k}: ${v}`).join('\n');
  return `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(caPem)}
users:
- name: u
  user:
${userLines}
contexts:
- name: test
  context: {cluster: test, user: u, namespace: default}
current-context: test
`;
}

/** GET /readyz as admin until it answers 200 (about 5–15 s after start on two cores). */
async function waitReady(server: string, pki: KubePki, daemon: Daemon, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (daemon.child.exitCode !== null) throw new Error(`kube-apiserver exited with ${daemon.child.exitCode}`);
    const status = await new Promise<number>((resolve) => {
      const req = request(`${server}/readyz`, { ca: pki.caPem, cert: pki.adminCertPem, key: pki.adminKeyPem, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => { resolve(0); });
      req.on('timeout', () => { req.destroy(); });
      req.end();
    });
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`kube-apiserver was not ready within ${timeoutMs} ms`);
}

async function checked(result: Promise<CommandResult>, what: string): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export interface RealKubeOptions {
  /** More kube-apiserver flags (e.g. --watch-cache=false: watches then read etcd itself, so its compaction shows). */
  readonly apiServerArgs?: readonly string[];
}

export async function startRealKube(options: RealKubeOptions = {}): Promise<RealKube> {
  const unavailable = realKubeUnavailable();
  if (unavailable !== undefined) throw new Error(unavailable);
  const dir = await mkdtemp(join(tmpdir(), 'extdns-real-kube-'));
  const pki = await createKubePki(dir);
  const ports: Ports = { etcdClient: await freePort(), etcdPeer: await freePort(), secure: await freePort() };
  const server = `https://127.0.0.1:${ports.secure}`;
  const etcdEndpoint = `http://127.0.0.1:${ports.etcdClient}`;
  const etcd = startDaemon('etcd', 'etcd', etcdArgs(dir, ports), join(dir, 'etcd.log'));
  const apiLog = join(dir, 'kube-apiserver.log');
  let apiserver: Daemon | undefined;
  const startApiServer = async (): Promise<void> => {
    apiserver = startDaemon('kube-apiserver', APISERVER, [...apiServerArgs(dir, pki, ports), ...(options.apiServerArgs ?? [])], apiLog);
    await waitReady(server, pki, apiserver);
  };
  const stopApiServer = async (): Promise<void> => {
    await apiserver?.stop();
    apiserver = undefined;
  };
  const close = async (): Promise<void> => {
    await stopApiServer();
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(adminKubeconfig, kubeconfigYaml(server, pki.caPem, {
    'client-certificate-data': Buffer.from(pki.adminCertPem).toString('base64'),
    'client-key-data': Buffer.from(pki.adminKeyPem).toString('base64'),
  }));
  try {
    await startApiServer();
  } catch (err) {
    const log = await readFile(apiLog, 'utf8').catch(() => '');
    await close();
    throw new Error(`${(err as Error).message}; its log ends:\n${log.slice(-3000)}`);
  }
  const kubectlResult = (args: readonly string[], input?: string): Promise<CommandResult> =>
    runCommand('kubectl', [`--kubeconfig=${adminKubeconfig}`, ...args], input);
  const etcdctl = (args: readonly string[]): Promise<string> =>
    checked(runCommand('etcdctl', [`--endpoints=${etcdEndpoint}`, ...args]), `etcdctl ${args.join(' ')}`);
  return {
    server, dir, pki, adminKubeconfig, kubectlResult, startApiServer, stopApiServer, close,
    kubectl: (args, input) => checked(kubectlResult(args, input), `kubectl ${args.join(' ')}`),
    async serviceAccountToken(namespace, name) {
      return (await checked(kubectlResult(['create', 'token', name, '-n', namespace, '--duration=2h']), 'kubectl create token')).trim();
    },
    securePort: ports.secure,
    async tokenKubeconfig(token, name, via = server) {
      const path = join(dir, `${name}.kubeconfig`);
      await writeFile(path, kubeconfigYaml(via, pki.caPem, { token }));
      return path;
    },
    async compactEtcd() {
      const status = JSON.parse(await etcdctl(['endpoint', 'status', '-w', 'json'])) as { Status: { header: { revision: number } } }[];
      const revision = status[0]!.Status.header.revision;
      await etcdctl(['compact', String(revision)]);
      return revision;
    },
    apiServerLog: () => readFile(apiLog, 'utf8'),
  };
}
