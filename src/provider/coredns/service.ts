/**
 * One SkyDNS message, the JSON CoreDNS's etcd plugin reads, as ExternalDNS
 * v0.22 writes it (provider/coredns Service): Go's field order, each field
 * left out when empty (omitempty), and the key layout
 * `<prefix><labels reversed, joined by '/'>[/<id>]`.
 */

export interface SkyService {
  host: string;
  port: number;
  priority: number;
  weight: number;
  text: string;
  mail: boolean;
  ttl: number;
  targetstrip: number;
  group: string;
  owner: string;
}

const EMPTY: SkyService = { host: '', port: 0, priority: 0, weight: 0, text: '', mail: false, ttl: 0, targetstrip: 0, group: '', owner: '' };

/** encoding/json of the Go struct: declared order, omitempty on every field. */
export function encodeService(s: SkyService): string {
  const out: Record<string, string | number | boolean> = {};
  for (const field of Object.keys(EMPTY) as (keyof SkyService)[]) {
    const v = s[field];
    if (v !== EMPTY[field]) out[field] = v;
  }
  return goJson(out);
}

/** JSON.stringify with Go's HTML-safe escapes (encoding/json escapes <, > and & by default). */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** The message in a value, or undefined when it is not a SkyDNS JSON object (left alone, never rewritten). */
export function decodeService(value: string): SkyService | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const o = parsed as Record<string, unknown>;
  const str = (k: string): string | undefined => (o[k] === undefined ? '' : typeof o[k] === 'string' ? o[k] : undefined);
  const int = (k: string): number | undefined => (o[k] === undefined ? 0 : typeof o[k] === 'number' && Number.isInteger(o[k]) && o[k] >= 0 ? o[k] : undefined);
  const s = {
    host: str('host'), port: int('port'), priority: int('priority'), weight: int('weight'), text: str('text'),
    mail: o.mail === undefined ? false : typeof o.mail === 'boolean' ? o.mail : undefined,
    ttl: int('ttl'), targetstrip: int('targetstrip'), group: str('group'), owner: str('owner'),
  };
  for (const v of Object.values(s)) if (v === undefined) return undefined;
  return s as SkyService;
}

export function newService(fields: Partial<SkyService>): SkyService {
  return { ...EMPTY, ...fields };
}

/** `/skydns/` + `a.b.example.org` → `/skydns/org/example/b/a`. */
export function keyFor(prefix: string, dnsName: string): string {
  return prefix + dnsName.split('.').reverse().join('/');
}

/** The record name a key holds: the path reversed, less the `targetstrip` leftmost labels (the id). */
export function nameOfKey(prefix: string, key: string, targetstrip: number): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const labels = key.slice(prefix.length).split('/').reverse();
  if (targetstrip > labels.length) return undefined;
  return labels.slice(targetstrip).join('.');
}

export function isPtrName(dnsName: string): boolean {
  return dnsName.endsWith('.in-addr.arpa') || dnsName.endsWith('.ip6.arpa');
}
