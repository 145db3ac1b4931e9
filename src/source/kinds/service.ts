/**
 * Service → endpoints (ExternalDNS `source/service.go`).
 *
 * Names come from the `hostname` annotation (targets by service type) and the
 * `internal-hostname` annotation (the ClusterIP), else from the annotations of
 * --compatibility (./service-compat.ts), or from --fqdn-template.
 * Targets by type, unless the `target` annotation overrides them:
 *   LoadBalancer  spec.externalIPs, else status.loadBalancer.ingress[].ip/hostname
 *   ClusterIP     spec.clusterIP, only for internal-hostname or --publish-internal-services;
 *                 headless (clusterIP None): pod addresses from EndpointSlices, plus
 *                 `<pod hostname>.<name>` per pod
 *   NodePort      node addresses (by the `access` annotation), plus one SRV record per port
 *   ExternalName  spec.externalIPs, else spec.externalName
 */
import { LabelKey, type Endpoint } from '../../endpoint/endpoint.ts';
import {
  AnnotationName,
  controllerMatches,
  hostnamesFrom,
  providerSpecificFrom,
  readAnnotations,
  targetsFrom,
  ttlFrom,
} from '../annotations.ts';
import { fields, list, resourceName, str, strings, type Fields, type KubeObject, type ObjectStore } from '../kube.ts';
import type { SourceWarning, TranslateOptions, Translation } from '../shapes.ts';
import { endpointsForHostname, mergeEndpoints, runTemplate, withFqdnTargetTemplate } from './common.ts';
import { withOrigin } from '../origin.ts';
import { compatibilityEndpoints } from './service-compat.ts';
import { nodeAddresses, selectedPods, type ServiceContext } from './service-context.ts';
import { headlessEndpoints } from './service-headless.ts';

export const SERVICE_RESOURCE_PREFIX = 'service';

export function serviceType(svc: KubeObject): string {
  return str(fields(svc.spec).type) || 'ClusterIP';
}

/** False when --service-type-filter leaves this service out. */
export function serviceTypeSelected(svc: KubeObject, options: TranslateOptions): boolean {
  const filter = options.serviceTypeFilter;
  return filter.length === 0 || filter.includes('') || filter.includes(serviceType(svc));
}

export function translateService(svc: KubeObject, store: ObjectStore, options: TranslateOptions): Translation {
  const annotations = readAnnotations(svc.metadata.annotations, options.annotationPrefix);
  if (!controllerMatches(annotations) || !serviceTypeSelected(svc, options)) return { endpoints: [], warnings: [] };
  const warnings: SourceWarning[] = [];
  const resource = resourceName(SERVICE_RESOURCE_PREFIX, svc);
  const ctx: ServiceContext = {
    svc,
    spec: fields(svc.spec),
    annotations,
    resource,
    store,
    options,
    ttl: ttlFrom(annotations, resource, warnings),
    properties: providerSpecificFrom(annotations),
    warnings,
  };
  const endpoints: Endpoint[] = [];
  if (!options.ignoreHostnameAnnotation) {
    for (const [name, internal] of [[AnnotationName.hostname, false], [AnnotationName.internalHostname, true]] as const) {
      const origin = `annotation ${annotations.keyOf(name)}`;
      for (const h of hostnamesFrom(annotations, name) ?? []) endpoints.push(...withOrigin(generate(ctx, h, internal), origin));
    }
  }
  if (endpoints.length === 0 && options.compatibility !== '') {
    endpoints.push(...withOrigin(compatibilityEndpoints(svc, store, { compatibility: options.compatibility, resource, exposeInternalIpv6: options.exposeInternalIpv6 }), `--compatibility=${options.compatibility}`));
  }
  const { providerSpecific, setIdentifier } = ctx.properties;
  const withPairs = withFqdnTargetTemplate(endpoints, svc, options, { resource, ttl: ctx.ttl, warnings, providerSpecific, setIdentifier });
  const template = options.fqdnTemplate;
  if (template !== undefined && (options.combineFqdnAnnotation || withPairs.length === 0)) {
    // Template names point where the Service does: v0.22 applies no --target-template to Services.
    for (const h of runTemplate(template, svc, ctx)) withPairs.push(...withOrigin(generate(ctx, h, false), '--fqdn-template'));
  }
  return { endpoints: withPairs, warnings };
}

/** The records of one name: the target annotation's targets, else the Service's own by its type. */
function generate(ctx: ServiceContext, rawHostname: string, useClusterIp: boolean): Endpoint[] {
  const hostname = rawHostname.replace(/\.$/, '');
  let targets = targetsFrom(ctx.annotations);
  let extra: Endpoint[] = [];
  if (targets.length === 0) {
    ({ targets, extra } = targetsByType(ctx, hostname, useClusterIp));
    for (const ep of extra) {
      ep.providerSpecific = ctx.properties.providerSpecific.map((p) => ({ ...p }));
      ep.setIdentifier = ctx.properties.setIdentifier;
    }
  }
  return [
    ...extra,
    ...endpointsForHostname({
      hostname,
      targets,
      ttl: ctx.ttl,
      providerSpecific: ctx.properties.providerSpecific,
      setIdentifier: ctx.properties.setIdentifier,
      resource: ctx.resource,
    }),
  ];
}

function targetsByType(ctx: ServiceContext, hostname: string, useClusterIp: boolean): { targets: string[]; extra: Endpoint[] } {
  const none = { targets: [], extra: [] };
  switch (serviceType(ctx.svc)) {
    case 'LoadBalancer':
      return { targets: useClusterIp ? clusterIps(ctx.spec) : loadBalancerTargets(ctx), extra: [] };
    case 'ClusterIP':
      if (str(ctx.spec.clusterIP) === 'None') return { targets: [], extra: headlessEndpoints(ctx, hostname) };
      if (useClusterIp || ctx.options.publishInternalServices) return { targets: clusterIps(ctx.spec), extra: [] };
      return none;
    case 'NodePort':
      return { targets: nodePortTargets(ctx), extra: nodePortSrvEndpoints(ctx, hostname) };
    case 'ExternalName': {
      const external = strings(ctx.spec.externalIPs);
      return { targets: external.length > 0 ? external : nonEmpty([str(ctx.spec.externalName)]), extra: [] };
    }
    default:
      return none;
  }
}

function clusterIps(spec: Fields): string[] {
  const ip = str(spec.clusterIP);
  return ip === '' || ip === 'None' ? [] : [ip];
}

function loadBalancerTargets(ctx: ServiceContext): string[] {
  const external = strings(ctx.spec.externalIPs);
  if (external.length > 0) return external;
  const targets: string[] = [];
  for (const lb of list(fields(fields(ctx.svc.status).loadBalancer).ingress)) {
    const entry = fields(lb);
    targets.push(...nonEmpty([str(entry.ip), str(entry.hostname)]));
  }
  return targets;
}

function nonEmpty(values: string[]): string[] {
  return values.filter((v) => v !== '');
}

// ---- NodePort --------------------------------------------------------------------------------

function nodePortTargets(ctx: ServiceContext): string[] {
  const nodes = str(ctx.spec.externalTrafficPolicy) === 'Local' ? nodesWithLocalPods(ctx) : ctx.store.list('Node');
  const external: string[] = [];
  const internal: string[] = [];
  const internalV6: string[] = [];
  for (const node of nodes) {
    if (fields(node.spec).unschedulable === true && ctx.options.excludeUnschedulable) continue;
    for (const address of nodeAddresses(node)) {
      if (address.type === 'ExternalIP') external.push(address.address);
      if (address.type === 'InternalIP') {
        internal.push(address.address);
        if (address.address.includes(':')) internalV6.push(address.address);
      }
    }
  }
  const publicTargets = ctx.options.exposeInternalIpv6 ? [...external, ...internalV6] : external;
  const access = ctx.annotations.get(AnnotationName.access);
  if (access === 'public') return publicTargets;
  if (access === 'private') return internal;
  return external.length > 0 ? publicTargets : internal;
}

const PodTier = { notReady: 1, readyTerminating: 2, ready: 3 } as const;

/**
 * externalTrafficPolicy=Local: only nodes running a pod of the service, and of
 * those only the best tier present (ready, then ready-but-terminating, then running).
 */
function nodesWithLocalPods(ctx: ServiceContext): KubeObject[] {
  const nodes = ctx.store.list('Node');
  const best = new Map<KubeObject, number>();
  for (const pod of selectedPods(ctx)) {
    const status = fields(pod.status);
    if (str(status.phase) !== 'Running') continue;
    const node = nodes.find((n) => n.metadata.name === str(fields(pod.spec).nodeName));
    if (node === undefined) continue;
    let tier: number = PodTier.notReady;
    if (podReady(status)) tier = pod.metadata.deletionTimestamp === undefined ? PodTier.ready : PodTier.readyTerminating;
    best.set(node, Math.max(best.get(node) ?? 0, tier));
  }
  const top = Math.max(0, ...best.values());
  return nodes.filter((n) => best.get(n) === top);
}

function podReady(status: Fields): boolean {
  const ready = list(status.conditions).map(fields).find((c) => c.type === 'Ready');
  return ready?.status === 'True';
}

/** RFC 2782 `_service._proto.name` records: priority 0, weight 50, the node port. */
function nodePortSrvEndpoints(ctx: ServiceContext, hostname: string): Endpoint[] {
  const out: Endpoint[] = [];
  for (const port of list(ctx.spec.ports).map(fields)) {
    const nodePort = typeof port.nodePort === 'number' ? port.nodePort : 0;
    if (nodePort <= 0) continue;
    const protocol = (str(port.protocol) || 'TCP').toLowerCase();
    out.push({
      dnsName: `_${ctx.svc.metadata.name}._${protocol}.${hostname}`,
      recordType: 'SRV',
      targets: [`0 50 ${nodePort} ${hostname}.`],
      setIdentifier: '',
      recordTTL: ctx.ttl,
      labels: { [LabelKey.resource]: ctx.resource },
      providerSpecific: [],
    });
  }
  return out;
}

// ---- merging across services -------------------------------------------------------------------

/**
 * Joins the endpoints of all services: records of one name, type and set
 * identifier from several services become one record with all their targets
 * (CNAMEs excepted). Services are taken in resource-name order so the same
 * service always ends up owning a shared record.
 */
export function mergeServiceEndpoints(endpoints: readonly Endpoint[]): Endpoint[] {
  const byResource = [...endpoints].sort((a, b) => compare(a.labels[LabelKey.resource], b.labels[LabelKey.resource]));
  const groups = new Map<string, Endpoint[]>();
  for (const ep of byResource) {
    const key = `${ep.dnsName}\u0000${ep.recordType}\u0000${ep.setIdentifier}`;
    const existing = groups.get(key);
    const first = existing?.[0];
    if (existing === undefined || first === undefined) groups.set(key, [{ ...ep, targets: [...ep.targets] }]);
    else if (first.recordType === 'CNAME') existing.push(ep);
    else first.targets.push(...ep.targets);
  }
  const merged = [...groups.values()].flat();
  merged.sort((a, b) => compare(a.dnsName, b.dnsName) || compare(a.recordType, b.recordType));
  return mergeEndpoints(merged);
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  if (x === y) return 0;
  return x < y ? -1 : 1;
}
