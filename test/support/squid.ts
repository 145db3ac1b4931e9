/**
 * Debian's squid-openssl as a real TLS-inspecting proxy (ssl_bump): every
 * CONNECT is bumped and the client sees a certificate squid makes on the
 * fly, issued by the proxy's own CA ("extdns test inspecting proxy CA").
 * Names resolve through squid's own hosts_file, so a name only the proxy
 * knows reaches a loopback server. Runs as the `proxy` user (squid refuses
 * root) in a throwaway folder with its own shared-memory prefix (-n).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, stopChild } from './pdns-server.ts';

const run = promisify(execFile);
const CERTGEN = '/usr/lib/squid/security_file_certgen';

export const SQUID_AVAILABLE = existsSync('/usr/sbin/squid') && existsSync(CERTGEN);

export interface Squid {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The proxy's CA (PEM file), the one an operator would pass with --tls-ca. */
  readonly caFile: string;
  readonly caSubject: string;
  /** Lines of squid's access log (CONNECT and bumped requests). */
  accessLog(): Promise<string[]>;
  close(): Promise<void>;
}

export interface SquidOptions {
  /** Host name → address squid connects to. */
  readonly hosts: Readonly<Record<string, string>>;
  /** CA squid trusts for the origin servers it connects to. */
  readonly originCaFile: string;
}

export async function startSquid(options: SquidOptions): Promise<Squid> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-squid-'));
  const name = `extdns${process.pid}x${Math.floor(Math.random() * 1e6)}`;
  const caFile = join(dir, 'proxy-ca.pem');
  const caKey = join(dir, 'proxy-ca.key');
  const caSubject = 'O=extdns tests, CN=extdns test inspecting proxy CA';
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', caFile,
    '-subj', '/O=extdns tests/CN=extdns test inspecting proxy CA', '-days', '30',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await writeFile(join(dir, 'origin-ca.pem'), await readFile(options.originCaFile));
  await writeFile(join(dir, 'hosts'), Object.entries(options.hosts).map(([h, a]) => `${a} ${h}\n`).join(''));
  await run(CERTGEN, ['-c', '-s', join(dir, 'ssl_db'), '-M', '4MB']);
  const port = await freePort();
  await writeFile(join(dir, 'squid.conf'), squidConf(dir, port, caFile, caKey));
  if (userInfo().uid === 0) await chownTree(dir, 'proxy');
  const child = spawn('/usr/sbin/squid', ['-N', '-n', name, '-f', join(dir, 'squid.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  await waitForLog(dir, child, () => stderr);
  return {
    url: `http://127.0.0.1:${port}`, caFile, caSubject,
    accessLog: async () => (await readFile(join(dir, 'access.log'), 'utf8').catch(() => '')).split('\n').filter((l) => l !== ''),
    close: async () => {
      await stopChild(child);
      await removeShm(name);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function squidConf(dir: string, port: number, caFile: string, caKey: string): string {
  return [
    `http_port 127.0.0.1:${port} ssl-bump generate-host-certificates=on dynamic_cert_mem_cache_size=4MB tls-cert=${caFile} tls-key=${caKey}`,
    `sslcrtd_program ${CERTGEN} -s ${join(dir, 'ssl_db')} -M 4MB`,
    'sslcrtd_children 2 startup=1 idle=1',
    'acl step1 at_step SslBump1',
    'ssl_bump peek step1',
    'ssl_bump bump all',
    `tls_outgoing_options cafile=${join(dir, 'origin-ca.pem')}`,
    'http_access allow all',
    `pid_filename ${join(dir, 'squid.pid')}`,
    `cache_log ${join(dir, 'cache.log')}`,
    `access_log stdio:${join(dir, 'access.log')}`,
    'cache deny all',
    `coredump_dir ${dir}`,
    `hosts_file ${join(dir, 'hosts')}`,
    'dns_nameservers 127.0.0.1',
    'cache_effective_user proxy',
    'shutdown_lifetime 0 seconds',
    'netdb_filename none',
    'pinger_enable off',
    '',
  ].join('\n');
}

async function chownTree(dir: string, user: string): Promise<void> {
  const { stdout } = await run('id', ['-u', user]);
  const { stdout: gid } = await run('id', ['-g', user]);
  const uid = Number(stdout.trim());
  const g = Number(gid.trim());
  const walk = async (p: string): Promise<void> => {
    await chown(p, uid, g);
    for (const e of await readdir(p, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(p, e.name));
      else await chown(join(p, e.name), uid, g);
    }
  };
  await walk(dir);
}

/** Ready once cache.log says it accepts connections; fails with squid's own words otherwise. */
async function waitForLog(dir: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const log = await readFile(join(dir, 'cache.log'), 'utf8').catch(() => '');
    if (/Accepting SSL bumped HTTP Socket connections/.test(log)) return;
    if (child.exitCode !== null || /FATAL/.test(log)) throw new Error(`squid did not start:\n${log}\n${stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('squid did not start within 10 s');
}

async function removeShm(name: string): Promise<void> {
  const files = await readdir('/dev/shm').catch(() => [] as string[]);
  await Promise.all(files.filter((f) => f.startsWith(`${name}-`)).map((f) => rm(join('/dev/shm', f), { force: true })));
}
