/**
 * The few Route53 calls extdns makes, on the official SDK, each paginated to
 * the end, retried with backoff and jitter on Throttling,
 * PriorRequestNotComplete and 5xx (the SDK's own retries are off so the
 * clock, the jitter and the counts are ours), and counted per operation.
 * The retry after a trust change is the kit's (../kit/trust-retry.ts), as for
 * the providers on ../kit/http.ts; the SDK keeps its own HTTP handler.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  type Change,
  type HostedZone,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Clock, Random } from '../../util/clock.ts';
import { CallCounter, type ProviderStatsSnapshot } from '../stats.ts';
import { withTrustRetry } from '../kit/trust-retry.ts';
import { AwsErrors } from './errors.ts';
import { asSdk, isTlsError, NETWORK_CODES, type SdkError } from './sdk-error.ts';

/** The provider stats (throttles = Throttling and PriorRequestNotComplete answers), plus Route53's own view of them. */
export interface Route53Stats extends ProviderStatsSnapshot {
  /** Calls sent, per Route53 operation (retries included). */
  readonly apiCalls: Readonly<Record<string, number>>;
  /** Calls repeated after a retryable failure. */
  readonly retries: number;
}

/** Route53Stats from the shared snapshot and the retry count. */
export function route53Stats(snapshot: ProviderStatsSnapshot, retries: number): Route53Stats {
  return { ...snapshot, apiCalls: Object.fromEntries(snapshot.calls.map((c) => [c.operation, c.calls])), retries };
}

export interface Route53ApiOptions {
  /** --aws-api-retries: retries after the first attempt (default 3). */
  retries: number;
  /** First backoff step; doubles per retry, full jitter (default 1 s). */
  baseDelayMs?: number;
  /** Backoff cap (default 20 s). */
  maxDelayMs?: number;
  /** ListResourceRecordSets page size; Route53 serves at most 300. */
  pageSize?: number;
}

export interface Route53ApiDeps {
  client: Route53Client;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Re-reads the trust files after a TLS failure; true when they changed (a rotation raced this call: retry once). */
  onTlsFailure?: (() => boolean) | undefined;
}

export interface ZoneTags {
  zoneId: string;
  tags: Record<string, string>;
}

export interface Route53Api {
  listHostedZones(signal: AbortSignal): Promise<HostedZone[]>;
  /** Tags of hosted zones (ids without /hostedzone/), in calls of at most 10 ids. */
  listZoneTags(zoneIds: readonly string[], signal: AbortSignal): Promise<ZoneTags[]>;
  listRecordSets(zoneId: string, signal: AbortSignal): Promise<ResourceRecordSet[]>;
  /** Submits one change batch; resolves with the change id, rejects with the SDK error (InvalidChangeBatch) as ExtdnsError. */
  changeRecordSets(zoneId: string, changes: Change[], signal: AbortSignal): Promise<string>;
  getChangeStatus(changeId: string, signal: AbortSignal): Promise<string>;
  stats(): Route53Stats;
}

/** The error a rejected change batch throws; `messages` are Route53's, one per problem. */
export class ChangeBatchRejected extends ExtdnsError {
  readonly messages: string[];
  constructor(messages: string[], cause: unknown) {
    super(AwsErrors.EXTDNS_AWS_CHANGES_REJECTED, `Route53 rejected the change batch: ${messages.join('; ')}`, { cause });
    this.messages = messages;
  }
}

const THROTTLE_CODES: ReadonlySet<string> = new Set(['Throttling', 'ThrottlingException', 'PriorRequestNotComplete', 'RequestLimitExceeded', 'TooManyRequestsException']);

export function createRoute53Api(options: Route53ApiOptions, deps: Route53ApiDeps): Route53Api {
  const counter = new CallCounter();
  let retries = 0;
  const base = options.baseDelayMs ?? 1_000;
  const cap = options.maxDelayMs ?? 20_000;
  const pageSize = options.pageSize ?? 300;
  const log = deps.logger;

  const call = async <T>(operation: string, send: () => Promise<T>, signal: AbortSignal): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await withTrustRetry(() => counter.count(operation, send), { tlsFailed: isTlsError, onTlsFailure: deps.onTlsFailure, logger: log, fields: { operation } });
      } catch (err) {
        const kind = kindOf(err);
        if (kind === 'throttle') counter.throttled();
        if (kind === 'fatal' || attempt >= options.retries || signal.aborted) throw ExtdnsError.is(err) ? err : toExtdnsError(err, operation, kind);
        const delay = Math.round(deps.random.next() * Math.min(cap, base * 2 ** attempt));
        retries++;
        log.debug('Route53 call failed, retrying', { operation, attempt: attempt + 1, delayMs: delay, error: errorCode(err) });
        await deps.clock.sleep(delay, signal);
      }
    }
  };

  return {
    async listHostedZones(signal) {
      const zones: HostedZone[] = [];
      let marker: string | undefined;
      do {
        const out = await call('ListHostedZones', () => deps.client.send(new ListHostedZonesCommand({ ...(marker === undefined ? {} : { Marker: marker }) }), { abortSignal: signal }), signal);
        zones.push(...(out.HostedZones ?? []));
        marker = out.IsTruncated === true ? out.NextMarker : undefined;
      } while (marker !== undefined);
      return zones;
    },

    async listZoneTags(zoneIds, signal) {
      const out: ZoneTags[] = [];
      for (let i = 0; i < zoneIds.length; i += 10) {
        const ids = zoneIds.slice(i, i + 10);
        const res = await call('ListTagsForResources', () => deps.client.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: ids }), { abortSignal: signal }), signal);
        for (const set of res.ResourceTagSets ?? []) {
          out.push({ zoneId: set.ResourceId ?? '', tags: Object.fromEntries((set.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])) });
        }
      }
      return out;
    },

    async listRecordSets(zoneId, signal) {
      const sets: ResourceRecordSet[] = [];
      let next: PageStart | undefined = {};
      while (next !== undefined) {
        const page: PageStart = next;
        const out = await call('ListResourceRecordSets', () => deps.client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: pageSize, ...page }), { abortSignal: signal }), signal);
        sets.push(...(out.ResourceRecordSets ?? []));
        next = out.IsTruncated === true && out.NextRecordName !== undefined
          ? { StartRecordName: out.NextRecordName, ...(out.NextRecordType === undefined ? {} : { StartRecordType: out.NextRecordType }), ...(out.NextRecordIdentifier === undefined ? {} : { StartRecordIdentifier: out.NextRecordIdentifier }) }
          : undefined;
      }
      return sets;
    },

    async changeRecordSets(zoneId, changes, signal) {
      const out = await call('ChangeResourceRecordSets', () => deps.client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }), { abortSignal: signal }), signal);
      return out.ChangeInfo?.Id ?? '';
    },

    async getChangeStatus(changeId, signal) {
      const out = await call('GetChange', () => deps.client.send(new GetChangeCommand({ Id: changeId }), { abortSignal: signal }), signal);
      return out.ChangeInfo?.Status ?? '';
    },

    stats: () => route53Stats(counter.snapshot(), retries),
  };
}

interface PageStart {
  StartRecordName?: string;
  StartRecordType?: ResourceRecordSet['Type'];
  StartRecordIdentifier?: string;
}

type Kind = 'throttle' | 'server' | 'network' | 'fatal';

function errorCode(err: unknown): string {
  const e = asSdk(err);
  return e.name ?? e.code ?? 'Error';
}

/** An ExtdnsError was classified where it happened (STS AssumeRole, ./assume-role.ts); SDK errors are classified here. */
function kindOf(err: unknown): Kind {
  if (ExtdnsError.is(err)) return err.transient ? 'server' : 'fatal';
  return classify(err);
}

function classify(err: unknown): Kind {
  const e = asSdk(err);
  if (THROTTLE_CODES.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429) return 'throttle';
  if (isTlsError(err)) return 'fatal';
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (status >= 500) return 'server';
  if (status === 0 && (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(e.name ?? ''))) return 'network';
  return 'fatal';
}


/** InvalidChangeBatch carries one or more messages; the SDK joins them into the error message. */
function rejectionMessages(err: unknown): string[] {
  const e = asSdk(err) as SdkError & { messages?: string[] };
  if (Array.isArray(e.messages) && e.messages.length > 0) return e.messages.map(String);
  const text = e.message ?? 'rejected';
  const list = /^\[(.*)\]$/s.exec(text.trim());
  return list === null ? [text] : (list[1] ?? '').split(/, (?=[A-Z])/);
}

function toExtdnsError(err: unknown, operation: string, kind: Kind): ExtdnsError {
  const e = asSdk(err);
  const code = errorCode(err);
  const message = e.message ?? String(err);
  if (code === 'InvalidChangeBatch') return new ChangeBatchRejected(rejectionMessages(err), err);
  if (isTlsError(err)) {
    return new ExtdnsError(AwsErrors.EXTDNS_AWS_TLS, `Route53 ${operation} failed: TLS ${e.code ?? ''}: ${message}. The CA that issued the endpoint's certificate is not trusted: give it with --tls-ca (or AWS_CA_BUNDLE); \`extdns doctor\` explains the chain`, { cause: err });
  }
  if (kind === 'throttle') return new ExtdnsError(AwsErrors.EXTDNS_AWS_THROTTLED, `Route53 ${operation} was throttled after every retry (${code}: ${message})`, { cause: err });
  if (kind === 'server') return new ExtdnsError(AwsErrors.EXTDNS_AWS_SERVER_ERROR, `Route53 ${operation} failed with ${e.$metadata?.httpStatusCode ?? 500} (${code}: ${message})`, { cause: err });
  if (kind === 'network') return new ExtdnsError(AwsErrors.EXTDNS_AWS_UNREACHABLE, `Route53 ${operation} could not reach the endpoint (${code}: ${message})`, { cause: err });
  if (/credential|region is missing/i.test(message) || code === 'CredentialsProviderError') {
    return new ExtdnsError(AwsErrors.EXTDNS_AWS_CREDENTIALS, `Route53 ${operation}: ${message}. Set AWS credentials and region (AWS_REGION, AWS_PROFILE / --aws-profile, IRSA, --aws-assume-role)`, { cause: err });
  }
  if (['AccessDenied', 'AccessDeniedException', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'ExpiredToken'].includes(code) || e.$metadata?.httpStatusCode === 403) {
    return new ExtdnsError(AwsErrors.EXTDNS_AWS_ACCESS_DENIED, `Route53 ${operation} was refused (${code}: ${message}); check the credentials and the IAM policy (route53:${operation})`, { cause: err });
  }
  return new ExtdnsError(AwsErrors.EXTDNS_AWS_REQUEST_FAILED, `Route53 ${operation} failed (${code}: ${message})`, { cause: err });
}
