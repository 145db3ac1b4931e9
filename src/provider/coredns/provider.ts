/**
 * The CoreDNS provider (ExternalDNS `--provider=coredns`, alias `skydns`):
 * SkyDNS messages in etcd under --coredns-prefix, which CoreDNS's etcd plugin
 * serves. A sync reads the prefix once; later syncs first ask etcd, in one
 * small read, whether any key under the prefix changed since that revision,
 * and reuse what they read when none did. Writes go in transactions of at
 * most 128 operations (etcd's default --max-txn-ops), a record always with
 * its TXT ownership record; a no-op sync writes nothing.
 */
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { MATCH_ALL } from '../../endpoint/domain-filter.ts';
import { canonicalIp } from '../../endpoint/ip.ts';
import { cloneEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { isEmpty } from '../../plan/calculate.ts';
import type { Changes } from '../../plan/plan.ts';
import type { Random } from '../../util/clock.ts';
import type { ProviderCapabilities } from '../capabilities.ts';
import { DNS_SERVER_CAPABILITIES } from '../capabilities.ts';
import type { Provider } from '../provider.ts';
import { landedCounter, type LandedCounter } from '../progress.ts';
import type { ProviderStats } from '../stats.ts';
import type { EtcdClient } from './etcd.ts';
import { CorednsErrors } from './errors.ts';
import { endpointsOf, entriesOf, GROUP_PROPERTY, type Entry } from './model.ts';
import { buildWrites, planProblems, type WriteGroup } from './writes.ts';
import { eachSliced, paced, SliceCounter, type Sliced } from '../../util/sliced.ts';

export interface CorednsProviderOptions {
  /** --coredns-prefix (default /skydns/). */
  prefix: string;
  domainFilter: DomainFilter;
  /** --coredns-strictly-owned: the --txt-owner-id written into, and required of, every key. */
  strictOwner?: string | undefined;
  /** Operations per transaction (default 128, etcd's default --max-txn-ops). */
  maxTxnOps?: number | undefined;
}

export interface CorednsProviderDeps {
  client: EtcdClient;
  logger: Logger;
  random: Random;
}

/** A, AAAA, CNAME, TXT and PTR: what ExternalDNS's CoreDNS provider writes. */
export const COREDNS_CAPABILITIES: ProviderCapabilities = { ...DNS_SERVER_CAPABILITIES, recordTypes: ['A', 'AAAA', 'CNAME', 'TXT', 'PTR'] };

interface Snapshot {
  revision: number;
  count: number;
  byName: Map<string, Entry[]>;
}

export function createCorednsProvider(options: CorednsProviderOptions, deps: CorednsProviderDeps): Provider & ProviderStats {
  const { client, logger: log } = deps;
  const maxOps = Math.max(1, options.maxTxnOps ?? 128);
  let snapshot: Snapshot | undefined;

  async function read(signal: AbortSignal): Promise<Snapshot> {
    if (snapshot !== undefined) {
      const check = await client.changedSince(options.prefix, snapshot.revision, signal);
      if (check.changed === 0 && check.count === snapshot.count) return snapshot;
    }
    const { kvs, revision } = await client.readPrefix(options.prefix, signal);
    const { byName, skipped } = entriesOf(kvs, options.prefix, options.strictOwner);
    if (skipped.length > 0) log.debug('Keys in etcd that hold no SkyDNS record are left alone', { keys: skipped.slice(0, 20), count: skipped.length });
    snapshot = { revision, count: kvs.length, byName };
    return snapshot;
  }

  async function send(groups: readonly WriteGroup[], signal: AbortSignal, landed: LandedCounter): Promise<number> {
    let txns = 0;
    for (const batch of await paced(batches(groups, maxOps))) {
      const applied = await client.txn(batch.flatMap((g) => g.guards), batch.flatMap((g) => g.ops), signal);
      txns++;
      if (!applied) {
        throw new ExtdnsError(CorednsErrors.EXTDNS_COREDNS_STALE_PLAN, `etcd keys changed since they were read; this transaction (${batch.map((g) => g.name).join(', ')}) wrote nothing and the keys are read again next run${txns > 1 ? ` (${txns - 1} earlier transactions of this batch were applied)` : ''}`);
      }
      for (const g of batch) for (const d of g.descriptions) log.info(`Set ${d}`, { keys: g.ops.length });
      // One description per change of the group (buildWrites).
      landed.add(batch.reduce((n, g) => n + g.descriptions.length, 0));
    }
    return txns;
  }

  return {
    stats: () => client.stats(),
    async records(signal) {
      const snap = await read(signal);
      const out: Endpoint[] = [];
      await paced(eachSliced([...snap.byName], ([name, entries]) => {
        if (!options.domainFilter.match(name)) return;
        for (const ep of endpointsOf(name, entries)) out.push(cloneEndpoint(ep));
      }));
      return out;
    },
    adjustEndpoints(endpoints) {
      return Promise.resolve(endpoints.map(adjust));
    },
    async applyChanges(changes: Changes, signal, progress) {
      if (isEmpty(changes)) return;
      const snap = await read(signal);
      const problems = await paced(planProblems(changes, snap.byName));
      if (problems.length > 0) {
        snapshot = undefined;
        throw new ExtdnsError(CorednsErrors.EXTDNS_COREDNS_STALE_PLAN, `nothing was written to etcd: ${problems.join('; ')}. The keys are read again next run`);
      }
      const groups = await paced(buildWrites(changes, {
        prefix: options.prefix, byName: snap.byName, owner: options.strictOwner, newId: () => randomId(deps.random),
      }));
      snapshot = undefined; // whatever happens next, read afresh
      const txns = await send(groups, signal, landedCounter(changes, progress));
      log.info('Changes written to etcd', { groups: groups.length, transactions: txns });
    },
    domainFilter: () => MATCH_ALL,
    capabilities: COREDNS_CAPABILITIES,
  };
}

/** Names in the form records() gives them; only the coredns/group property is kept (others would plan an update every sync). */
function adjust(ep: Endpoint): Endpoint {
  const out = cloneEndpoint(ep);
  out.dnsName = out.dnsName.toLowerCase();
  out.setIdentifier = '';
  out.providerSpecific = out.providerSpecific.filter((p) => p.name === GROUP_PROPERTY && p.value !== '');
  if (out.recordType === 'A' || out.recordType === 'AAAA') out.targets = out.targets.map((t) => canonicalIp(t) ?? t);
  if (out.recordType === 'CNAME' || out.recordType === 'PTR') out.targets = out.targets.map((t) => t.replace(/\.$/, '').toLowerCase());
  return out;
}

/** ExternalDNS's key id: `%08x` of a random int31. */
function randomId(random: Random): string {
  return Math.floor(random.next() * 0x80000000).toString(16).padStart(8, '0');
}

/** Groups packed into transactions of at most `max` operations; a larger group goes alone. */
function* batches(groups: readonly WriteGroup[], max: number): Sliced<WriteGroup[][]> {
  const out: WriteGroup[][] = [];
  let cur: WriteGroup[] = [];
  let size = 0;
  const slice = new SliceCounter();
  for (const g of groups) {
    if (slice.full()) yield;
    if (size + g.ops.length > max && cur.length > 0) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(g);
    size += g.ops.length;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
