/**
 * --resolve-service-load-balancer-hostname: LoadBalancer services whose status
 * names a hostname (AWS ELB and the like) are published with that hostname's
 * addresses (A/AAAA) instead of a CNAME. Translation stays pure: the source
 * runs this step first, with the resolver it was given, and translates the
 * rewritten objects.
 */
import { fields, list, resourceName, str, type KubeObject } from '../kube.ts';
import type { SourceWarning } from '../shapes.ts';
import { SERVICE_RESOURCE_PREFIX } from './service.ts';

/** IPv4 and IPv6 addresses of a host name (e.g. built on node:dns/promises lookup with all: true). */
export type HostnameResolver = (hostname: string, signal: AbortSignal) => Promise<string[]>;

export interface ResolvedServices {
  objects: KubeObject[];
  warnings: SourceWarning[];
}

/**
 * `objects` with every LoadBalancer Service's status.loadBalancer.ingress
 * hostname replaced by one `ip` entry per address it resolves to. A name that
 * does not resolve is left out with a warning (as ExternalDNS does). Other
 * objects pass through unchanged. Each name is resolved once per call.
 */
export async function resolveLoadBalancerHostnames(objects: readonly KubeObject[], resolve: HostnameResolver, signal: AbortSignal): Promise<ResolvedServices> {
  const warnings: SourceWarning[] = [];
  const cache = new Map<string, Promise<string[] | Error>>();
  const lookup = (name: string): Promise<string[] | Error> => {
    let found = cache.get(name);
    if (found === undefined) {
      found = resolve(name, signal).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      cache.set(name, found);
    }
    return found;
  };
  const out: KubeObject[] = [];
  for (const obj of objects) {
    const ingress = list(fields(fields(obj.status).loadBalancer).ingress).map(fields);
    if (obj.kind !== 'Service' || str(fields(obj.spec).type) !== 'LoadBalancer' || !ingress.some((e) => str(e.hostname) !== '')) {
      out.push(obj);
      continue;
    }
    const entries: Record<string, unknown>[] = [];
    for (const entry of ingress) {
      const hostname = str(entry.hostname);
      if (hostname === '') {
        entries.push({ ...entry });
        continue;
      }
      if (str(entry.ip) !== '') entries.push({ ip: str(entry.ip) });
      const addresses = await lookup(hostname);
      if (addresses instanceof Error) {
        warnings.push({ resource: resourceName(SERVICE_RESOURCE_PREFIX, obj), message: `cannot resolve load balancer hostname ${hostname}: ${addresses.message}; it is left out until it resolves` });
        continue;
      }
      entries.push(...addresses.map((ip) => ({ ip })));
    }
    out.push({ ...obj, status: { ...fields(obj.status), loadBalancer: { ...fields(fields(obj.status).loadBalancer), ingress: entries } } });
  }
  signal.throwIfAborted();
  return { objects: out, warnings };
}
