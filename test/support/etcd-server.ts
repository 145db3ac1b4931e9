/**
 * A real etcd (Debian's etcd-server, 3.4) for tests, on loopback in a temp
 * folder: plain http, or TLS with required client certificates from the
 * test PKI (server leaf + chain under root A, clients under the client CA).
 * The test side reads and writes through the same JSON gateway with its own
 * undici agent, and `etcdctl` for set-up such as `auth enable`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { freePort, stopChild } from './pdns-server.ts';
import type { Pki } from './pki.ts';

const run = promisify(execFile);

export interface EtcdKeyValue {
  key: string;
  value: string;
  modRevision: number;
}

export interface EtcdServer {
  readonly url: string;
  /** The store revision (rises with every write). */
  revision(): Promise<number>;
  get(prefix: string): Promise<EtcdKeyValue[]>;
  put(key: string, value: string): Promise<void>;
  /** etcdctl with the endpoint and, under TLS, the client certificate. */
  ctl(...args: string[]): Promise<string>;
  /** What `user`:`password` may do through etcdctl once auth is on. */
  ctlAs(user: string, password: string, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface EtcdTls {
  pki: Pki;
  /** Leaf + intermediate, written by the caller with pki.write. */
  serverChainFile: string;
  serverKeyFile: string;
  /** The CAs whose clients etcd accepts. etcd 3.4's JSON gateway dials etcd's own gRPC port with the server certificate, so its CA must be there too. */
  clientCaFile: string;
  /** --client-cert-auth with --trusted-ca-file (default true). */
  requireClientCert?: boolean;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

export async function startEtcd(options: { tls?: EtcdTls; extraArgs?: string[] } = {}): Promise<EtcdServer> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const scheme = options.tls === undefined ? 'http' : 'https';
  const url = `${scheme}://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const tlsArgs = options.tls === undefined ? [] : [
    '--cert-file', options.tls.serverChainFile, '--key-file', options.tls.serverKeyFile,
    // etcd 3.4 asks for client certificates whenever it has --trusted-ca-file.
    ...(options.tls.requireClientCert === false ? [] : ['--client-cert-auth', '--trusted-ca-file', options.tls.clientCaFile]),
  ];
  const child = spawn('etcd', [
    '--name', 'n', '--data-dir', join(dir, 'data'), '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `n=${peer}`,
    '--log-outputs', 'stderr', '--logger', 'zap', ...tlsArgs, ...(options.extraArgs ?? []),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c: Buffer) => {
    log = (log + c.toString()).slice(-20_000);
  });
  const agent = options.tls === undefined ? new Agent() : new Agent({ connect: {
    ca: options.tls.pki.rootA.cert, cert: options.tls.pki.client.cert, key: options.tls.pki.client.key,
  } });
  const server = makeServer({ url, dir, child, agent, tls: options.tls });
  for (let i = 0; ; i++) {
    try {
      await server.revision();
      return server;
    } catch (err) {
      if (child.exitCode !== null || i > 200) {
        await server.stop();
        throw new Error(`etcd did not start: ${String(err)}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

interface ServerParts {
  url: string;
  dir: string;
  child: ChildProcess;
  agent: Agent;
  tls: EtcdTls | undefined;
}

function makeServer({ url, dir, child, agent, tls }: ServerParts): EtcdServer {
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await request(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), dispatcher: agent });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const ctlArgs = tls === undefined ? [] : ['--cacert', tls.pki.rootA.certFile, '--cert', tls.pki.client.certFile, '--key', tls.pki.client.keyFile];
  const ctl = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('etcdctl', ['--endpoints', url, ...ctlArgs, ...args], { env: { ...process.env, ETCDCTL_API: '3' } });
    return stdout;
  };
  return {
    url,
    async revision() {
      const body = await post('/v3/kv/range', { key: b64('\0'), keys_only: true, limit: '1' });
      return Number((body.header as { revision: string }).revision);
    },
    async get(prefix) {
      const end = Buffer.from(prefix);
      end[end.length - 1] = (end[end.length - 1] ?? 0) + 1;
      const body = await post('/v3/kv/range', { key: b64(prefix), range_end: end.toString('base64') });
      const kvs = (body.kvs ?? []) as { key: string; value?: string; mod_revision: string }[];
      return kvs.map((kv) => ({
        key: Buffer.from(kv.key, 'base64').toString(), value: Buffer.from(kv.value ?? '', 'base64').toString(), modRevision: Number(kv.mod_revision),
      }));
    },
    async put(key, value) {
      await post('/v3/kv/put', { key: b64(key), value: b64(value) });
    },
    ctl,
    ctlAs: (user, password, ...args) => ctl('--user', `${user}:${password}`, ...args),
    async stop() {
      await stopChild(child);
      await agent.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
