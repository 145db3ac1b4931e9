/**
 * IP address parsing with Go `net/netip.ParseAddr` rules, so extdns accepts
 * and canonicalises exactly the addresses ExternalDNS does: dotted IPv4 with
 * no leading zeros, IPv6 with at most one `::`, an optional trailing dotted
 * IPv4 part and an optional `%zone`. The canonical form is Go's `Addr.String()`
 * (RFC 5952: lower-case hex, longest run of two or more zero groups
 * compressed, `::ffff:a.b.c.d` for IPv4-mapped addresses).
 */

export interface ParsedIp {
  version: 4 | 6;
  /** 4 octets (IPv4) or 8 sixteen-bit groups (IPv6). */
  parts: number[];
  /** IPv6 zone without the `%`; "" when absent. */
  zone: string;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Dotted-quad IPv4, Go rules: four decimal octets 0..255 without leading zeros. Hand-rolled: it runs per target. */
function parseIpv4(text: string): number[] | undefined {
  const octets: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; /* a final '.' closes the last octet */
    if (c === 46) {
      if (digits === 0 || octets.length === 4) return undefined;
      octets.push(value);
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return undefined; /* leading zero */
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return octets.length === 4 ? octets : undefined;
}

/** Parses the colon-separated groups of one side of `::`; a dotted IPv4 is allowed only as the very last field. */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const fields = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? '';
    if (allowIpv4Tail && i === fields.length - 1 && field.includes('.')) {
      const v4 = parseIpv4(field);
      if (v4 === undefined) return undefined;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (!HEX_GROUP.test(field)) return undefined;
    groups.push(parseInt(field, 16));
  }
  return groups;
}

function parseIpv6(text: string): ParsedIp | undefined {
  let body = text;
  let zone = '';
  const percent = text.indexOf('%');
  if (percent >= 0) {
    zone = text.slice(percent + 1);
    body = text.slice(0, percent);
    if (zone === '') return undefined;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  if (halves.length === 1) {
    const groups = parseGroups(body, true);
    return groups?.length === 8 ? { version: 6, parts: groups, zone } : undefined;
  }
  const head = parseGroups(halves[0] ?? '', false);
  const tail = parseGroups(halves[1] ?? '', true);
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  // `::` stands for at least one zero group (RFC 4291 §2.2).
  if (missing < 1) return undefined;
  return { version: 6, parts: [...head, ...new Array<number>(missing).fill(0), ...tail], zone };
}

/** Parses an IPv4 or IPv6 address; undefined when `text` is not one (hostnames, CIDRs, bracketed forms). */
export function parseIp(text: string): ParsedIp | undefined {
  if (text.includes(':')) return parseIpv6(text);
  // Cheap reject before splitting: IPv4 needs a digit first and only digits and dots.
  const first = text.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return undefined;
  const octets = parseIpv4(text);
  return octets === undefined ? undefined : { version: 4, parts: octets, zone: '' };
}

export function isIp(text: string): boolean {
  return parseIp(text) !== undefined;
}

/** True for IPv4 only (an IPv4-mapped IPv6 address is IPv6, as in Go's `Is4`). */
export function isIpv4(text: string): boolean {
  return parseIp(text)?.version === 4;
}

export function isIpv6(text: string): boolean {
  return parseIp(text)?.version === 6;
}

function isIpv4Mapped(ip: ParsedIp): boolean {
  const p = ip.parts;
  return p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0xffff;
}

/** The longest run of two or more zero groups (first one on a tie), as [start, end). */
function longestZeroRun(parts: readonly number[]): [number, number] {
  let best: [number, number] = [-1, -1];
  for (let i = 0; i < parts.length; i++) {
    let j = i;
    while (j < parts.length && parts[j] === 0) j++;
    if (j - i >= 2 && j - i > best[1] - best[0]) best = [i, j];
    if (j > i) i = j;
  }
  return best;
}

export function formatIp(ip: ParsedIp): string {
  const zone = ip.zone === '' ? '' : `%${ip.zone}`;
  if (ip.version === 4) return ip.parts.join('.');
  if (isIpv4Mapped(ip)) {
    const hi = ip.parts[6] ?? 0;
    const lo = ip.parts[7] ?? 0;
    return `::ffff:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}${zone}`;
  }
  const [start, end] = longestZeroRun(ip.parts);
  const hex = (groups: readonly number[]): string => groups.map((g) => g.toString(16)).join(':');
  if (start < 0) return hex(ip.parts) + zone;
  return `${hex(ip.parts.slice(0, start))}::${hex(ip.parts.slice(end))}${zone}`;
}

/** The canonical text of an IP address (Go `netip.Addr.String()`), or undefined when `text` is not an IP. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip === undefined ? undefined : formatIp(ip);
}

/** Orders like Go's `Addr.Compare`: IPv4 before IPv6, then numerically, then by zone. */
export function compareIps(a: ParsedIp, b: ParsedIp): number {
  if (a.version !== b.version) return a.version - b.version;
  for (let i = 0; i < a.parts.length; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.zone === b.zone) return 0;
  return a.zone < b.zone ? -1 : 1;
}
