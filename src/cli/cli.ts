/**
 * The extdns command line: `extdns [flags]` runs the controller (like
 * ExternalDNS), `extdns plan` shows what a sync would change, `extdns trust`
 * and `extdns doctor` explain TLS trust, `extdns explain NAME` tells the story of one name (./explain.ts), the serving commands of
 * the table (./command-line.ts SERVE_COMMANDS) serve the provider, `extdns version`.
 * Exit codes: 0 ok; 1 error; 2 (`plan` and `explain` only) changes are due.
 * Each command's own modules are loaded when it runs: the controller's
 * process holds none of trust, doctor, explain or plan (issue 22: idle memory).
 */
import { changedMaskedConfig, maskedConfig } from '../config/mask.ts';
import { metaFlag, parseConfig, unknownEnvVars } from '../config/parse.ts';
import type { Environment } from '../config/process.ts';
import type { Config } from '../config/schema.ts';
import { renderHelp } from '../config/help.ts';
import { errorMessage } from '../errors/errors.ts';
import { createLogger, type Logger, type LogLevel } from '../log/logger.ts';
import { SUPPORTED_PROVIDERS } from '../provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../registry/table.ts';
import { SUPPORTED_SOURCES } from '../source/table.ts';
import type { Clock, Random } from '../util/clock.ts';
import { buildPipeline, type Pipeline } from './build.ts';
import { COMMANDS, ownChoice, SERVE_COMMANDS, splitCommandLine, type Command, type CommandLine, type ServeCommandDeps } from './command-line.ts';
import { renderCommandHelp } from './command-help.ts';
import { VERSION } from './version.ts';
import { connectionSpec, providerConnections } from './trust-wiring.ts';
import type { TrustSpec } from '../tls/tls.ts';
import { assertValidConfig } from '../config/validate.ts';
import { runtimeBuildInfo } from '../metrics/external-dns.ts';
import { startOperations, type Operations } from '../server/operations.ts';
import { assembleProvider, closeConnections, type HeldConnections } from './provider-wiring.ts';
import { redactUrls } from '../util/url-secrets.ts';

export interface CliIo {
  env: Environment;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  clock: Clock;
  random: Random;
  /** Aborted on SIGTERM / SIGINT. */
  signal: AbortSignal;
}

export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  // Passwords in URLs (--pdns-server=https://admin:pw@…, proxy URLs) never reach the output, whatever prints them.
  const io: CliIo = { ...given, stdout: (t) => { given.stdout(redactUrls(t)); }, stderr: (t) => { given.stderr(redactUrls(t)); } };
  const meta = metaFlag(argv);
  if (meta === 'help') {
    io.stdout(await helpText(argv[0]));
    return 0;
  }
  let logger: Logger | undefined;
  try {
    const line = splitCommandLine(argv);
    if (meta === 'version' || line.command === 'version') {
      io.stdout(`extdns ${VERSION}\n`);
      return 0;
    }
    const warnings: string[] = [];
    const named = line.command === 'explain' ? (await import('./explain.ts')).explainName(line.flags) : undefined;
    const flags = SERVE_COMMANDS[line.command]?.completeFlags(line.flags, io.env) ?? named?.rest ?? line.flags;
    const config = parseConfig(flags, io.env, {
      sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES,
    }, { warn: (m) => warnings.push(m), requireRunFlags: !STANDALONE.includes(line.command) });
    assertValidConfig(config);
    logger = createLogger({ level: logLevel(config), format: config.logFormat === 'json' ? 'json' : 'text', clock: io.clock,
      write: (l) => { io.stderr(`${l}\n`); } });
    for (const w of warnings) logger.warn(w);
    for (const v of unknownEnvVars(io.env)) logger.warn(`Environment variable ${v} matches no flag and is ignored`);
    logger.info(`extdns ${VERSION}`, { command: line.command });
    logger.info('Config (flags that differ from their defaults)', changedMaskedConfig(config));
    logger.debug('config', { config: maskedConfig(config) });
    return await dispatch(named === undefined ? line : { ...line, name: named.name }, config, { io, logger });
  } catch (err) {
    const message = `extdns: ${errorMessage(err)}`;
    if (logger) logger.error(message);
    else io.stderr(`${message}\n`);
    return 1;
  }
}

/** `--help` of a command: its own flags and exit codes, then every flag (explain has a page of its own). */
async function helpText(first: string | undefined): Promise<string> {
  if (first === 'explain') return (await import('./explain.ts')).EXPLAIN_HELP;
  const command = (COMMANDS as readonly string[]).includes(first ?? '') ? (first as Command) : 'run';
  return renderCommandHelp(command) + renderHelp();
}

interface Context {
  io: CliIo;
  logger: Logger;
}

/** Commands that diagnose without a whole run configuration (no --source, --provider, --policy needed). */
const STANDALONE: readonly string[] = ['trust', 'doctor'];

async function dispatch(line: CommandLine & { name?: string }, config: Config, ctx: Context): Promise<number> {
  switch (line.command) {
    case 'plan':
      return planCommand(line, config, ctx);
    case 'explain': {
      const { EXPLAIN_OUTPUTS, runExplain } = await import('./explain.ts');
      return runExplain(line.name ?? '', config, { logger: ctx.logger, clock: ctx.io.clock, random: ctx.io.random, env: ctx.io.env, write: ctx.io.stdout, signal: ctx.io.signal },
        ownChoice(line, 'output', EXPLAIN_OUTPUTS, 'table'));
    }
    case 'trust': {
      const [{ runTrustCommand, TRUST_OUTPUTS }, { kubeTrust }] = await Promise.all([import('./trust.ts'), import('./kube-trust-wiring.ts')]);
      return runTrustCommand({
        connections: (config.provider as string) === '' ? [everyConnectionSpec(config, ctx.io.env)] : connectionSpecs(config, ctx.io.env),
        kube: await kubeTrust(config, ctx.io.env, ctx.io.clock),
        output: ownChoice(line, 'output', TRUST_OUTPUTS, 'table'),
      }, commandDeps(ctx));
    }
    case 'doctor': {
      const [{ DOCTOR_OUTPUTS, runDoctorCommand }, { kubeTrust }] = await Promise.all([import('./doctor.ts'), import('./kube-trust-wiring.ts')]);
      return runDoctorCommand({
        connections: connectionSpecs(config, ctx.io.env),
        endpoints: line.own.get('endpoint') ?? [],
        endpointSpec: connectionSpec(config, ctx.io.env, { name: 'endpoint', endpoint: '' }),
        kube: await kubeTrust(config, ctx.io.env, ctx.io.clock),
        output: ownChoice(line, 'output', DOCTOR_OUTPUTS, 'table'),
      }, commandDeps(ctx));
    }
    default:
      return SERVE_COMMANDS[line.command]?.run(config, serveDeps(ctx)) ?? servedInstead(config, ctx) ?? runCommand(config, ctx);
  }
}

/** A plain run that a serving command takes over (ExternalDNS's --webhook-server), or undefined. */
function servedInstead(config: Config, ctx: Context): Promise<number> | undefined {
  for (const command of Object.values(SERVE_COMMANDS)) {
    const serving = command.runInstead(config, serveDeps(ctx));
    if (serving !== undefined) return serving;
  }
  return undefined;
}

function serveDeps(ctx: Context): ServeCommandDeps {
  const { logger, io: { clock, env, signal } } = ctx;
  return {
    logger,
    signal,
    assemble: async (config) => {
      const held: HeldConnections = { stores: [] };
      try {
        return { ...await assembleProvider(config, { logger, clock, env }, held), close: () => closeConnections(held) };
      } catch (err) {
        await closeConnections(held);
        throw err;
      }
    },
    operations: (address) => startOperations({ address, build: runtimeBuildInfo(VERSION), clock, logger, statusPage: false }),
  };
}

/** Without a provider, `extdns trust` shows the trust every provider connection would get from these flags. */
function everyConnectionSpec(config: Config, env: Environment): TrustSpec {
  return { ...connectionSpec(config, env, { name: 'every connection', endpoint: '' }), endpoint: undefined };
}

function connectionSpecs(config: Config, env: Environment): TrustSpec[] {
  return providerConnections(config, env).map((c) => connectionSpec(config, env, c));
}

function commandDeps(ctx: Context): { write: (t: string) => void; clock: Clock; logger: Logger } {
  return { write: ctx.io.stdout, clock: ctx.io.clock, logger: ctx.logger };
}

async function runCommand(config: Config, ctx: Context): Promise<number> {
  // A --once run has nothing to probe or scrape: no server, no port to collide on.
  const ops = config.once ? undefined
    : await startOperations({
      address: config.metricsAddress, build: runtimeBuildInfo(VERSION), clock: ctx.io.clock, logger: ctx.logger, statusPage: config.statusPage,
    });
  const deps = { logger: ctx.logger, clock: ctx.io.clock, random: ctx.io.random, env: ctx.io.env, observe: ops?.observe };
  try {
    const pipeline = await buildPipeline(config, deps);
    try {
      if (ops !== undefined) wireOperations(ops, pipeline);
      try {
        await pipeline.start(ctx.io.signal, { loop: !config.once, cacheTimeoutMs: CACHE_SYNC_TIMEOUT_MS });
      } catch (err) {
        if (ctx.io.signal.aborted) return 0; // SIGTERM while the caches were filling
        throw err;
      }
      // With leader election every replica is ready once its caches are warm: a standby never syncs.
      if (pipeline.leader !== undefined) ops?.readiness.markSynced();
      if (config.once) {
        if (config.leaderElect) ctx.logger.warn('--leader-elect is ignored with --once: a single sync runs without the lease');
        await pipeline.controller.runOnce(ctx.io.signal);
        return 0;
      }
      await pipeline.controller.run(ctx.io.signal);
      return 0;
    } finally {
      await pipeline.close();
    }
  } finally {
    await ops?.close();
  }
}

/** How long `plan` and --once wait for the Kubernetes caches (ExternalDNS waits 60 s too). */
const CACHE_SYNC_TIMEOUT_MS = 60_000;

/** /readyz waits for the Kubernetes caches; the leader gauge follows the election. */
function wireOperations(ops: Operations, pipeline: Pipeline): void {
  ops.readiness.add('caches', () => pipeline.cachesReady());
  pipeline.leader?.onChange((leading) => {
    ops.telemetry.setLeader(leading);
    ops.status?.setLeader(leading);
  });
  if (pipeline.leader !== undefined) ops.status?.setLeader(false);
}

async function planCommand(line: CommandLine, config: Config, ctx: Context): Promise<number> {
  const { PLAN_OUTPUTS, renderPlan } = await import('./plan-output.ts');
  const output = ownChoice(line, 'output', PLAN_OUTPUTS, 'table');
  const deps = { logger: ctx.logger, clock: ctx.io.clock, random: ctx.io.random, env: ctx.io.env };
  const pipeline = await buildPipeline(config, deps, { dryRun: true });
  try {
    await pipeline.start(ctx.io.signal, { loop: false, cacheTimeoutMs: CACHE_SYNC_TIMEOUT_MS });
    const result = await pipeline.controller.runOnce(ctx.io.signal);
    ctx.io.stdout(renderPlan(result.changes, output, result.refused));
    return result.noop ? 0 : 2;
  } finally {
    await pipeline.close();
  }
}

/** ExternalDNS's level names (the parser accepts only those). */
function logLevel(config: Config): LogLevel {
  return config.logLevel;
}
