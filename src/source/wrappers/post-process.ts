/**
 * Last touches before the planner (ExternalDNS `postProcessor`):
 * - --min-ttl: endpoints without a TTL get this one (those with a TTL keep it);
 * - provider properties: only those meant for --provider travel on, i.e.
 *   names without "/" (`alias`, `record-type`) and `<provider>/...`; the
 *   cloudflare provider keeps all (its properties are full annotation keys);
 *   properties end up sorted by name;
 * - --prefer-alias: CNAMEs without an `alias` property get `alias=true`.
 */
import { PropertyName, type Endpoint } from '../../endpoint/endpoint.ts';

export interface PostProcessOptions {
  /** Seconds; 0 = off. */
  minTtl: number;
  /** --provider; "" = keep every property. */
  provider: string;
  preferAlias: boolean;
}

export function postProcess(endpoints: readonly Endpoint[], options: PostProcessOptions): Endpoint[] {
  const provider = options.provider.trim();
  if (options.minTtl <= 0 && provider === '' && !options.preferAlias) return [...endpoints];
  return endpoints.map((ep) => {
    const out: Endpoint = { ...ep, providerSpecific: retainProviderProperties(ep.providerSpecific, provider) };
    if (out.recordTTL <= 0 && options.minTtl > 0) out.recordTTL = Math.trunc(options.minTtl);
    if (options.preferAlias && out.recordType === 'CNAME' && !out.providerSpecific.some((p) => p.name === PropertyName.alias)) {
      out.providerSpecific = [...out.providerSpecific, { name: PropertyName.alias, value: 'true' }];
    }
    return out;
  });
}

export function retainProviderProperties(properties: Endpoint['providerSpecific'], provider: string): Endpoint['providerSpecific'] {
  const kept =
    provider === '' || provider === 'cloudflare'
      ? properties
      : properties.filter((p) => !p.name.includes('/') || p.name.startsWith(`${provider}/`));
  return [...kept].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
