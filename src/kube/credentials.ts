/**
 * How each request proves who it is: a fixed token, a token file re-read as
 * it rotates (projected service-account tokens change hourly), basic auth,
 * or an exec credential plugin (client.authentication.k8s.io, as EKS's
 * `aws eks get-token` uses). Client certificates travel in TLS (tls.ts) but an
 * exec plugin may also hand one out, so it is part of the answer here.
 */
import { execFile } from 'node:child_process';
import { controlCharProblem } from '../config/validate.ts';
import { FILE_LIMITS, readTextBounded } from '../util/bounded-read.ts';
import { ExtdnsError } from '../errors/errors.ts';
import type { Clock } from '../util/clock.ts';
import { KubeErrors } from './errors.ts';

export interface Credential {
  /** Value of the Authorization header, if any. */
  readonly authorization?: string | undefined;
  /** Client certificate and key (PEM) handed out by an exec plugin. */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

export interface CredentialSource {
  current(signal?: AbortSignal): Promise<Credential>;
  /** The API answered 401: forget any cached value so the next call fetches a fresh one. */
  refused(): void;
}

export const NO_CREDENTIAL: CredentialSource = { current: () => Promise.resolve({}), refused: () => undefined };

export function staticToken(token: string): CredentialSource {
  return { current: () => Promise.resolve({ authorization: `Bearer ${token}` }), refused: () => undefined };
}

export function basicAuth(username: string, password: string): CredentialSource {
  const value = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return { current: () => Promise.resolve({ authorization: value }), refused: () => undefined };
}

/** client-go re-reads a token file at most once a minute; a 401 makes the next request read it at once. */
export const TOKEN_FILE_REFRESH_MS = 60_000;

export function tokenFile(path: string, clock: Clock, fallback?: string): CredentialSource {
  let token: string | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  return {
    async current(): Promise<Credential> {
      if (token === undefined || clock.now() - readAt >= TOKEN_FILE_REFRESH_MS) {
        try {
          const text = (await readTextBounded(path, FILE_LIMITS.token)).trim();
          if (text === '') throw new Error('the file is empty');
          const problem = controlCharProblem(text);
          if (problem !== undefined) throw new Error(`the token ${problem}, which an Authorization header cannot carry`);
          token = text;
          readAt = clock.now();
        } catch (err) {
          // A rotation in progress may leave the file briefly unreadable: keep the last good token.
          if (token === undefined && fallback === undefined) {
            throw new ExtdnsError(KubeErrors.EXTDNS_KUBE_CONFIG, `cannot read the Kubernetes token file ${path}: ${(err as Error).message}`, { cause: err });
          }
        }
      }
      return { authorization: `Bearer ${token ?? fallback ?? ''}` };
    },
    refused(): void {
      readAt = Number.NEGATIVE_INFINITY;
    },
  };
}

export interface ExecConfig {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { name: string; value: string }[];
  readonly installHint?: string | undefined;
  /** Where the plugin was configured, for messages: `kubeconfig /path, users[name].exec`. */
  readonly origin: string;
  /** Working directory: the kubeconfig file's folder (relative commands resolve there, as in client-go). */
  readonly cwd?: string | undefined;
}

export interface ExecOptions {
  readonly clock: Clock;
  /** The process environment the plugin inherits (from src/config; never process.env here). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** Time limit for one plugin run. */
  readonly timeoutMs?: number;
}

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

interface ExecStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

/** Runs the plugin when there is no cached credential or the cached one has expired (or was refused). */
export function execPlugin(config: ExecConfig, options: ExecOptions): CredentialSource {
  let cached: { credential: Credential; expires: number } | undefined;
  let running: Promise<Credential> | undefined;
  const run = async (signal?: AbortSignal): Promise<Credential> => {
    const status = await runPlugin(config, options, signal);
    const credential: Credential = {
      ...(status.token === undefined ? {} : { authorization: `Bearer ${status.token}` }),
      ...(status.clientCertificateData === undefined ? {} : { cert: status.clientCertificateData }),
      ...(status.clientKeyData === undefined ? {} : { key: status.clientKeyData }),
    };
    const expires = status.expirationTimestamp === undefined ? Number.POSITIVE_INFINITY : Date.parse(status.expirationTimestamp);
    cached = { credential, expires };
    return credential;
  };
  return {
    current(signal): Promise<Credential> {
      if (cached !== undefined && options.clock.now() < cached.expires) return Promise.resolve(cached.credential);
      running ??= run(signal).finally(() => { running = undefined; });
      return running;
    },
    refused(): void {
      cached = undefined;
    },
  };
}

async function runPlugin(config: ExecConfig, options: ExecOptions, signal?: AbortSignal): Promise<ExecStatus> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.baseEnv)) if (v !== undefined) env[k] = v;
  for (const e of config.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ kind: 'ExecCredential', apiVersion: config.apiVersion, spec: { interactive: false } });
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(config.command, [...config.args], {
      env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 1 << 20, ...(config.cwd === undefined ? {} : { cwd: config.cwd }),
      ...(signal === undefined ? {} : { signal }),
    }, (err, out, stderr) => {
      if (err === null) {
        resolve(out);
        return;
      }
      const hint = config.installHint === undefined ? '' : ` ${config.installHint.trim()}`;
      reject(new ExtdnsError(KubeErrors.EXTDNS_KUBE_CREDENTIALS,
        `the exec credential plugin "${config.command}" (${config.origin}) failed: ${firstLine(stderr) || err.message}.${hint}`, { cause: err }));
    });
  });
  return parseExecCredential(stdout, config);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 300) ?? '';
}

export function parseExecCredential(stdout: string, config: Pick<ExecConfig, 'apiVersion' | 'command' | 'origin'>): ExecStatus {
  const bad = (why: string): ExtdnsError => new ExtdnsError(KubeErrors.EXTDNS_KUBE_CREDENTIALS,
    `the exec credential plugin "${config.command}" (${config.origin}) printed no usable ExecCredential: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw bad('its output is not JSON');
  }
  const o = parsed as { kind?: unknown; apiVersion?: unknown; status?: unknown };
  if (o.kind !== 'ExecCredential') throw bad(`kind is ${JSON.stringify(o.kind)}, not "ExecCredential"`);
  if (o.apiVersion !== config.apiVersion) throw bad(`apiVersion ${JSON.stringify(o.apiVersion)} differs from the configured ${config.apiVersion}`);
  const s = (typeof o.status === 'object' && o.status !== null ? o.status : {}) as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof s[k] === 'string' && s[k] !== '' ? s[k] : undefined);
  const status: ExecStatus = {};
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  const exp = str('expirationTimestamp');
  if (token !== undefined) status.token = token;
  if (cert !== undefined) status.clientCertificateData = cert;
  if (key !== undefined) status.clientKeyData = key;
  if (exp !== undefined) {
    if (Number.isNaN(Date.parse(exp))) throw bad(`status.expirationTimestamp ${JSON.stringify(exp)} is not a time`);
    status.expirationTimestamp = exp;
  }
  if (token === undefined && (cert === undefined || key === undefined)) throw bad('status has neither a token nor a client certificate and key');
  return status;
}
