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
  tlsroute: { kind: 'TLSRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
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

export function eventNote(endpoint: Endpoint): string {
  const owner = endpoint.labels[LabelKey.owner] ?? '';
  return `(external-dns) record:${endpoint.dnsName},owner:${owner},type:${endpoint.recordType},ttl:${endpoint.recordTTL},targets:${endpoint.targets.join(',')}`;
}

/** An RFC 1123 name from the object's name and the event time, as ExternalDNS builds it. */
export function eventName(objectName: string, nowMs: number): string {
  const suffix = `.${(BigInt(nowMs) * 1_000_000n).toString(16)}`;
  let base = objectName.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  if (!/^[a-z0-9]/.test(base)) base = `a${base}`;
  base = base.slice(0, 253 - suffix.length);
  if (!/[a-z0-9]$/.test(base)) base += 'z';
  return base + suffix;
}

export function buildEvent(endpoint: Endpoint, action: string, reason: EventReason, nowMs: number): KubeEvent | undefined {
  const ref = referenceOf(endpoint);
  if (ref === undefined) return undefined;
  const { source, ...regarding } = ref;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: eventName(ref.name, nowMs), namespace: ref.namespace ?? 'default' },
    eventTime: microTime(nowMs),
    reportingController: CONTROLLER,
    reportingInstance: `${CONTROLLER}/source/${source}`,
    action,
    reason,
    note: eventNote(endpoint),
    type: reason === 'RecordError' ? 'Warning' : 'Normal',
    regarding,
  };
}

/** The events one sync's changes make: creates and updates, and deletes (RecordDeleted, or RecordError on failure). */
export function eventsForChanges(changes: Changes, ok: boolean, nowMs: number): KubeEvent[] {
  const reason: EventReason = ok ? 'RecordReady' : 'RecordError';
  const pairs: [Endpoint, string, EventReason][] = [
    ...changes.create.map((e): [Endpoint, string, EventReason] => [e, 'Created', reason]),
    ...changes.updateNew.map((e): [Endpoint, string, EventReason] => [e, 'Updated', reason]),
    ...changes.delete.map((e): [Endpoint, string, EventReason] => [e, 'Deleted', ok ? 'RecordDeleted' : 'RecordError']),
  ];
  return pairs.flatMap(([e, action, r]) => buildEvent(e, action, r, nowMs) ?? []);
}

export interface EventEmitterOptions {
  /** --events-emit. */
  readonly reasons: readonly string[];
  /** --dry-run: nothing changed, so nothing is reported (ExternalDNS sends its events as server-side dry runs). */
  readonly dryRun: boolean;
}

export interface EventEmitter {
  /** Queues the events of one sync's changes (filtered by --events-emit); never throws. */
  changes(changes: Changes, ok: boolean): void;
  /** Waits for the queue to drain (tests, shutdown). */
  flush(): Promise<void>;
}

export function createEventEmitter(options: EventEmitterOptions, deps: { sink: EventSink; clock: Clock; logger: Logger }): EventEmitter {
  const wanted = new Set(options.reasons);
  let tail: Promise<void> = Promise.resolve();
  const send = async (event: KubeEvent): Promise<void> => {
    try {
      await deps.sink.create(event.metadata.namespace, event, AbortSignal.timeout(10_000));
    } catch (err) {
      deps.logger.debug('could not create a Kubernetes event', { object: `${event.regarding.kind}/${event.regarding.name}`, error: errorMessage(err) });
    }
  };
  return {
    changes(changes, ok) {
      if (wanted.size === 0 || options.dryRun) return;
      const events = eventsForChanges(changes, ok, deps.clock.now()).filter((e) => wanted.has(e.reason));
      if (events.length > MAX_PER_SYNC) deps.logger.debug(`only the first ${MAX_PER_SYNC} of ${events.length} events of this sync are sent`);
      for (const event of events.slice(0, MAX_PER_SYNC)) tail = tail.then(() => send(event));
    },
    flush: () => tail,
  };
}

/** The controller hooks that feed the emitter: applied changes are ready, failed ones are errors. */
export function eventObserver(emitter: EventEmitter): Pick<SyncObserver, 'syncSucceeded' | 'applyFailed'> {
  return {
    syncSucceeded: (result) => { if (result.applied) emitter.changes(result.changes, true); },
    applyFailed: (changes, error) => {
      // A standby's refused write is not a record error: the leader applies these changes.
      if (ExtdnsError.is(error) && error.code === ControllerErrors.EXTDNS_CONTROLLER_NOT_LEADER.code) return;
      emitter.changes(changes, false);
    },
  };
}
