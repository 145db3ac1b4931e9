/**
 * `extdns doctor [flags] [--endpoint URL]… [--output=table|json]`: connects
 * to every endpoint the configuration would use (and each --endpoint) and
 * prints OK or what is wrong and how to fix it. Exit 0 only when all pass.
 */
import { errorMessage } from '../errors/errors.ts';
import { diagnose, type Diagnosis } from '../tls/doctor.ts';
import { createTrustStore } from '../tls/store.ts';
import type { TrustSpec } from '../tls/tls.ts';
import type { CommandDeps, TrustOutput } from './trust.ts';
import type { KubeTrustOutcome } from './kube-trust-wiring.ts';

export const DOCTOR_OUTPUTS = ['table', 'json'] as const;

export interface DoctorCommandOptions {
  /** Connections of the configuration; those with an `endpoint` are checked. */
  readonly connections: readonly TrustSpec[];
  /** Extra --endpoint URLs, checked with `endpointSpec` (the global --tls-* flags). */
  readonly endpoints?: readonly string[];
  readonly endpointSpec?: TrustSpec;
  /** The Kubernetes API connection, when the configuration makes one. */
  readonly kube?: KubeTrustOutcome | undefined;
  readonly output: TrustOutput;
}

export interface DoctorCommandDeps extends CommandDeps {
  readonly timeoutMs?: number;
  readonly lookup?: (host: string) => Promise<{ address: string }>;
}

export async function runDoctorCommand(options: DoctorCommandOptions, deps: DoctorCommandDeps): Promise<number> {
  const jobs: { spec: TrustSpec; url: string }[] = options.connections.flatMap((spec) => (spec.endpoint === undefined ? [] : [{ spec, url: spec.endpoint }]));
  const extraSpec: TrustSpec = options.endpointSpec ?? { name: 'endpoint', mode: 'append', caFiles: [], env: {} };
  for (const url of options.endpoints ?? []) jobs.push({ spec: { ...extraSpec, name: extraSpec.name, endpoint: url }, url });
  const results: Diagnosis[] = [];
  for (const job of jobs) results.push(await checkOne(job.spec, job.url, deps));
  if (options.kube !== undefined) results.push(await checkKube(options.kube, deps));
  if (options.output === 'json') deps.write(`${JSON.stringify(results, null, 2)}\n`);
  else deps.write(results.length === 0 ? 'no endpoints to check: the configuration opens no TLS connection; pass --endpoint URL\n' : results.map(renderDiagnosis).join('\n'));
  return results.every((r) => r.ok) ? 0 : 1;
}

async function checkOne(spec: TrustSpec, url: string, deps: DoctorCommandDeps): Promise<Diagnosis> {
  let store;
  try {
    store = createTrustStore(spec, { clock: deps.clock, logger: deps.logger, watch: false, ...deps.trust });
  } catch (err) {
    return {
      endpoint: url, connection: spec.name, ok: false, verdict: 'invalid-trust-settings', chain: [], notes: [],
      trust: { mode: spec.mode, total: 0, sources: [] },
      findings: [{ verdict: 'invalid-trust-settings', message: errorMessage(err), fix: 'fix the file or flag named above; extdns would refuse to start with it' }],
    };
  }
  try {
    return await diagnose(url, {
      generation: store.current(), serverName: spec.serverName, skipVerify: spec.skipVerify?.flag, allowPartialChain: spec.allowPartialChain, proxy: spec.proxy,
    }, { clock: deps.clock, ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }), ...(deps.lookup === undefined ? {} : { lookup: deps.lookup }) });
  } finally {
    await store.close();
  }
}

async function checkKube(kube: KubeTrustOutcome, deps: DoctorCommandDeps): Promise<Diagnosis> {
  if ('error' in kube) {
    return {
      endpoint: '', connection: kube.name, ok: false, verdict: 'invalid-trust-settings', chain: [], notes: [],
      trust: { mode: 'replace', total: 0, sources: [] },
      findings: [{ verdict: 'invalid-trust-settings', message: kube.error, fix: 'fix the kubeconfig (or the in-cluster service account) named above' }],
    };
  }
  const d = await diagnose(kube.generation.report.endpoint ?? '', {
    generation: kube.generation, serverName: kube.serverName, skipVerify: kube.skipVerify, proxy: kube.proxy,
  }, { clock: deps.clock, ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }), ...(deps.lookup === undefined ? {} : { lookup: deps.lookup }) });
  const credential = kube.generation.report.credential;
  return { ...d, notes: [...d.notes, ...(credential === undefined ? [] : [`client credential: ${credential}`]), ...kube.generation.report.warnings] };
}

export function renderDiagnosis(d: Diagnosis): string {
  const lines = [`${d.ok ? 'OK  ' : 'FAIL'} ${d.connection}  ${d.endpoint}${d.ok ? '' : `  (${d.verdict})`}` +
    `${d.protocol === undefined ? '' : `  ${d.protocol}`}${d.address === undefined ? '' : `  ${d.address}`}`];
  for (const f of d.findings) {
    lines.push(`     problem: ${f.message}`);
    lines.push(`     fix:     ${f.fix}`);
  }
  d.chain.forEach((c, i) => {
    lines.push(`     chain[${i}]: ${c.subject}  (issuer ${c.issuer}; ${c.notBefore} → ${c.notAfter}; sha256 ${c.fingerprint256})`);
  });
  lines.push(`     trust: ${d.trust.mode} mode, ${d.trust.total} certificates: ${d.trust.sources.join('; ')}`);
  for (const n of d.notes) lines.push(`     note: ${n}`);
  return `${lines.join('\n')}\n`;
}
