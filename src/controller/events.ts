/**
 * Kubernetes Events about DNS records (`--events-emit`), as ExternalDNS v0.22
 * emits them: one events.k8s.io/v1 Event per record change on the object the
 * record comes from, reason RecordReady after a successful apply and
 * RecordError after a failed one, note
 * `(external-dns) record:<name>,owner:<owner>,type:<type>,ttl:<ttl>,targets:<a,b>`.
 * The object is found from the record's `resource` label (`service/ns/name`).
 * Events are sent in the background, a bounded number per sync, so a slow
 * API never holds a sync back; a failed event is only logged.
 */
import { LabelKey, type Endpoint } from '../endpoint/endpoint.ts';
import { errorMessage, ExtdnsError } from '../errors/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Changes } from '../plan/plan.ts';
import type { Clock } from '../util/clock.ts';
import type { SyncObserver } from './controller.ts';
import type { Refusal } from '../registry/registry.ts';
import { ControllerErrors } from './errors.ts';
import { microTime } from './leader.ts';

export const EVENT_REASONS = ['RecordReady', 'RecordDeleted', 'RecordError'] as const;
export type EventReason = (typeof EVENT_REASONS)[number];

/** What the events API needs from the Kubernetes client. */
export interface EventSink {
  create(namespace: string, event: KubeEvent, signal: AbortSignal): Promise<void>;
}

export interface ObjectReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Filled in by the sink when it can read the object: `kubectl describe` finds events by UID. */
  readonly uid?: string;
}

export interface KubeEvent {
  readonly apiVersion: 'events.k8s.io/v1';
  readonly kind: 'Event';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly eventTime: string;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly action: string;
  readonly reason: EventReason;
  readonly note: string;
  readonly type: 'Normal' | 'Warning';
  readonly regarding: ObjectReference;
}

/** The `resource` label's first part → the object kind it names. */
const KINDS: Readonly<Record<string, { kind: string; apiVersion: string }>> = {
  service: { kind: 'Service', apiVersion: 'v1' },
  ingress: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' },
  crd: { kind: 'DNSEndpoint', apiVersion: 'externaldns.k8s.io/v1alpha1' },
  node: { kind: 'Node', apiVersion: 'v1' },
  pod: { kind: 'Pod', apiVersion: 'v1' },
  httproute: { kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1' },
  grpcroute: { kind: 'GRPCRoute', apiVersion: 'gateway.networking.k8s.io/v1' },
  tlsroute: { kind: 'TLSRoute', apiVersion: 'gateway.networking.k8s.io/v1' },
  tcproute: { kind: 'TCPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
  udproute: { kind: 'UDPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
};

const CONTROLLER = 'external-dns';
/** At most this many events per sync: a first sync of thousands of records must not flood the API. */
const MAX_PER_SYNC = 500;

/** The object a record comes from, from its `resource` label; undefined when it names no known kind. */
export function referenceOf(endpoint: Endpoint): (ObjectReference & { source: string }) | undefined {
  const resource = endpoint.labels[LabelKey.resource];
  if (resource === undefined) return undefined;
  const parts = resource.split('/');
  const prefix = parts[0] ?? '';
  const kind = KINDS[prefix];
  if (kind === undefined) return undefined;
  if (parts.length === 3 && parts[2] !== '') {
    return { ...kind, ...(parts[1] === '' ? {} : { namespace: parts[1] }), name: parts[2] ?? '', source: prefix };
  }
  if (parts.length === 2 && parts[1] !== '') return { ...kind, name: parts[1] ?? '', source: prefix };
  return undefined;
}

/** `ownerId` stands in for a record that has no owner label yet (a create: the registry labels its own copy). */
export function eventNote(endpoint: Endpoint, ownerId = ''): string {
  const owner = endpoint.labels[LabelKey.owner] ?? ownerId;
  return `(external-dns) record:${endpoint.dnsName},owner:${owner},type:${endpoint.recordType},ttl:${endpoint.recordTTL},targets:${endpoint.targets.join(',')}`;
}

/**
 * An RFC 1123 name from the object's name and the event time in hex nanoseconds, as ExternalDNS builds it.
 * The clock has only milliseconds, so `seq` fills the sub-millisecond part: one object with several records
 * changed in one sync gets several events, and equal names would make the API refuse all but the first.
 */
export function eventName(objectName: string, nowMs: number, seq = 0): string {
  const suffix = `.${(BigInt(nowMs) * 1_000_000n + BigInt(seq % 1_000_000)).toString(16)}`;
  let base = objectName.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  if (!/^[a-z0-9]/.test(base)) base = `a${base}`;
  base = base.slice(0, 253 - suffix.length);
  if (!/[a-z0-9]$/.test(base)) base += 'z';
  return base + suffix;
}

export interface EventContext {
  readonly nowMs: number;
  /** The registry's owner id (see eventNote). */
  readonly ownerId?: string | undefined;
  /** Makes names unique within one millisecond (see eventName). */
  readonly seq?: number | undefined;
}

export function buildEvent(endpoint: Endpoint, action: string, reason: EventReason, when: number | EventContext): KubeEvent | undefined {
  const at = typeof when === 'number' ? { nowMs: when } : when;
  const ref = referenceOf(endpoint);
  if (ref === undefined) return undefined;
  const { source, ...regarding } = ref;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: eventName(ref.name, at.nowMs, at.seq), namespace: ref.namespace ?? 'default' },
    eventTime: microTime(at.nowMs),
    reportingController: CONTROLLER,
    reportingInstance: `${CONTROLLER}/source/${source}`,
    action,
    reason,
    note: eventNote(endpoint, at.ownerId),
    type: reason === 'RecordError' ? 'Warning' : 'Normal',
    regarding,
  };
}

/** The events one sync's changes make: creates and updates, and deletes (RecordDeleted, or RecordError on failure). */
export function eventsForChanges(changes: Changes, ok: boolean, nowMs: number, ownerId = ''): KubeEvent[] {
  let seq = 0;
  const reason: EventReason = ok ? 'RecordReady' : 'RecordError';
  const pairs: [Endpoint, string, EventReason][] = [
    ...changes.create.map((e): [Endpoint, string, EventReason] => [e, 'Created', reason]),
    ...changes.updateNew.map((e): [Endpoint, string, EventReason] => [e, 'Updated', reason]),
    ...changes.delete.map((e): [Endpoint, string, EventReason] => [e, 'Deleted', ok ? 'RecordDeleted' : 'RecordError']),
  ];
  return pairs.flatMap(([e, action, r]) => buildEvent(e, action, r, { nowMs, ownerId, seq: seq++ }) ?? []);
}

export interface EventEmitterOptions {
  /** --events-emit. */
  readonly reasons: readonly string[];
  /** --dry-run: nothing changed, so nothing is reported (ExternalDNS sends its events as server-side dry runs). */
  readonly dryRun: boolean;
}

export interface EventEmitter {
  /** Queues the events of one sync's changes (filtered by --events-emit); never throws. `ownerId`: the registry's. */
  changes(changes: Changes, ok: boolean, ownerId?: string): void;
  /** Queues a RecordError Warning per endpoint dropped before the plan, its note ending in the reason (--events-emit RecordError). */
  refused(refusals: readonly Refusal[]): void;
  /** Waits for the queue to drain (tests, shutdown). */
  flush(): Promise<void>;
}

export function createEventEmitter(options: EventEmitterOptions, deps: { sink: EventSink; clock: Clock; logger: Logger }): EventEmitter {
  const wanted = new Set(options.reasons);
  let tail: Promise<void> = Promise.resolve();
  /** The last failure warned about: a missing RBAC rule fails every event, and one warning says it. */
  let warned = '';
  const send = async (event: KubeEvent): Promise<void> => {
    try {
      await deps.sink.create(event.metadata.namespace, event, AbortSignal.timeout(10_000));
      warned = '';
    } catch (err) {
      const error = errorMessage(err);
      const kind = ExtdnsError.is(err) ? err.code : error;
      const fields = { object: `${event.regarding.kind}/${event.regarding.namespace ?? ''}/${event.regarding.name}`, error };
      if (kind === warned) {
        deps.logger.debug('Could not create a Kubernetes event', fields);
      } else {
        warned = kind;
        deps.logger.warn('Could not create a Kubernetes event; DNS records are not affected (later failures of this kind are logged at debug level)', fields);
      }
    }
  };
  return {
    changes(changes, ok, ownerId = '') {
      if (wanted.size === 0 || options.dryRun) return;
      const events = eventsForChanges(changes, ok, deps.clock.now(), ownerId).filter((e) => wanted.has(e.reason));
      if (events.length > MAX_PER_SYNC) deps.logger.debug(`Only the first ${MAX_PER_SYNC} of ${events.length} events of this sync are sent`);
      for (const event of events.slice(0, MAX_PER_SYNC)) tail = tail.then(() => send(event));
    },
    refused(refusals) {
      if (!wanted.has('RecordError') || options.dryRun) return;
      const now = deps.clock.now();
      const events = refusals.flatMap((r, seq) => {
        const event = buildEvent(r.endpoint, 'Rejected', 'RecordError', { nowMs: now, seq });
        return event === undefined ? [] : [{ ...event, note: `${event.note},error:${r.reason}`.slice(0, MAX_NOTE) }];
      });
      for (const event of events.slice(0, MAX_PER_SYNC)) tail = tail.then(() => send(event));
    },
    flush: () => tail,
  };
}

/** Kubernetes refuses an event note over 1 kB. */
const MAX_NOTE = 1024;

/** The controller hooks that feed the emitter: applied changes are ready, failed ones are errors. */
export function eventObserver(emitter: EventEmitter, ownerId = ''): Pick<SyncObserver, 'syncSucceeded' | 'applyFailed' | 'refused'> {
  return {
    refused: (fresh) => { emitter.refused(fresh); },
    syncSucceeded: (result) => { if (result.applied) emitter.changes(result.changes, true, ownerId); },
    applyFailed: (changes, error) => {
      // A standby's refused write is not a record error: the leader applies these changes.
      if (ExtdnsError.is(error) && error.code === ControllerErrors.EXTDNS_CONTROLLER_NOT_LEADER.code) return;
      emitter.changes(changes, false, ownerId);
    },
  };
}
