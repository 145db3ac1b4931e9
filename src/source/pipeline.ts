/**
 * The source stage as the controller sees it (ExternalDNS `wrappers.Build`):
 *
 *   sources → multi (default targets, source fence) → dedup (invalid, duplicates)
 *           → NAT64 (A for AAAA in --nat64-networks) → target-net filter
 *           → PTR (only when PTR is managed) → post-process (min TTL, provider properties, prefer-alias)
 *
 * collect() returns the endpoints with the list of failed sources and the
 * dedup counts; endpoints() (the plain Source view) throws when any source failed.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import { describeEndpoint } from '../endpoint/endpoint.ts';
import type { Logger } from '../log/logger.ts';
import type { Source } from './source.ts';
import { dedupEndpoints, type DropCount, type RejectedEndpoint } from './wrappers/dedup.ts';
import { createMultiSource, failedSourcesError, type NamedSource, type SourceCollection } from './wrappers/multi.ts';
import { addNat64Endpoints, parseNat64Networks } from './wrappers/nat64.ts';
import { postProcess } from './wrappers/post-process.ts';
import { addPtrEndpoints } from './wrappers/ptr.ts';
import { createTargetNetFilter, filterTargets } from './wrappers/target-filter.ts';

export interface SourcePipelineOptions {
  defaultTargets: readonly string[];
  forceDefaultTargets: boolean;
  targetNetFilter: readonly string[];
  excludeTargetNets: readonly string[];
  /** --min-ttl in seconds (0 = off). */
  minTtl: number;
  provider: string;
  preferAlias: boolean;
  /** --nat64-networks: IPv6 /96 prefixes. */
  nat64Networks: readonly string[];
  /** --create-ptr: PTRs for every A/AAAA unless its `record-type` annotation opts out. */
  createPtr: boolean;
  /** PTR is in --managed-record-types; without it no PTRs are made, whatever --create-ptr or the annotations say. */
  ptrManaged: boolean;
}

export const DEFAULT_PIPELINE_OPTIONS: SourcePipelineOptions = {
  defaultTargets: [],
  forceDefaultTargets: false,
  targetNetFilter: [],
  excludeTargetNets: [],
  minTtl: 0,
  provider: '',
  preferAlias: false,
  nat64Networks: [],
  createPtr: false,
  ptrManaged: false,
};

export interface PipelineCollection extends SourceCollection {
  /** Endpoints dropped as invalid, per record type and source kind. */
  invalid: DropCount[];
  /** Endpoints dropped as exact duplicates, per record type and source kind. */
  duplicates: DropCount[];
  /** The endpoints dropped as invalid, with why. */
  rejected?: RejectedEndpoint[] | undefined;
}

export interface SourcePipeline extends Source {
  collect(signal: AbortSignal): Promise<PipelineCollection>;
}

/** Throws ExtdnsError at creation when a target network or a NAT64 network is malformed. */
export function createSourcePipeline(
  named: readonly NamedSource[],
  options: SourcePipelineOptions,
  deps: { logger: Logger },
): SourcePipeline {
  const logger = deps.logger.child({ stage: 'source' });
  const multi = createMultiSource(named, options, { logger });
  const nat64 = parseNat64Networks(options.nat64Networks);
  const targetFilter = createTargetNetFilter(options);

  const collect = async (signal: AbortSignal): Promise<PipelineCollection> => {
    const { endpoints, failures } = await multi.collect(signal);
    const deduped = dedupEndpoints(endpoints);
    for (const r of deduped.rejected) {
      logger.warn('Skipping endpoint with an invalid configuration', { endpoint: describeEndpoint(r.endpoint), reason: r.reason });
    }
    const filtered: Endpoint[] = filterTargets(addNat64Endpoints(deduped.endpoints, nat64), targetFilter);
    const withPtr = options.ptrManaged ? addPtrEndpoints(filtered, options, logger) : filtered;
    return {
      endpoints: postProcess(withPtr, options),
      failures,
      invalid: deduped.invalid,
      duplicates: deduped.duplicates,
      rejected: deduped.rejected,
    };
  };

  return {
    collect,
    async endpoints(signal) {
      const result = await collect(signal);
      if (result.failures.length > 0) throw failedSourcesError(result.failures);
      return result.endpoints;
    },
    addEventHandler: (handler) => {
      multi.addEventHandler(handler);
    },
  };
}
