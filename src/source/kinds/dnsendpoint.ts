/**
 * DNSEndpoint (externaldns.k8s.io/v1alpha1) → endpoints (ExternalDNS `source/crd.go`).
 *
 * spec.endpoints[] are taken as written, any record type. One check per
 * target: CNAME and DNAME take any form; TXT, MX and SRV are not checked here
 * (the dedup stage validates them); NAPTR targets must end with "."; all other
 * types (A, AAAA, NS, PTR, ...) must not. An endpoint failing it, or not
 * shaped like an endpoint, is skipped with a warning; its siblings still count.
 * Annotations of a DNSEndpoint are only used by --annotation-filter.
 */
import { LabelKey, newEndpoint, type Endpoint, type ProviderSpecificProperty } from '../../endpoint/endpoint.ts';
import { fields, list, resourceName, str, stringMap, type Fields, type KubeObject } from '../kube.ts';
import type { SourceWarning, Translation } from '../shapes.ts';
import { withOrigin } from '../origin.ts';

export const DNSENDPOINT_RESOURCE_PREFIX = 'crd';
export const DNSENDPOINT_API_VERSION = 'externaldns.k8s.io/v1alpha1';

const UNCHECKED_TYPES: ReadonlySet<string> = new Set(['CNAME', 'DNAME', 'TXT', 'MX', 'SRV']);

export function translateDnsEndpoint(obj: KubeObject): Translation {
  const resource = resourceName(DNSENDPOINT_RESOURCE_PREFIX, obj);
  const warnings: SourceWarning[] = [];
  const endpoints: Endpoint[] = [];
  list(fields(obj.spec).endpoints).forEach((raw, index) => {
    if (raw === null || raw === undefined) return;
    const where = `spec.endpoints[${index}]`;
    const problem = shapeProblem(raw);
    if (problem !== undefined) {
      warnings.push({ resource, message: `${where} is skipped: ${problem}` });
      return;
    }
    const e = fields(raw);
    const recordType = str(e.recordType);
    const targets = list(e.targets) as string[];
    const illegal = illegalTarget(recordType, targets);
    if (illegal !== undefined) {
      warnings.push({
        resource,
        message: `${where} (${str(e.dnsName)} ${recordType}) is skipped: illegal target "${illegal.target}" for ${recordType}; use "${illegal.fixed}"`,
      });
      return;
    }
    endpoints.push(...withOrigin([
      newEndpoint({
        dnsName: str(e.dnsName),
        recordType,
        targets,
        setIdentifier: str(e.setIdentifier),
        recordTTL: typeof e.recordTTL === 'number' ? e.recordTTL : 0,
        labels: { ...stringMap(e.labels), [LabelKey.resource]: resource },
        providerSpecific: properties(e.providerSpecific),
      }),
    ], where));
  });
  return { endpoints, warnings };
}

/** Why `raw` is not an endpoint, or undefined when it is one. */
function shapeProblem(raw: unknown): string | undefined {
  const e = fields(raw);
  if (typeof raw !== 'object' || Array.isArray(raw)) return 'it is not a mapping';
  if (str(e.dnsName) === '') return 'dnsName is missing';
  if (str(e.recordType) === '') return 'recordType is missing';
  if (e.targets !== undefined && !list(e.targets).every((t) => typeof t === 'string')) return 'targets must be a list of strings';
  if (e.recordTTL !== undefined && !(Number.isInteger(e.recordTTL) && (e.recordTTL as number) >= 0)) {
    return 'recordTTL must be a whole number of seconds';
  }
  return undefined;
}

function illegalTarget(recordType: string, targets: readonly string[]): { target: string; fixed: string } | undefined {
  if (UNCHECKED_TYPES.has(recordType)) return undefined;
  for (const target of targets) {
    const hasDot = target.endsWith('.');
    if (recordType === 'NAPTR' && !hasDot) return { target, fixed: `${target}.` };
    if (recordType !== 'NAPTR' && hasDot) return { target, fixed: target.slice(0, -1) };
  }
  return undefined;
}

function properties(value: unknown): ProviderSpecificProperty[] {
  return list(value)
    .map((p): Fields => fields(p))
    .filter((p) => typeof p.name === 'string' && p.name !== '')
    .map((p) => ({ name: str(p.name), value: str(p.value) }));
}
