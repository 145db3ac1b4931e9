/**
 * `extdns trust [flags] [--output=table|json]`: the trust every configured
 * connection would use, the same report the run logs at start-up.
 * Exit 0 when every connection's trust is valid, 1 otherwise.
 */
import { errorMessage } from '../errors/errors.ts';
import type { Logger } from '../log/logger.ts';
import { renderReportTable } from '../tls/report.ts';
import { createTrustStore, type TrustStoreDeps } from '../tls/store.ts';
import type { TrustReport, TrustSpec } from '../tls/tls.ts';
import type { Clock } from '../util/clock.ts';
import type { KubeTrustOutcome } from './kube-trust-wiring.ts';

export const TRUST_OUTPUTS = ['table', 'json'] as const;
export type TrustOutput = (typeof TRUST_OUTPUTS)[number];

export interface TrustCommandOptions {
  /** One spec per connection the configuration would open (src/tls/spec.ts trustSpecFor). */
  readonly connections: readonly TrustSpec[];
  /** The Kubernetes API connection, when the configuration makes one. */
  readonly kube?: KubeTrustOutcome | undefined;
  readonly output: TrustOutput;
}

export interface CommandDeps {
  readonly write: (text: string) => void;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Tests pin Node's OS store and bundled roots. */
  readonly trust?: Pick<TrustStoreDeps, 'systemCertificates' | 'bundledCertificates'>;
}

type Outcome = { report: TrustReport } | { name: string; error: string };

export async function runTrustCommand(options: TrustCommandOptions, deps: CommandDeps): Promise<number> {
  const outcomes: Outcome[] = [];
  for (const spec of options.connections) {
    try {
      const store = createTrustStore(spec, { clock: deps.clock, logger: deps.logger, watch: false, ...deps.trust });
      outcomes.push({ report: store.report() });
      await store.close();
    } catch (err) {
      outcomes.push({ name: spec.name, error: errorMessage(err) });
    }
  }
  if (options.kube !== undefined) outcomes.push('error' in options.kube ? options.kube : { report: options.kube.generation.report });
  if (options.output === 'json') {
    deps.write(`${JSON.stringify(outcomes.map((o) => ('report' in o ? o.report : { name: o.name, error: o.error })), null, 2)}\n`);
  } else if (outcomes.length === 0) {
    deps.write('no TLS connections in this configuration\n');
  } else {
    const reports = outcomes.flatMap((o) => ('report' in o ? [o.report] : []));
    deps.write(renderReportTable(reports));
    for (const o of outcomes) if ('error' in o) deps.write(`${o.name}: INVALID: ${o.error}\n`);
  }
  return outcomes.every((o) => 'report' in o) ? 0 : 1;
}
