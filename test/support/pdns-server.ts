/**
 * A real PowerDNS Authoritative server for tests: sqlite backend, its own
 * config dir in a temp folder, loopback ports, the HTTP API on, every cache
 * off so writes read back at once. One per test file; zones are cheap.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

export interface PdnsRecordInput {
  name: string;
  type: string;
  ttl?: number;
  contents: string[];
  disabled?: boolean;
}

export interface PdnsRrset {
  name: string;
  type: string;
  ttl: number;
  records: { content: string; disabled: boolean }[];
}

export interface PdnsServer {
  /** Base URL of the API (what --pdns-server takes), e.g. http://127.0.0.1:8081. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly serverId: string;
  readonly dnsPort: number;
  readonly webPort: number;
  readonly dir: string;
  /** Creates a native zone (name without trailing dot) holding the given rrsets besides SOA/NS. */
  createZone(name: string, records?: PdnsRecordInput[]): Promise<void>;
  deleteZone(name: string): Promise<void>;
  /** The zone's rrsets as the API returns them. */
  rrsets(zone: string): Promise<PdnsRrset[]>;
  /** Raw API call with the key set. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  /** `dig +short` answers for name/type against this server. */
  dig(name: string, type: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** A loopback TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => { socket.close(); resolve(false); });
    socket.bind(port, '127.0.0.1', () => { socket.close(() => { resolve(true); }); });
  });
}

/**
 * A loopback port free for TCP and UDP a moment ago, for a DNS server: a port
 * free for TCP can be another process's UDP socket, and a server that cannot
 * bind UDP there leaves dig talking to that process.
 */
export async function freeDnsPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (await udpFree(port)) return port;
  }
}

export async function startPdns(options: { apiKey?: string } = {}): Promise<PdnsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-pdns-'));
  const apiKey = options.apiKey ?? 'test-api-key-0123456789';
  const [dnsPort, webPort] = [await freeDnsPort(), await freePort()];
  const db = join(dir, 'pdns.sqlite3');
  await execFileAsync('sh', ['-c', `sqlite3 "${db}" < "${SCHEMA}"`]);
  await writeFile(join(dir, 'pdns.conf'), [
    'launch=gsqlite3',
    `gsqlite3-database=${db}`,
    'local-address=127.0.0.1',
    `local-port=${dnsPort}`,
    'api=yes',
    `api-key=${apiKey}`,
    'webserver=yes',
    'webserver-address=127.0.0.1',
    `webserver-port=${webPort}`,
    'webserver-allow-from=127.0.0.1/32',
    `socket-dir=${dir}`,
    'daemon=no',
    'guardian=no',
    'disable-syslog=yes',
    'security-poll-suffix=',
    'cache-ttl=0',
    'query-cache-ttl=0',
    'negquery-cache-ttl=0',
    'zone-cache-refresh-interval=0',
    'loglevel=3',
    '',
  ].join('\n'));
  const child = spawn('pdns_server', [`--config-dir=${dir}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const apiUrl = `http://127.0.0.1:${webPort}`;
  const server = makeServer({ dir, apiKey, apiUrl, dnsPort, webPort, child });
  try {
    await waitUntilUp(server, child, () => stderr);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

async function waitUntilUp(server: PdnsServer, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`pdns_server exited (${child.exitCode}): ${log()}`);
    try {
      const res = await server.api('GET', '/api/v1/servers/localhost');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`pdns_server did not answer within 5 s: ${log()}`);
}

interface ServerParts {
  dir: string;
  apiKey: string;
  apiUrl: string;
  dnsPort: number;
  webPort: number;
  child: ChildProcess;
}

function makeServer(p: ServerParts): PdnsServer {
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${p.apiUrl}${path}`, {
      method,
      headers: { 'X-API-Key': p.apiKey, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.text() };
  };
  const zonePath = (zone: string) => `/api/v1/servers/localhost/zones/${encodeURIComponent(`${zone}.`)}`;
  return {
    apiUrl: p.apiUrl,
    apiKey: p.apiKey,
    serverId: 'localhost',
    dnsPort: p.dnsPort,
    webPort: p.webPort,
    dir: p.dir,
    api,
    async createZone(name, records = []) {
      const rrsets = records.map((r) => ({
        name: `${r.name}.`,
        type: r.type,
        ttl: r.ttl ?? 300,
        records: r.contents.map((content) => ({ content, disabled: r.disabled ?? false })),
      }));
      const res = await api('POST', '/api/v1/servers/localhost/zones', {
        name: `${name}.`,
        kind: 'Native',
        nameservers: [`ns1.${name}.`],
        rrsets,
      });
      if (res.status !== 201) throw new Error(`creating zone ${name}: ${res.status} ${res.body}`);
    },
    async deleteZone(name) {
      const res = await api('DELETE', zonePath(name));
      if (res.status !== 204) throw new Error(`deleting zone ${name}: ${res.status} ${res.body}`);
    },
    async rrsets(zone) {
      const res = await api('GET', zonePath(zone));
      if (res.status !== 200) throw new Error(`reading zone ${zone}: ${res.status} ${res.body}`);
      return (JSON.parse(res.body) as { rrsets: PdnsRrset[] }).rrsets;
    },
    async dig(name, type) {
      const { stdout } = await execFileAsync('dig', ['@127.0.0.1', '-p', String(p.dnsPort), '+short', '+norecurse', '+time=2', '+tries=1', name, type]);
      return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '').sort();
    },
    async stop() {
      await stopChild(p.child);
      await rm(p.dir, { recursive: true, force: true });
    },
  };
}


/** Stops a child by its PID: SIGTERM, then SIGKILL after 3 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(child.pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => {
    signal('SIGKILL');
  }, 3000);
  await exited;
  clearTimeout(timer);
}
