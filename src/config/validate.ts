/**
 * parse → validate → freeze, step two: rules that span flags (ExternalDNS's
 * validation.go, checks it leaves to start-up, and extdns's own). Every problem
 * is reported at once, each naming its flags and the fix.
 */

import { isIP } from 'node:net';
import { ExtdnsError } from '../errors/errors.ts';
import { ConfigErrors } from './errors.ts';
import { configKey, type Config, type FlagName } from './schema.ts';
import { selectorProblem } from './selector-syntax.ts';
import { ownerIdProblem } from '../registry/txt/owner-id.ts';
import { PROVIDERS } from '../provider/table.ts';

export interface ConfigIssue {
  /** The flags involved, without dashes. */
  readonly flags: readonly string[];
  readonly message: string;
}

type Rule = (c: Config) => ConfigIssue[];

const issue = (flags: readonly string[], message: string): ConfigIssue[] => [{ flags, message }];
const none: ConfigIssue[] = [];

const sourceRules: Rule[] = [
  (c) => c.ignoreHostnameAnnotation && c.fqdnTemplate.length === 0
    ? issue(['ignore-hostname-annotation', 'fqdn-template'], '--ignore-hostname-annotation needs --fqdn-template: without annotations, names can only come from a template')
    : none,
  (c) => selector('label-filter', c.labelFilter, true),
  (c) => selector('annotation-filter', c.annotationFilter, false),
  (c) => selector('gateway-label-filter', c.gatewayLabelFilter, true),
  (c) => c.annotationPrefix === ''
    ? issue(['annotation-prefix'], '--annotation-prefix cannot be empty; the default is external-dns.kubernetes.io/')
    : none,
  (c) => c.annotationPrefix !== '' && !c.annotationPrefix.endsWith('/')
    ? issue(['annotation-prefix'], `--annotation-prefix='${c.annotationPrefix}' must end with '/', e.g. ${c.annotationPrefix}/`)
    : none,
  (c) => c.ingressClass.length > 0 && c.annotationFilter.includes('kubernetes.io/ingress.class')
    ? issue(['ingress-class', 'annotation-filter'], '--ingress-class and an --annotation-filter on kubernetes.io/ingress.class select the same thing; keep only --ingress-class')
    : none,
  (c) => c.source.includes('manifest') && c.manifestPath.length === 0
    ? issue(['source', 'manifest-path'], '--source=manifest needs --manifest-path: name the YAML files or directories to read')
    : none,
  (c) => c.createPtr && !c.managedRecordTypes.includes('PTR')
    ? issue(['create-ptr', 'managed-record-types'], '--create-ptr needs PTR in --managed-record-types, e.g. --managed-record-types=A --managed-record-types=AAAA --managed-record-types=CNAME --managed-record-types=PTR')
    : none,
  (c) => [...cidrs('target-net-filter', c.targetNetFilter), ...cidrs('exclude-target-net', c.excludeTargetNet), ...cidrs('nat64-networks', c.nat64Networks)],
  (c) => [...goRegex('regex-domain-filter', c.regexDomainFilter), ...goRegex('regex-domain-exclusion', c.regexDomainExclusion)],
  (c) => {
    const bad = c.eventsEmit.filter((e) => !EVENT_REASONS.includes(e));
    return bad.length > 0 ? issue(['events-emit'], `--events-emit does not know ${bad.join(', ')}; use ${EVENT_REASONS.join(', ')}`) : none;
  },
];

const EVENT_REASONS = ['RecordReady', 'RecordDeleted', 'RecordError'];

const kubeRules: Rule[] = [
  (c) => c.kubeApiQps <= 0 ? issue(['kube-api-qps'], `--kube-api-qps=${c.kubeApiQps} must be greater than 0`) : none,
  (c) => c.kubeApiBurst <= 0 ? issue(['kube-api-burst'], `--kube-api-burst=${c.kubeApiBurst} must be greater than 0`) : none,
];

const registryRules: Rule[] = [
  (c) => c.txtPrefix !== '' && c.txtSuffix !== ''
    ? issue(['txt-prefix', 'txt-suffix'], '--txt-prefix and --txt-suffix cannot be used together; keep the one your existing TXT records use')
    : none,
  (c) => c.txtOwnerId === '' ? issue(['txt-owner-id'], '--txt-owner-id cannot be empty; give each cluster a unique name') : none,
  (c) => ownerId('txt-owner-id', c.txtOwnerId),
  (c) => ownerId('migrate-from-txt-owner', c.migrateFromTxtOwner),
  (c) => c.txtEncryptEnabled && !isAesKey(c.txtEncryptAesKey)
    ? issue(['txt-encrypt-enabled', 'txt-encrypt-aes-key'], '--txt-encrypt-enabled needs --txt-encrypt-aes-key of 32 bytes, as is or base64-encoded (e.g. from: openssl rand -base64 32)')
    : none,
  // --policy=sync with the owner id "default" is warned about loudly by the controller, not refused: refusing
  // would break drop-in replacement of installations that run that way today.
];

const tlsRules: Rule[] = [
  (c) => (c.tlsClientCert === '') !== (c.tlsClientCertKey === '')
    ? issue(['tls-client-cert', 'tls-client-cert-key'], '--tls-client-cert and --tls-client-cert-key go together: give both for mutual TLS, or neither')
    : none,
];

const providerRules: Rule[] = [
  (c) => PROVIDERS[c.provider]?.validate?.(c) ?? none,
];

/**
 * Secrets that travel in an HTTP header (X-API-Key, Authorization) or a signed
 * query. A control character there (most often the newline at the end of a
 * Secret made with `echo key > file`) makes every request fail, which looked
 * like "unreachable, will retry"; it is a configuration error at start-up.
 */
const HEADER_SECRETS: readonly FlagName[] = [
  // Providers extdns has declare theirs in their descriptors; these are ExternalDNS providers it does not have yet.
  ...Object.values(PROVIDERS).flatMap((p) => p.headerSecrets ?? []),
  'godaddy-api-key', 'godaddy-api-secret', 'exoscale-apikey', 'exoscale-apisecret', 'pihole-password',
];

const headerRules: Rule[] = HEADER_SECRETS.map((flag) => (c: Config) => {
  const problem = controlCharProblem(String(c[configKey(flag)]));
  // The value itself is never printed: it is a secret.
  return problem === undefined ? none : issue([flag], `--${flag} ${problem}; it is sent in an HTTP header, which cannot carry it. Remove it from the value (or the Secret it comes from)`);
});

/** Where the first control character is, in words; undefined when there is none. */
export function controlCharProblem(text: string): string | undefined {
  const at = text.search(/[\u0000-\u001f\u007f]/);
  if (at < 0) return undefined;
  const code = text.charCodeAt(at);
  const name = code === 10 ? 'a newline' : code === 13 ? 'a carriage return' : code === 9 ? 'a tab' : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const where = /^[\s\u0000-\u001f\u007f]*$/.test(text.slice(at)) ? 'at its end' : `at character ${at + 1} of ${text.length}`;
  return `contains ${name} ${where}`;
}

const extdnsRules: Rule[] = [
  (c) => c.deleteBrakeThresholdPercent < 0 || c.deleteBrakeThresholdPercent > 100
    ? issue(['delete-brake-threshold-percent'], `--delete-brake-threshold-percent=${c.deleteBrakeThresholdPercent} must be between 0 and 100`)
    : none,
  (c) => c.deleteBrakeMin < 0 ? issue(['delete-brake-min'], `--delete-brake-min=${c.deleteBrakeMin} cannot be negative`) : none,
  (c) => c.deleteBrakeHold < 0 ? issue(['delete-brake-hold'], '--delete-brake-hold cannot be negative') : none,
  (c) => (c.leaderElect ? leaderElectionIssues(c) : none),
];

/** client-go's rules: lease > renew deadline > 1.2 × retry period > 0. */
function leaderElectionIssues(c: Config): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  if (c.leaderElectionId === '') out.push(...issue(['leader-election-id'], '--leader-election-id cannot be empty with --leader-elect'));
  if (c.leaderElectionRetryPeriod <= 0) {
    out.push(...issue(['leader-election-retry-period'], '--leader-election-retry-period must be greater than 0'));
  }
  if (c.leaderElectionLeaseDuration <= c.leaderElectionRenewDeadline) {
    out.push(...issue(['leader-election-lease-duration', 'leader-election-renew-deadline'],
      '--leader-election-lease-duration must be longer than --leader-election-renew-deadline, or two leaders could overlap'));
  }
  if (c.leaderElectionRenewDeadline <= 1.2 * c.leaderElectionRetryPeriod) {
    out.push(...issue(['leader-election-renew-deadline', 'leader-election-retry-period'],
      '--leader-election-renew-deadline must be longer than 1.2 × --leader-election-retry-period, to leave time for a retry'));
  }
  return out;
}

const RULES: readonly Rule[] = [...kubeRules, ...sourceRules, ...registryRules, ...tlsRules, ...providerRules, ...headerRules, ...extdnsRules];

/** Every cross-flag problem of a parsed config; empty when it is consistent. */
export function validateConfig(config: Config): ConfigIssue[] {
  return RULES.flatMap((rule) => rule(config));
}

/** Throws EXTDNS_CONFIG_INVALID listing every problem, one per line. */
export function assertValidConfig(config: Config): void {
  const issues = validateConfig(config);
  if (issues.length === 0) return;
  const lines = issues.map((i) => `- ${i.message}`);
  throw new ExtdnsError(ConfigErrors.EXTDNS_CONFIG_INVALID, `the configuration has ${issues.length} problem(s):\n${lines.join('\n')}`);
}

function ownerId(flag: string, id: string): ConfigIssue[] {
  const problem = ownerIdProblem(id);
  return problem === undefined ? none
    : issue([flag], `--${flag}=${JSON.stringify(id)} is refused: ${problem}; use letters, digits, '-', '_', '.' or '/' only`);
}

function selector(flag: string, text: string, allowNumericComparison: boolean): ConfigIssue[] {
  const problem = selectorProblem(text, { allowNumericComparison });
  return problem === undefined ? none : issue([flag], `--${flag}='${text}' is not a valid label selector: ${problem}`);
}

function cidrs(flag: string, values: readonly string[]): ConfigIssue[] {
  return values.filter((v) => !isCidr(v)).flatMap((v) => issue([flag], `--${flag}='${v}' is not a network in CIDR form, e.g. 10.0.0.0/8 or fd00::/8`));
}

function isCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Go (RE2) syntax that JavaScript spells differently: a leading (?flags) group and (?P<name>…). */
function goRegex(flag: string, pattern: string): ConfigIssue[] {
  if (pattern === '') return none;
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  const jsFlags = (leading?.[1] ?? '').replace('U', '');
  const body = pattern.slice(leading?.[0].length ?? 0).replaceAll('(?P<', '(?<');
  try {
    new RegExp(body, jsFlags);
    return none;
  } catch (err) {
    return issue([flag], `--${flag}='${pattern}' is not a valid regular expression: ${(err as Error).message}`);
  }
}

function isAesKey(key: string): boolean {
  if (Buffer.byteLength(key, 'utf8') === 32) return true;
  if (key.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(key)) return false;
  return Buffer.from(key, 'base64').length === 32;
}
