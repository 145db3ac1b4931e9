/**
 * `extdns explain NAME`: why a name is (or is not) in DNS, from what one dry
 * sync saw: the source endpoints with and without the annotation and label
 * filters, the filters of the plan, the provider's records and their owners,
 * the plan and the guards. Pure: src/cli/explain.ts gathers the inputs.
 */
import { LabelKey, type Endpoint } from '../endpoint/endpoint.ts';
import type { Changes, PlanResult } from '../plan/plan.ts';
import type { Refusal } from '../registry/registry.ts';
import type { SyncResult } from '../controller/controller.ts';
import { decide, type Decision } from './decide.ts';
import { originOf } from '../source/origin.ts';

export interface ExplainInput {
  name: string;
  ownerId: string;
  policy: string;
  /** The source endpoints the controller got (annotation and label filters applied). */
  desired: readonly Endpoint[];
  /** The same sources with those filters cleared; undefined when neither filter is set. */
  unfiltered: readonly Endpoint[] | undefined;
  filters: FilterSettings;
  current: readonly Endpoint[];
  plan: PlanResult;
  result: SyncResult;
}

export interface FilterSettings {
  /** Does the domain filter (with the registry's own) keep the name? */
  domainKeeps: boolean;
  domainFilterText: string;
  annotationFilter: string;
  labelFilter: string;
  managedRecordTypes: readonly string[];
  excludeRecordTypes: readonly string[];
}

export interface SourceAsk {
  /** kind/namespace/name, as the `resource` label records it. */
  object: string;
  /**
   * Where the object names this record: the exact annotation key, `spec.rules[0].host`,
   * `spec.endpoints[2]`, a flag; how its kind names records when the source did not say.
   */
  rule: string;
  recordType: string;
  targets: string[];
  /** False when the annotation or label filter drops the object. */
  kept: boolean;
}

export interface FilterVerdict {
  filter: string;
  verdict: 'keeps' | 'drops' | 'not set';
  detail: string;
}

export interface HeldRecord {
  recordType: string;
  targets: string[];
  /** 'this' owner id, 'other' (owner named), 'none' (no ownership record). */
  ownedBy: 'this' | 'other' | 'none';
  owner: string;
}

export interface Explanation {
  name: string;
  askedFor: boolean;
  sources: SourceAsk[];
  filters: FilterVerdict[];
  provider: HeldRecord[];
  decisions: Decision[];
  /** What would change the outcome. */
  hints: string[];
  /** True when the plan would change records of this name (exit code 2). */
  changes: boolean;
}

/** How each kind of object names its records (ExternalDNS's sources). */
const RULES: Readonly<Record<string, string>> = {
  service: 'the external-dns.kubernetes.io/hostname annotation (or --fqdn-template)',
  ingress: 'spec.rules[].host, or the hostname annotation (or --fqdn-template)',
  crd: 'spec.endpoints[].dnsName of the DNSEndpoint',
  node: '--fqdn-template or the hostname annotation',
  pod: 'the hostname annotations on the pod',
  httproute: 'spec.hostnames matched with the Gateway listeners',
  grpcroute: 'spec.hostnames matched with the Gateway listeners',
  tlsroute: 'spec.hostnames matched with the Gateway listeners',
  tcproute: 'the hostname annotation on the route',
  udproute: 'the hostname annotation on the route',
};

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function explain(input: ExplainInput): Explanation {
  const name = normalizeName(input.name);
  const mine = (eps: readonly Endpoint[]): Endpoint[] => eps.filter((e) => normalizeName(e.dnsName) === name);
  const desired = mine(input.desired);
  const sources = sourceAsks(desired, input.unfiltered === undefined ? undefined : mine(input.unfiltered));
  const provider = mine(input.current).map((e) => held(e, input.ownerId));
  const filters = filterVerdicts(input.filters, [...new Set(sources.map((s) => s.recordType).concat(provider.map((p) => p.recordType)))], sources);
  const onlyMine = (c: Changes): Changes => ({ create: mine(c.create), updateOld: mine(c.updateOld), updateNew: mine(c.updateNew), delete: mine(c.delete) });
  const refused: Refusal[] = input.result.refused.filter((r) => normalizeName(r.endpoint.dnsName) === name);
  const { decisions, hints } = decide({
    name, policy: input.policy, ownerId: input.ownerId, sources, provider, filters,
    planned: onlyMine(input.plan.changes), applied: onlyMine(input.result.changes),
    skipped: input.plan.skippedOwnerMismatch.filter((s) => normalizeName(s.dnsName) === name), refused, result: input.result,
  });
  const changes = decisions.some((d) => d.action === 'create' || d.action === 'update' || d.action === 'delete');
  return { name, askedFor: sources.length > 0, sources, filters, provider, decisions, hints, changes };
}

function sourceAsks(kept: readonly Endpoint[], all: readonly Endpoint[] | undefined): SourceAsk[] {
  const ask = (e: Endpoint, isKept: boolean): SourceAsk => {
    const object = e.labels[LabelKey.resource] ?? '(unknown object)';
    const rule = originOf(e) ?? RULES[object.split('/')[0] ?? ''] ?? 'its source';
    return { object, rule, recordType: e.recordType, targets: [...e.targets], kept: isKept };
  };
  const asks = kept.map((e) => ask(e, true));
  const seen = new Set(asks.map((a) => `${a.object} ${a.recordType}`));
  for (const e of all ?? []) {
    const a = ask(e, false);
    if (!seen.has(`${a.object} ${a.recordType}`)) asks.push(a);
  }
  return asks;
}

function held(e: Endpoint, ownerId: string): HeldRecord {
  const owner = e.labels[LabelKey.owner] ?? '';
  const ownedBy = owner === '' ? 'none' : owner === ownerId ? 'this' : 'other';
  return { recordType: e.recordType, targets: [...e.targets], ownedBy, owner };
}

function filterVerdicts(f: FilterSettings, types: readonly string[], sources: readonly SourceAsk[]): FilterVerdict[] {
  const out: FilterVerdict[] = [];
  out.push({ filter: 'domain filter', verdict: f.domainKeeps ? 'keeps' : 'drops', detail: f.domainFilterText === '' ? 'no domain filter: every name' : f.domainFilterText });
  const droppedBySelector = sources.some((s) => !s.kept);
  for (const [flag, value] of [['--annotation-filter', f.annotationFilter], ['--label-filter', f.labelFilter]] as const) {
    out.push(value === '' ? { filter: flag, verdict: 'not set', detail: 'every object' }
      : { filter: flag, verdict: droppedBySelector ? 'drops' : 'keeps', detail: `${value}${droppedBySelector ? ' (at least one of these two drops an object that names this record)' : ''}` });
  }
  for (const t of types) {
    const managed = f.managedRecordTypes.includes(t) && !f.excludeRecordTypes.includes(t);
    const why = !f.managedRecordTypes.includes(t) ? `not in --managed-record-types=${f.managedRecordTypes.join(',')}`
      : f.excludeRecordTypes.includes(t) ? 'in --exclude-record-types' : 'managed';
    out.push({ filter: `record type ${t}`, verdict: managed ? 'keeps' : 'drops', detail: why });
  }
  return out;
}
