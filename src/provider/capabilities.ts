/**
 * What a provider can hold (issue 12 item 3): record types, name rules and
 * value sizes. The controller checks every desired endpoint against its
 * provider's declaration before planning (src/controller/admission.ts), so an
 * endpoint the provider would refuse costs that one record, with a warning
 * naming its source object, instead of the whole batch.
 *
 * Rules every provider gets, whatever it declares:
 * - a name is valid UTF-8 (no U+FFFD from undecodable bytes, no lone
 *   surrogates), holds no white space or control character, and fits DNS
 *   (labels of 1..63 bytes, at most 253 in all);
 * - an internationalised name becomes its A-label (`bücher.example.org` →
 *   `xn--bcher-kva.example.org`), the form DNS holds; a name IDNA refuses is
 *   refused. Host-name targets (CNAME, NS, PTR, DNAME) are treated the same.
 */
import { cloneEndpoint, getProperty, PropertyName, type Endpoint } from '../endpoint/endpoint.ts';
import { normalizeDnsName } from '../endpoint/idna.ts';

export interface ProviderCapabilities {
  /** Record types the provider can hold; 'any' when a remote decides (webhook). */
  readonly recordTypes: readonly string[] | 'any';
  /**
   * 'hostname': every label of a record's name is letters, digits, `-` and `_`,
   * with no `-` at either end; `*` is allowed as the whole first label, and
   * inside TXT names (ExternalDNS's `a-*.…` ownership TXTs of wildcards).
   * 'dns': only the rules every provider gets.
   */
  readonly names: 'hostname' | 'dns';
  /** The longest value of one TXT target, in UTF-8 bytes, quotes not counted. */
  readonly maxTxtBytes: number;
}

/**
 * RDATA holds at most 65535 bytes and a TXT value is cut into strings of at most
 * 255 bytes, each with a length byte: 256 strings leave room for 65279 bytes.
 */
export const MAX_TXT_RDATA_BYTES = 65_279;

/** What a plain authoritative DNS server holds; the default for providers that declare nothing finer. */
export const DNS_SERVER_CAPABILITIES: ProviderCapabilities = {
  recordTypes: ['A', 'AAAA', 'CNAME', 'TXT', 'SRV', 'NS', 'PTR', 'MX', 'NAPTR', 'DNAME'],
  names: 'hostname',
  maxTxtBytes: MAX_TXT_RDATA_BYTES,
};

/** What `provider` declares it can hold, or a plain DNS server's capabilities when it declares nothing. */
export function capabilitiesOf(provider: { readonly capabilities?: ProviderCapabilities | undefined }): ProviderCapabilities {
  return provider.capabilities ?? DNS_SERVER_CAPABILITIES;
}

/** A remote decides (the webhook): only the rules every provider gets. */
export const PERMISSIVE_CAPABILITIES: ProviderCapabilities = { recordTypes: 'any', names: 'dns', maxTxtBytes: MAX_TXT_RDATA_BYTES };

const MAX_NAME_BYTES = 253;
const MAX_LABEL_BYTES = 63;
const BAD_CHARACTER = /[\s\p{Cc}\p{Cf}\p{Co}\p{Cn}\ufffd]/u;
const LONE_SURROGATE = /\p{Cs}/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const HOST_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/i;
const TXT_LABEL = /^[a-z0-9_*](?:[a-z0-9_*-]*[a-z0-9_*])?$/i;
const HOST_TARGET_TYPES: ReadonlySet<string> = new Set(['CNAME', 'NS', 'PTR', 'DNAME']);

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const refuse = <T>(reason: string): Checked<T> => ({ ok: false, reason });

/** A name safe to print on one line: quoted, with white space, control characters and U+FFFD escaped, when it holds any. */
export function printableName(name: string): string {
  if (!/[\s\p{C}\ufffd]/u.test(name)) return name;
  return JSON.stringify(name).replace(/[\p{C}\ufffd\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

function describeCharacter(name: string): string {
  const bad = BAD_CHARACTER.exec(name)?.[0] ?? LONE_SURROGATE.exec(name)?.[0] ?? '';
  if (bad === '\ufffd' || LONE_SURROGATE.test(bad)) return 'bytes that are not valid UTF-8';
  return `the character U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The common case, checked in one pass: an ASCII host name (optional leading wildcard) within every length limit. */
const PLAIN_HOST = /^(?:\*\.)?(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;

function isPlainHost(name: string): boolean {
  return name.length <= MAX_NAME_BYTES && PLAIN_HOST.test(name);
}

/** The name in the form DNS holds (A-labels), or why it cannot be held. */
export function asciiName(name: string): Checked<string> {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (isPlainHost(bare)) return { ok: true, value: bare };
  if (BAD_CHARACTER.test(bare) || LONE_SURROGATE.test(bare)) return refuse(`the name ${printableName(name)} holds ${describeCharacter(bare)}`);
  const ascii = /^[\x00-\x7f]*$/.test(bare) ? bare : normalizeDnsName(bare);
  if (!/^[\x00-\x7f]*$/.test(ascii)) return refuse(`the name ${printableName(name)} is not a valid internationalised name (IDNA refuses a label)`);
  if (ascii.length === 0) return refuse('the name is empty');
  if (ascii.length > MAX_NAME_BYTES) return refuse(`the name ${ascii} is ${ascii.length} bytes long; DNS allows ${MAX_NAME_BYTES}`);
  for (const label of ascii.split('.')) {
    if (label === '') return refuse(`the name ${ascii} has an empty label`);
    if (label.length > MAX_LABEL_BYTES) return refuse(`label ${label} of ${ascii} is ${label.length} bytes long; DNS allows ${MAX_LABEL_BYTES}`);
  }
  return { ok: true, value: ascii };
}

/** Checks the provider's name rule for a record of `recordType` at the (ASCII) name. */
export function nameRuleProblem(ascii: string, recordType: string, caps: ProviderCapabilities): string | undefined {
  if (caps.names === 'dns' || isPlainHost(ascii)) return undefined;
  const labels = ascii.split('.');
  for (const [i, label] of labels.entries()) {
    if (i === 0 && label === '*') continue;
    const pattern = recordType === 'TXT' ? TXT_LABEL : HOST_LABEL;
    if (pattern.test(label)) continue;
    if (label.startsWith('-') || label.endsWith('-')) return `label ${JSON.stringify(label)} of ${ascii} starts or ends with '-'`;
    if (label.includes('*')) return `label ${JSON.stringify(label)} of ${ascii} holds '*', allowed only as the whole first label (a wildcard)`;
    return `label ${JSON.stringify(label)} of ${ascii} holds characters other than letters, digits, '-' and '_'`;
  }
  return undefined;
}

/** The name as the provider will hold it, or why it cannot. */
export function checkRecordName(name: string, recordType: string, caps: ProviderCapabilities): Checked<string> {
  // A plain host name passes every rule: one match instead of one per rule (every desired endpoint comes here twice).
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (isPlainHost(bare)) return { ok: true, value: bare };
  const ascii = asciiName(name);
  if (!ascii.ok) return ascii;
  const problem = nameRuleProblem(ascii.value, recordType, caps);
  return problem === undefined ? ascii : refuse(problem);
}

function checkTargets(ep: Endpoint, caps: ProviderCapabilities): Checked<string[]> {
  if (ep.recordType === 'TXT') {
    for (const target of ep.targets) {
      const bytes = Buffer.byteLength(target, 'utf8');
      if (bytes > caps.maxTxtBytes) return refuse(`a TXT value of ${bytes} bytes is longer than the provider holds (${caps.maxTxtBytes})`);
      if (LONE_SURROGATE.test(target) || target.includes('\ufffd')) return refuse('a TXT value holds bytes that are not valid UTF-8');
    }
    return { ok: true, value: ep.targets };
  }
  const hostTargets = HOST_TARGET_TYPES.has(ep.recordType) || getProperty(ep, PropertyName.alias) === 'true';
  const out: string[] = [];
  for (const target of ep.targets) {
    if (!hostTargets) {
      // Printable ASCII (an IP address, most values) holds nothing the checks below look for.
      if (PRINTABLE_ASCII.test(target)) {
        out.push(target);
        continue;
      }
      if (BAD_CHARACTER.test(target.replace(/ /g, '')) || LONE_SURROGATE.test(target)) return refuse(`the target ${printableName(target)} holds ${describeCharacter(target)}`);
      out.push(target);
      continue;
    }
    const ascii = asciiName(target);
    if (!ascii.ok) return refuse(`target: ${ascii.reason}`);
    out.push(target === ascii.value || target === `${ascii.value}.` ? target : ascii.value);
  }
  return { ok: true, value: out };
}

/**
 * The endpoint as the provider will hold it (names and host targets in
 * A-label form; the same object when nothing changed), or why it cannot.
 */
export function admitEndpoint(ep: Endpoint, caps: ProviderCapabilities): Checked<Endpoint> {
  if (caps.recordTypes !== 'any' && !caps.recordTypes.includes(ep.recordType)) {
    return refuse(`the provider cannot hold ${ep.recordType} records (it holds ${caps.recordTypes.join(', ')})`);
  }
  const name = checkRecordName(ep.dnsName, ep.recordType, caps);
  if (!name.ok) return name;
  const targets = checkTargets(ep, caps);
  if (!targets.ok) return targets;
  const sameTargets = targets.value.length === ep.targets.length && targets.value.every((t, i) => t === ep.targets[i]);
  if (name.value === ep.dnsName && sameTargets) return { ok: true, value: ep };
  const copy = cloneEndpoint(ep);
  copy.dnsName = name.value;
  copy.targets = [...targets.value];
  return { ok: true, value: copy };
}
