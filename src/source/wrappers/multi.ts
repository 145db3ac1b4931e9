/**
 * Several sources as one (ExternalDNS `multiSource`), with the source fence:
 * collect() answers with what the healthy sources said AND which sources
 * failed, so the controller can hold back deletions while any source is
 * failing (a failed source would otherwise look like "all its records are gone").
 *
 * --default-targets: endpoints a source left without targets (e.g. a
 * DNSEndpoint with `targets: []`) get the default targets; with
 * --force-default-targets every endpoint's targets are replaced.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError, isTransient, errorMessage } from '../../errors/errors.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import { SourceErrors } from '../errors.ts';
import { endpointsForHostname } from '../kinds/common.ts';
import type { Source, SourceFailure } from '../source.ts';

export interface NamedSource {
  /** The --source name, e.g. "service"; used in logs and failures. */
  name: string;
  source: Source;
}

export interface MultiSourceOptions {
  defaultTargets: readonly string[];
  forceDefaultTargets: boolean;
}

export interface SourceCollection {
  endpoints: Endpoint[];
  /** Sources that could not answer; non-empty means `endpoints` is incomplete. */
  failures: SourceFailure[];
}

export interface MultiSource extends Source {
  collect(signal: AbortSignal): Promise<SourceCollection>;
}

export function createMultiSource(
  named: readonly NamedSource[],
  options: MultiSourceOptions,
  deps: { logger: Logger } = { logger: silentLogger },
): MultiSource {
  const collect = async (signal: AbortSignal): Promise<SourceCollection> => {
    const results = await Promise.allSettled(named.map((n) => n.source.endpoints(signal)));
    const out: SourceCollection = { endpoints: [], failures: [] };
    results.forEach((r, i) => {
      const name = named[i]?.name ?? `#${i}`;
      if (r.status === 'rejected') {
        out.failures.push({ source: name, error: r.reason });
        deps.logger.error('Source failed; record deletions are held back until it recovers', { source: name, error: errorMessage(r.reason) });
        return;
      }
      out.endpoints.push(...applyDefaultTargets(r.value, options, deps.logger));
    });
    signal.throwIfAborted();
    return out;
  };
  return {
    collect,
    async endpoints(signal) {
      const { endpoints, failures } = await collect(signal);
      if (failures.length > 0) throw failedSourcesError(failures);
      return endpoints;
    },
    addEventHandler(handler) {
      for (const n of named) n.source.addEventHandler(handler);
    },
  };
}

/** One error for all failed sources; transient only when every failure is. */
export function failedSourcesError(failures: readonly SourceFailure[]): ExtdnsError {
  const list = failures.map((f) => `${f.source}: ${errorMessage(f.error)}`).join('; ');
  return new ExtdnsError(SourceErrors.EXTDNS_SOURCE_FAILED, `${failures.length} source(s) failed: ${list}`, {
    cause: failures.length === 1 ? failures[0]?.error : new AggregateError(failures.map((f) => f.error)),
    transient: failures.every((f) => isTransient(f.error)),
  });
}

export function applyDefaultTargets(endpoints: readonly Endpoint[], options: MultiSourceOptions, logger: Logger): Endpoint[] {
  if (options.defaultTargets.length === 0) return [...endpoints];
  const out: Endpoint[] = [];
  for (const ep of endpoints) {
    if (!options.forceDefaultTargets && ep.targets.length > 0) {
      logger.warn('The source gave targets, so --default-targets is not applied; use --force-default-targets for the old behaviour', {
        dnsName: ep.dnsName,
        recordType: ep.recordType,
      });
      out.push(ep);
      continue;
    }
    const replaced = endpointsForHostname({
      hostname: ep.dnsName,
      targets: options.defaultTargets,
      ttl: ep.recordTTL,
      providerSpecific: ep.providerSpecific,
      setIdentifier: ep.setIdentifier,
      resource: '',
    });
    out.push(...replaced.map((r) => ({ ...r, labels: { ...ep.labels } })));
  }
  return out;
}
