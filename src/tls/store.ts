/**
 * createTrustStore: builds and validates a connection's trust at start-up,
 * logs the report, hands out the dispatcher / https.Agent, and reloads when
 * the files change (see ./reload.ts).
 */
import type { Dispatcher } from 'undici';
import type { Logger } from '../log/logger.ts';
import type { Clock } from '../util/clock.ts';
import { SwappableDispatcher, TrustHttpsAgent, generationAgent, type ConnectionPolicy } from './agents.ts';
import { buildGeneration } from './generation.ts';
import { realFs, type TrustFs } from './pem.ts';
import { Reloader, subPathWarnings } from './reload.ts';
import { reportLogFields } from './report.ts';
import type { ReloadCounts, TrustGeneration, TrustReport, TrustSpec } from './tls.ts';

export interface TrustStoreDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fs?: TrustFs;
  /** Watch and poll the files for changes (default true; `extdns trust` / `doctor` turn it off). */
  readonly watch?: boolean;
  /** Content-hash poll period (default 60 s) and the settle time after a file event (default 1.5 s). */
  readonly pollIntervalMs?: number;
  readonly debounceMs?: number;
  /** Pin Node's OS store and bundled roots (tests). */
  readonly systemCertificates?: () => readonly string[];
  readonly bundledCertificates?: () => readonly string[];
}

export interface TrustStore {
  readonly name: string;
  current(): TrustGeneration;
  /** For undici / fetch-style clients; stable across reloads. */
  dispatcher(): Dispatcher;
  /** For https.Agent users (AWS SDK NodeHttpHandler); stable across reloads. */
  httpsAgent(): TrustHttpsAgent;
  report(): TrustReport;
  reloadCounts(): ReloadCounts;
  /** Re-reads the files now; true when a new valid generation was swapped in. */
  reload(trigger?: string): boolean;
  close(): Promise<void>;
}

export function createTrustStore(spec: TrustSpec, deps: TrustStoreDeps): TrustStore {
  const fs = deps.fs ?? realFs;
  const build = (id: number, unchangedHash?: string): TrustGeneration | null => {
    const gen = buildGeneration(spec, id, { ...baseDeps(deps), fs, now: deps.clock.now(), ...(unchangedHash === undefined ? {} : { unchangedHash }) });
    return gen;
  };
  const first = build(1);
  if (first === null) throw new Error('unreachable: first generation is always built');
  const logger = deps.logger.child({ connection: spec.name });
  logStart(first, spec, fs, logger);
  const policy: ConnectionPolicy = { verify: spec.skipVerify === undefined, serverName: spec.serverName, proxy: spec.proxy };
  let current = first;
  const dispatcher = new SwappableDispatcher(generationAgent(first, policy));
  let agent: TrustHttpsAgent | undefined;
  const reloader = new Reloader({
    clock: deps.clock,
    logger,
    current: () => current,
    build: (id, hash) => build(id, hash),
    swap: (next) => {
      current = next;
      dispatcher.swap(generationAgent(next, policy));
      agent?.dropIdle();
    },
    pollIntervalMs: deps.pollIntervalMs ?? 60_000,
    debounceMs: deps.debounceMs ?? 1_500,
  });
  if (deps.watch !== false) reloader.start();
  return {
    name: spec.name,
    current: () => current,
    dispatcher: () => dispatcher,
    httpsAgent: () => {
      agent ??= new TrustHttpsAgent(() => current, policy);
      return agent;
    },
    report: () => current.report,
    reloadCounts: () => reloader.counts(),
    reload: (trigger = 'manual') => reloader.check(trigger),
    close: async () => {
      reloader.stop();
      agent?.destroy();
      await dispatcher.close();
    },
  };
}

function baseDeps(deps: TrustStoreDeps): { systemCertificates?: () => readonly string[]; bundledCertificates?: () => readonly string[] } {
  return {
    ...(deps.systemCertificates === undefined ? {} : { systemCertificates: deps.systemCertificates }),
    ...(deps.bundledCertificates === undefined ? {} : { bundledCertificates: deps.bundledCertificates }),
  };
}

function logStart(gen: TrustGeneration, spec: TrustSpec, fs: TrustFs, logger: Logger): void {
  logger.info('TLS trust', reportLogFields(gen.report));
  for (const w of gen.report.warnings) logger.warn(w);
  for (const w of subPathWarnings(explicitFiles(spec), fs)) logger.warn(w);
}

function explicitFiles(spec: TrustSpec): string[] {
  const ca = spec.providerCa?.files.length ? spec.providerCa.files
    : spec.caFiles.length > 0 ? spec.caFiles : (spec.providerNative?.files ?? []);
  const client = spec.clientCerts?.[0];
  return [...ca, ...(client === undefined ? [] : [client.certFile, client.keyFile])];
}
