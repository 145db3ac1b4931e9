/**
 * The RFC 2136 provider: records read by AXFR from each --rfc2136-zone,
 * changes written as TSIG-signed UPDATE messages (./batches.ts), over TCP or
 * DNS over TLS, spread over --rfc2136-host by the v0.22 strategies.
 *
 * With --rfc2136-axfr the plan knows the zone, so each change carries a
 * prerequisite: a create needs its record set absent, an update or delete
 * needs the set to hold exactly the records read. A zone changed behind
 * extdns's back then refuses the whole message (YXRRSET / NXRRSET) instead
 * of being half-overwritten. Without AXFR nothing is known and, as v0.22,
 * changes go without prerequisites.
 */
import { randomInt } from 'node:crypto';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { MATCH_ALL } from '../../endpoint/domain-filter.ts';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import type { TlsParams } from '../../tls/connect.ts';
import type { Clock, Random } from '../../util/clock.ts';
import { adjustEndpoint } from '../zonefile/endpoints.ts';
import { DNS_SERVER_CAPABILITIES, type ProviderCapabilities } from '../capabilities.ts';
import type { Provider } from '../provider.ts';
import { landedCounter, type ApplyProgress } from '../progress.ts';
import { paced } from '../../util/sliced.ts';
import { batchChangesSliced, type PlannedChange, type ZoneBatch } from './batches.ts';
import { sendUpdate, transferZone, type ExchangeOptions } from './client.ts';
import { Rfc2136Errors } from './errors.ts';
import type { Prerequisite, RecordData, UpdateOp } from './message.ts';
import { NameserverRotation, type LoadBalancingStrategy } from './nameservers.ts';
import { PREREQUISITE_RCODES, RcodeError } from './rcode.ts';
import { endpointRecords, recordsToEndpointsSliced, RFC2136_RECORD_TYPES } from './records.ts';
import { tsigKey, type TsigKey } from './tsig.ts';
import type { DnsServer } from './transport.ts';

export interface Rfc2136ProviderOptions {
  readonly hosts: readonly string[];
  readonly port: number;
  readonly zones: readonly string[];
  readonly insecure: boolean;
  readonly tsigKeyName: string;
  readonly tsigSecret: string;
  readonly tsigSecretAlg: string;
  readonly axfr: boolean;
  readonly minTtlMs: number;
  readonly batchChangeSize: number;
  readonly loadBalancingStrategy: LoadBalancingStrategy;
  readonly useTls: boolean;
  readonly gssTsig: boolean;
}

export interface Rfc2136ProviderDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /** For the random strategy and message IDs; crypto-random when absent. */
  readonly random?: Random | undefined;
  /** TLS parameters (trust from src/tls) when --rfc2136-use-tls. */
  readonly tls?: (() => TlsParams) | undefined;
  readonly timeoutMs?: number | undefined;
}

const CAPABILITIES: ProviderCapabilities = { ...DNS_SERVER_CAPABILITIES, recordTypes: RFC2136_RECORD_TYPES };

function configError(message: string): ExtdnsError {
  return new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_CONFIG, message);
}

function servers(options: Rfc2136ProviderOptions): DnsServer[] {
  const hosts = options.hosts.filter((h) => h.trim() !== '');
  if (hosts.length === 0) throw configError('--rfc2136-host is not set: give the DNS server to update (repeat the flag for several)');
  if (options.port < 1 || options.port > 65535) {
    throw configError(`--rfc2136-port=${options.port} is not a port: give the server's DNS port (53, or 853 for --rfc2136-use-tls)`);
  }
  return hosts.map((host) => ({ host: host.replace(/^\[(.*)\]$/, '$1'), port: options.port }));
}

function keyOf(options: Rfc2136ProviderOptions): TsigKey | undefined {
  if (options.gssTsig) {
    throw configError('--rfc2136-gss-tsig is not supported by extdns yet: GSS-TSIG needs a Kerberos (GSS-API) implementation, and Node has none built in; '
      + 'use a TSIG key (--rfc2136-tsig-keyname, --rfc2136-tsig-secret, --rfc2136-tsig-secret-alg) or run ExternalDNS v0.22 for Windows DNS');
  }
  return options.insecure ? undefined : tsigKey(options.tsigKeyName, options.tsigSecretAlg, options.tsigSecret);
}

export function createRfc2136Provider(options: Rfc2136ProviderOptions, deps: Rfc2136ProviderDeps): Provider {
  const hosts = servers(options);
  const key = keyOf(options);
  if (options.useTls && deps.tls === undefined) throw new Error('unreachable: --rfc2136-use-tls without TLS parameters');
  const random = deps.random ?? { next: () => randomInt(0, 2 ** 47) / 2 ** 47 };
  const exchange: ExchangeOptions = {
    key,
    transport: { tls: options.useTls ? deps.tls : undefined, timeoutMs: deps.timeoutMs },
    nowSeconds: () => Math.floor(deps.clock.now() / 1000),
    nextId: () => Math.floor(random.next() * 65536),
  };
  const zones = options.zones.length === 0 ? ['.'] : options.zones.map((z) => z.toLowerCase().replace(/\.$/, '') || '.');
  const listing = new NameserverRotation(hosts, options.loadBalancingStrategy, random);
  const sending = new NameserverRotation(hosts, options.loadBalancingStrategy, random);
  const log = deps.logger;
  const minTtl = Math.floor(options.minTtlMs / 1000);
  const ttlOf = (ep: Endpoint): number => (ep.recordTTL > minTtl ? ep.recordTTL : minTtl);
  const retryable = (err: unknown): boolean => !(err instanceof RcodeError && PREREQUISITE_RCODES.has(err.rcode));
  if (!options.axfr) log.warn('--rfc2136-axfr is not set: extdns cannot list existing records, so it will never update or delete them');

  const send = async (batch: ZoneBatch): Promise<void> => {
    const { updates, prerequisites } = messageFor(batch.changes, { ttlOf, prerequisites: options.axfr });
    try {
      await sending.run((server) => sendUpdate(server, { zone: batch.zone, updates, prerequisites }, exchange), retryable);
    } catch (err) {
      throw refusedBatch(err, batch);
    }
  };

  return {
    async records(): Promise<Endpoint[]> {
      if (!options.axfr) return [];
      const out: Endpoint[] = [];
      for (const zone of zones) {
        const records = await listing.run((server) => transferZone(server, zone, exchange), () => true);
        await paced(recordsToEndpointsSliced(records, out));
      }
      return out;
    },
    async applyChanges(changes: Changes, _signal: AbortSignal, progress?: ApplyProgress): Promise<void> {
      const { batches, outOfZone } = await paced(batchChangesSliced(changes, zones, options.batchChangeSize));
      if (outOfZone.length > 0) {
        throw new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_RECORD, `${outOfZone.join(', ')} lie(s) in none of the zones ${zones.join(', ')}: add the zone with --rfc2136-zone or filter the name out`);
      }
      const landed = landedCounter(changes, progress);
      for (const batch of batches) {
        await send(batch);
        landed.add(batch.changes.length);
      }
    },
    adjustEndpoints(endpoints: Endpoint[]): Promise<Endpoint[]> {
      // The zone-file provider's canonical forms are the records' presentation forms: the same here.
      return Promise.resolve(endpoints.map(adjustEndpoint));
    },
    domainFilter(): DomainFilter {
      return MATCH_ALL;
    },
    capabilities: CAPABILITIES,
  };
}

/** The update and prerequisite sections for one batch (deletes, then updates, then creates, as planned). */
export function messageFor(changes: readonly PlannedChange[], how: { ttlOf: (ep: Endpoint) => number; prerequisites: boolean }): { updates: UpdateOp[]; prerequisites: Prerequisite[] } {
  const updates: UpdateOp[] = [];
  const prerequisites: Prerequisite[] = [];
  // A set deleted in this message may be created again in it: prerequisites are checked before any change.
  const removedSets = new Set(changes.filter((c) => c.kind === 'delete').map((c) => `${c.endpoint.dnsName}\u0000${c.endpoint.recordType}`));
  for (const c of changes) {
    const removed = c.kind === 'create' ? undefined : (c.kind === 'delete' ? c.endpoint : c.old);
    const added = c.kind === 'delete' ? undefined : c.endpoint;
    if (removed !== undefined) {
      const records = endpointRecords(removed, 0);
      if (how.prerequisites) prerequisites.push({ op: 'rrset-equals', records });
      updates.push(...records.map((record) => ({ op: 'delete' as const, record })));
    }
    if (added !== undefined) {
      if (how.prerequisites && removed === undefined && !removedSets.has(`${added.dnsName}\u0000${added.recordType}`)) prerequisites.push({ op: 'rrset-absent', name: `${added.dnsName}.`, type: added.recordType.toUpperCase() as RecordData['type'] });
      updates.push(...endpointRecords(added, how.ttlOf(added)).map((record) => ({ op: 'add' as const, record })));
    }
  }
  return { updates, prerequisites };
}

/** A failed prerequisite becomes a refused change naming the batch's records (the controller splits to find which). */
function refusedBatch(err: unknown, batch: ZoneBatch): unknown {
  if (!(err instanceof RcodeError) || !PREREQUISITE_RCODES.has(err.rcode)) return err;
  const names = batch.changes.map((c) => `${c.kind} ${c.endpoint.dnsName} ${c.endpoint.recordType}`);
  const shown = names.length > 10 ? [...names.slice(0, 10), `and ${names.length - 10} more`] : names;
  return new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_RECORD,
    `zone ${batch.zone} is not as extdns read it for one of: ${shown.join(', ')} (${err.words}); nothing of this message was written`, { cause: err });
}
