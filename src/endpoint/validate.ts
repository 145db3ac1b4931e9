/**
 * Endpoint validation (ExternalDNS `CheckEndpoint`, plus the name checks its
 * constructor makes). The source pipeline drops endpoints that fail here and
 * logs the reason, so a bad annotation costs one record instead of the whole
 * provider batch.
 *
 * Record types outside KNOWN_RECORD_TYPES pass, as in ExternalDNS: the
 * planner ignores types that are not managed.
 */
import { getProperty, PropertyName, type Endpoint } from './endpoint.ts';
import { normalizeDnsName } from './idna.ts';
import { parseIp } from './ip.ts';

const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const MAX_TTL = 2147483647;
const UINT = /^[0-9]+$/;
const ALIAS_TYPES: ReadonlySet<string> = new Set(['A', 'AAAA', 'CNAME']);

function isUint16(text: string): boolean {
  return UINT.test(text) && Number(text) <= 0xffff;
}

function fields(target: string): string[] {
  const trimmed = target.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

function checkName(name: string): string | undefined {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.trim() === '') return 'the DNS name is empty';
  // Limits apply to the name as it goes on the wire (punycode for internationalised names).
  const ascii = normalizeDnsName(bare);
  if (ascii.length > MAX_NAME_LENGTH) return `the DNS name ${bare} is ${ascii.length} characters long; DNS allows at most ${MAX_NAME_LENGTH}`;
  for (const label of ascii.split('.')) {
    if (label === '') return `the DNS name ${bare} has an empty label (two dots in a row, or a leading dot)`;
    if (label.length > MAX_LABEL_LENGTH) {
      return `label ${label} of ${bare} is ${label.length} characters long; DNS allows at most ${MAX_LABEL_LENGTH}`;
    }
  }
  return undefined;
}

function checkTtl(ttl: number): string | undefined {
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) return `TTL ${ttl} is outside 0..${MAX_TTL} seconds`;
  return undefined;
}

/** True when the alias property marks this A/AAAA as a provider alias (its targets are hostnames). */
function isAlias(ep: Endpoint): boolean {
  const alias = getProperty(ep, PropertyName.alias);
  // `true` is ExternalDNS's form; `A`/`AAAA` on the matching type is what the alias-normalising middleware turns into `true`.
  return alias === 'true' || alias === ep.recordType;
}

function checkAddresses(ep: Endpoint): string | undefined {
  const want = ep.recordType === 'A' ? 4 : 6;
  for (const target of ep.targets) {
    const ip = parseIp(target);
    if (ip === undefined) return `${ep.recordType} target ${target} is not an IP address (set the alias property to true for a provider alias)`;
    if (ip.version !== want) return `${ep.recordType} target ${target} is an IPv${ip.version} address; ${ep.recordType} needs IPv${want}`;
  }
  return undefined;
}

function checkMx(targets: readonly string[]): string | undefined {
  for (const target of targets) {
    const parts = fields(target);
    if (parts.length !== 2) return `MX target "${target}" must be "<preference> <host>", e.g. "10 mail.example.com"`;
    if (!isUint16(parts[0] ?? '')) return `MX target "${target}" has a preference that is not a number in 0..65535`;
  }
  return undefined;
}

function checkSrv(targets: readonly string[]): string | undefined {
  for (const target of targets) {
    const parts = fields(target);
    if (parts.length !== 4) return `SRV target "${target}" must be "<priority> <weight> <port> <host.>", e.g. "10 5 5060 sip.example.com."`;
    if (!parts.slice(0, 3).every(isUint16)) return `SRV target "${target}" has a priority, weight or port that is not a number in 0..65535`;
    if (!(parts[3] ?? '').endsWith('.')) return `SRV target "${target}" must end its host with a dot`;
  }
  return undefined;
}

function isReverseName(name: string): boolean {
  for (const suffix of ['.in-addr.arpa', '.ip6.arpa']) {
    if (name.endsWith(suffix)) {
      const prefix = name.slice(0, -suffix.length);
      return prefix.length > 0 && !prefix.startsWith('.');
    }
  }
  return false;
}

function checkPtr(ep: Endpoint): string | undefined {
  const name = normalizeDnsName(ep.dnsName);
  if (!isReverseName(name)) return `PTR name ${ep.dnsName} is not under in-addr.arpa or ip6.arpa`;
  if (ep.targets.length === 0) return `PTR ${ep.dnsName} has no target`;
  for (const target of ep.targets) {
    if (target.trim() === '') return `PTR ${ep.dnsName} has an empty target`;
    if (parseIp(target) !== undefined) return `PTR target ${target} is an IP address; PTR targets are hostnames`;
  }
  return undefined;
}

function checkRecordData(ep: Endpoint): string | undefined {
  switch (ep.recordType) {
    case 'A':
    case 'AAAA':
      return isAlias(ep) ? undefined : checkAddresses(ep);
    case 'MX':
      return checkMx(ep.targets);
    case 'SRV':
      return checkSrv(ep.targets);
    case 'PTR':
      return checkPtr(ep);
    default:
      return undefined;
  }
}

/** The reason `ep` cannot be published, or undefined when it is valid. */
export function validateEndpoint(ep: Endpoint): string | undefined {
  const nameProblem = checkName(ep.dnsName);
  if (nameProblem !== undefined) return nameProblem;
  if (ep.recordType === '') return `${ep.dnsName} has no record type`;
  const ttlProblem = checkTtl(ep.recordTTL);
  if (ttlProblem !== undefined) return ttlProblem;
  if (!ALIAS_TYPES.has(ep.recordType) && getProperty(ep, PropertyName.alias) !== undefined) {
    return `the alias property is only allowed on A, AAAA and CNAME records, not ${ep.recordType}`;
  }
  return checkRecordData(ep);
}
