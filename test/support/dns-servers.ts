/**
 * Real authoritative DNS servers for the RFC 2136 tests, on loopback in a
 * temp folder: BIND 9 (named) and Knot DNS (knotd), each with one TSIG key
 * per HMAC algorithm allowed to update and transfer the test zone. BIND can
 * also listen for DNS over TLS with a certificate given by the test.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeDnsPort, freePort } from './pdns-server.ts';

const execFileAsync = promisify(execFile);

export const TEST_ZONE = 'example.org';
export const HMAC_ALGORITHMS = ['hmac-md5', 'hmac-sha1', 'hmac-sha224', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const;
export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];

export interface TestKey {
  readonly name: string;
  readonly algorithm: HmacAlgorithm;
  readonly secret: string;
}

export interface DnsTestServer {
  readonly kind: 'bind' | 'knot';
  readonly port: number;
  /** The DoT port when started with `tls`. */
  readonly tlsPort?: number | undefined;
  readonly dir: string;
  /** One key per algorithm; `key('hmac-sha256')` is the usual one. */
  key(algorithm?: HmacAlgorithm): TestKey;
  /** `dig +short` against the server. */
  dig(name: string, type: string): Promise<string[]>;
  /** The zone's records by `dig AXFR` with the sha256 key, one presentation line each (SOA included once). */
  axfr(zone?: string): Promise<string[]>;
  /** The zone's SOA serial, read with dig. */
  serial(zone?: string): Promise<number>;
  /** Applies nsupdate commands (text after `server`/`zone` lines) with the sha256 key. */
  nsupdate(commands: string, zone?: string): Promise<void>;
  /** What the server printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly zones?: readonly string[];
  /** Leaf certificate (with chain) and key for a DoT listener (BIND only). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** BIND's transfer-message-size: small (the default here, 1024) so even a test zone's AXFR spans several messages. */
  readonly transferMessageSize?: number | undefined;
}

function makeKeys(): TestKey[] {
  return HMAC_ALGORITHMS.map((algorithm) => ({ name: `extdns-${algorithm.replace('hmac-', '')}`, algorithm, secret: randomBytes(32).toString('base64') }));
}

function zoneText(zone: string): string {
  return [
    `$ORIGIN ${zone}.`, '$TTL 300',
    `@ IN SOA ns.${zone}. hostmaster.${zone}. 1 3600 600 86400 300`,
    // The name server lies outside every test zone: no glue record the tests could delete by accident.
    '@ IN NS ns.extdns-test.invalid.', '',
  ].join('\n');
}

export async function startBind(options: StartOptions = {}): Promise<DnsTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-bind-'));
  const zones = options.zones ?? [TEST_ZONE];
  const keys = makeKeys();
  const port = await freeDnsPort();
  const tlsPort = options.tls === undefined ? undefined : await freePort();
  const keyList = keys.map((k) => `key ${k.name};`).join(' ');
  const conf = [
    ...keys.map((k) => `key "${k.name}" { algorithm ${k.algorithm}; secret "${k.secret}"; };`),
    ...(options.tls === undefined ? [] : [`tls local-tls { key-file "${options.tls.keyFile}"; cert-file "${options.tls.certFile}"; };`]),
    'options {', `  directory "${dir}";`, `  pid-file "${dir}/named.pid";`, `  session-keyfile "${dir}/session.key";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    ...(tlsPort === undefined ? [] : [`  listen-on port ${tlsPort} tls local-tls { 127.0.0.1; };`]),
    '  listen-on-v6 { none; };', '  recursion no;', '  dnssec-validation no;', '  notify no;',
    `  transfer-message-size ${options.transferMessageSize ?? 1024};`, '};',
    'controls { };',
    ...zones.map((z) => `zone "${z}" { type primary; file "${dir}/${z}.zone"; journal "${dir}/${z}.jnl"; allow-update { ${keyList} }; allow-transfer { ${keyList} }; };`),
    '',
  ].join('\n');
  for (const z of zones) await writeFile(join(dir, `${z}.zone`), zoneText(z));
  await writeFile(join(dir, 'named.conf'), conf);
  const child = spawn('named', ['-g', '-c', join(dir, 'named.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return started({ kind: 'bind', dir, port, tlsPort, keys, child, zone: zones[0] ?? TEST_ZONE });
}

export async function startKnot(options: StartOptions = {}): Promise<DnsTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-knot-'));
  const zones = options.zones ?? [TEST_ZONE];
  const keys = makeKeys();
  const port = await freeDnsPort();
  const keyIds = keys.map((k) => k.name).join(', ');
  const conf = [
    'server:', `  rundir: "${dir}"`, `  listen: 127.0.0.1@${port}`,
    'database:', `  storage: "${dir}"`,
    'log:', '  - target: stderr', '    any: info',
    'key:', ...keys.flatMap((k) => [`  - id: ${k.name}`, `    algorithm: ${k.algorithm}`, `    secret: ${k.secret}`]),
    'acl:', '  - id: extdns', `    key: [${keyIds}]`, '    action: [update, transfer]',
    'template:', '  - id: default', `    storage: "${dir}"`, '    file: "%s.zone"', '    zonefile-sync: -1', '    journal-content: changes',
    'zone:', ...zones.map((z) => `  - domain: ${z}\n    acl: extdns`), '',
  ].join('\n');
  for (const z of zones) await writeFile(join(dir, `${z}.zone`), zoneText(z));
  await writeFile(join(dir, 'knot.conf'), conf);
  const child = spawn('knotd', ['-c', join(dir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return started({ kind: 'knot', dir, port, tlsPort: undefined, keys, child, zone: zones[0] ?? TEST_ZONE });
}

interface Parts {
  kind: 'bind' | 'knot';
  dir: string;
  port: number;
  tlsPort: number | undefined;
  keys: TestKey[];
  child: ChildProcess;
  zone: string;
}

async function started(p: Parts): Promise<DnsTestServer> {
  let log = '';
  p.child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const server = makeServer(p, () => log);
  try {
    await waitUntilUp(server, p, () => log);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

async function waitUntilUp(server: DnsTestServer, p: Parts, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (p.child.exitCode !== null) throw new Error(`${p.kind} exited (${p.child.exitCode}): ${log()}`);
    if ((await server.dig(p.zone, 'SOA').catch(() => [])).length > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${p.kind} did not answer within 10 s: ${log()}`);
}

function makeServer(p: Parts, log: () => string): DnsTestServer {
  const key = (algorithm: HmacAlgorithm = 'hmac-sha256'): TestKey => {
    const found = p.keys.find((k) => k.algorithm === algorithm);
    if (found === undefined) throw new Error(`no ${algorithm} key`);
    return found;
  };
  const y = (): string => { const k = key(); return `${k.algorithm}:${k.name}:${k.secret}`; };
  const dig = async (...args: string[]): Promise<string> =>
    (await execFileAsync('dig', ['@127.0.0.1', '-p', String(p.port), '+time=2', '+tries=1', ...args])).stdout;
  return {
    kind: p.kind, port: p.port, tlsPort: p.tlsPort, dir: p.dir, key, log,
    dig: async (name, type) => (await dig('+short', name, type)).split('\n').filter((l) => l !== ''),
    axfr: async (zone = p.zone) => {
      const lines = (await dig('+nocmd', '+nostats', '+nocomments', '-y', y(), zone, 'AXFR')).split('\n')
        .filter((l) => l !== '' && !l.startsWith(';') && !/\sTSIG\s/.test(l));
      return [...new Set(lines.map((l) => l.split(/\s+/).join(' ')))];
    },
    serial: async (zone = p.zone) => Number((await dig('+short', zone, 'SOA')).trim().split(/\s+/)[2]),
    nsupdate: async (commands, zone = p.zone) => {
      const input = `server 127.0.0.1 ${p.port}\nzone ${zone}\n${commands}\nsend\n`;
      await new Promise<void>((resolve, reject) => {
        const child = execFile('nsupdate', ['-v', '-y', y()], (err, _out, stderr) => {
          if (err === null) resolve(); else reject(new Error(`nsupdate failed: ${stderr}`));
        });
        child.stdin?.end(input);
      });
    },
    stop: async () => {
      if (p.child.exitCode === null) {
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        await exited;
      }
      await rm(p.dir, { recursive: true, force: true });
    },
  };
}
