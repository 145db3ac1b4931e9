/**
 * nginx as a front for the PowerDNS API in tests: plain HTTP, HTTPS with a
 * given certificate, or HTTPS that requires a client certificate (mTLS). Its
 * access log records `METHOD path status` per request, so a test can count
 * the API calls a sync made (e.g. "zero PATCHes on a no-op sync").
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { freePort, stopChild } from './pdns-server.ts';

const execFileAsync = promisify(execFile);

export interface NginxTls {
  /** PEM: the leaf certificate followed by any intermediates. */
  certFile: string;
  keyFile: string;
  /** PEM CA bundle for client certificates; when set a client certificate is required. */
  clientCaFile?: string;
}

export interface NginxOptions {
  /** Where requests go, e.g. the PowerDNS API `http://127.0.0.1:8081`. */
  upstream: string;
  tls?: NginxTls;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** A logged request with nginx's timings (ms resolution), for the bench. */
export interface TimedRequest extends LoggedRequest {
  /** $request_time: first byte read from the client to the last byte of the answer sent. */
  ms: number;
  /** $upstream_response_time: the upstream's (PowerDNS's) share of it; NaN when no upstream answered. */
  upstreamMs: number;
  /** nginx's $connection: the client connection's serial number (the same for requests on one keep-alive connection). */
  connection: number;
}

export interface Nginx {
  /** `https://localhost:<port>` (or http://127.0.0.1:<port> without TLS). */
  readonly url: string;
  readonly port: number;
  /** Every request logged so far (the access log is flushed per line). */
  requests(): Promise<LoggedRequest[]>;
  /** Requests logged since `mark()` was last called (or since start). */
  requestsSinceMark(): Promise<LoggedRequest[]>;
  /** The same with nginx's timings. */
  timedRequestsSinceMark(): Promise<TimedRequest[]>;
  mark(): Promise<void>;
  /** Re-reads the configuration and certificate files (what a Secret rotation plus reload does). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-nginx-'));
  await mkdir(join(dir, 'logs'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const accessLog = join(dir, 'logs', 'access.log');
  await writeFile(conf, config(dir, port, options));
  await writeFile(accessLog, '');
  const child = spawn('nginx', ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  try {
    await waitForPort(port, child, () => stderr);
  } catch (err) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let marked = 0;
  // nginx logs a request after it has sent the answer, so a client may read the log before the line lands:
  // read until the log stops growing (bounded), so counts never miss the request just answered.
  const timed = async (): Promise<TimedRequest[]> => {
    let text = await readFile(accessLog, 'utf8');
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const again = await readFile(accessLog, 'utf8');
      if (again === text) break;
      text = again;
    }
    return parseTimedLog(text);
  };
  const host = options.tls === undefined ? '127.0.0.1' : 'localhost';
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${host}:${port}`,
    port,
    requests: async () => untimed(await timed()),
    async requestsSinceMark() {
      return untimed((await timed()).slice(marked));
    },
    async timedRequestsSinceMark() {
      return (await timed()).slice(marked);
    },
    async mark() {
      marked = (await timed()).length;
    },
    async reload() {
      const before = await workers(child);
      await execFileAsync('nginx', ['-p', dir, '-c', conf, '-s', 'reload']);
      // nginx swaps workers asynchronously: the new config is served once every old worker has gone and a new one runs.
      await waitFor(async () => {
        const now = await workers(child);
        return now.length > 0 && now.every((pid) => !before.includes(pid));
      }, 'nginx to replace its workers after the reload');
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function config(dir: string, port: number, options: NginxOptions): string {
  const tls = options.tls;
  const ssl = tls === undefined ? '' : [
    `    ssl_certificate ${tls.certFile};`,
    `    ssl_certificate_key ${tls.keyFile};`,
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    ...(tls.clientCaFile === undefined ? [] : [`    ssl_client_certificate ${tls.clientCaFile};`, '    ssl_verify_client on;', '    ssl_verify_depth 3;']),
  ].join('\n');
  return `user root root;
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 256; }
http {
  log_format counted '$request_method $uri $status $request_time $upstream_response_time $connection';
  access_log ${join(dir, 'logs', 'access.log')} counted;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  client_max_body_size 16m;
  server {
    listen 127.0.0.1:${port}${tls === undefined ? '' : ' ssl'};
    server_name localhost;
${ssl}
    location / {
      proxy_pass ${options.upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

function untimed(log: readonly TimedRequest[]): LoggedRequest[] {
  return log.map(({ method, path, status }) => ({ method, path, status }));
}

function parseTimedLog(text: string): TimedRequest[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const [method = '', path = '', status = '0', seconds = '', upstream = '', connection = ''] = line.split(' ');
    return { method, path, status: Number(status), ms: Number(seconds) * 1000, upstreamMs: Number(upstream) * 1000, connection: Number(connection) };
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nginx did not listen within 5 s: ${log()}`);
}

export interface TestPki {
  dir: string;
  /** The private root CA (PEM). */
  caFile: string;
  /** Server leaf for localhost/127.0.0.1 followed by its intermediate. */
  serverChainFile: string;
  serverKeyFile: string;
  /** Client certificate (leaf + intermediate) and key, issued by the same CA. */
  clientCertFile: string;
  clientKeyFile: string;
  /** CA chain nginx uses to verify clients (root + intermediate). */
  clientCaFile: string;
}

/**
 * A throwaway private PKI made with openssl: root CA → intermediate → server
 * leaf (localhost, 127.0.0.1) and client leaf. `name` prefixes the subjects so
 * that two PKIs (a rotation) are told apart in messages.
 */
export async function createTestPki(dir: string, name = 'extdns-test'): Promise<TestPki> {
  await mkdir(dir, { recursive: true });
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileAsync('openssl', args, { cwd: dir });
  await writeFile(f('ext.cnf'), [
    '[ca]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash',
    '[server]', 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '[client]', 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth',
    '',
  ].join('\n'));
  const key = (n: string) => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(n));
  await key('ca.key');
  await ssl('req', '-x509', '-new', '-key', f('ca.key'), '-subj', `/CN=${name} Root CA`, '-days', '30', '-out', f('ca.pem'), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const issue = async (n: string, subject: string, issuer: string, ext: string) => {
    await key(`${n}.key`);
    await ssl('req', '-new', '-key', f(`${n}.key`), '-subj', `/CN=${subject}`, '-out', f(`${n}.csr`));
    await ssl('x509', '-req', '-in', f(`${n}.csr`), '-CA', f(`${issuer}.pem`), '-CAkey', f(`${issuer}.key`), '-CAcreateserial', '-days', '30', '-extfile', f('ext.cnf'), '-extensions', ext, '-out', f(`${n}.pem`));
  };
  await issue('int', `${name} Intermediate CA`, 'ca', 'ca');
  await issue('server', 'localhost', 'int', 'server');
  await issue('client', `${name} client`, 'int', 'client');
  const cat = async (out: string, ...parts: string[]) => writeFile(f(out), (await Promise.all(parts.map((p) => readFile(f(p), 'utf8')))).join(''));
  await cat('server-chain.pem', 'server.pem', 'int.pem');
  await cat('client-chain.pem', 'client.pem', 'int.pem');
  await cat('client-ca.pem', 'int.pem', 'ca.pem');
  return {
    dir,
    caFile: f('ca.pem'),
    serverChainFile: f('server-chain.pem'),
    serverKeyFile: f('server.key'),
    clientCertFile: f('client-chain.pem'),
    clientKeyFile: f('client.key'),
    clientCaFile: f('client-ca.pem'),
  };
}

/** The master's worker processes (Linux /proc). */
async function workers(master: ChildProcess): Promise<string[]> {
  const pid = master.pid ?? 0;
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter((p) => p !== '');
}

/** Polls `condition` (a state check, not a fixed sleep) for up to 10 s. */
async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
