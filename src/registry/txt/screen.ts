/**
 * Ownership cannot be forged through a source (issue 12 item 1). Before the
 * plan, desired endpoints are screened against what the registry keeps for
 * itself; an endpoint is refused when:
 *
 * - it is a TXT whose value is an ownership record (`heritage=external-dns…`,
 *   or a value that decrypts as one): only the registry writes those;
 * - it is a TXT or CNAME at a name where an ownership TXT lives, or would
 *   live for a current or desired record: writing it would replace or block
 *   that TXT, and with it ownership of the record;
 * - its ownership TXT name is not a name the provider can hold (a wildcard
 *   under a prefix, a label pushed past 63 bytes by `cname-`);
 * - the name its ownership TXT needs already holds a TXT that is not an
 *   ownership record (garbled), so the TXT could be neither read nor written;
 * - a label of it would break the ownership TXT's label string.
 *
 * The labels `owner` and `txt-encryption-nonce` are the registry's own: a
 * source's copies are removed (a chosen nonce would reuse AES-GCM nonces).
 */
import { cloneEndpoint, LabelKey, type Endpoint } from '../../endpoint/endpoint.ts';
import { checkRecordName, type ProviderCapabilities } from '../../provider/capabilities.ts';
import type { Refusal, Screened } from '../registry.ts';
import type { OwnershipCodec } from './codec.ts';
import type { TxtNameMapper } from './mapper.ts';
import { txtKey, type TxtIndex } from './read.ts';

export interface ScreenContext {
  mapper: TxtNameMapper;
  codec: OwnershipCodec;
  capabilities: ProviderCapabilities;
  /** What the last records() read; undefined before the first read (then only the value checks apply). */
  index: TxtIndex | undefined;
  /** Non-ownership TXTs the last records() read, by txtKey. */
  foreignTxts: ReadonlyMap<string, Endpoint>;
  /** Non-TXT records the last records() read. */
  current: readonly Endpoint[];
}

const REGISTRY_LABELS: readonly string[] = [LabelKey.owner, LabelKey.txtEncryptionNonce];

export function screenDesired(desired: readonly Endpoint[], ctx: ScreenContext): Screened {
  // Only a TXT or CNAME can take an ownership name: the map is built when one is wanted.
  const reserved = desired.some(takesOwnershipName) ? reservedNames(desired, ctx) : new Map<string, Endpoint | undefined>();
  // Built only from the first endpoint refused or changed: usually every one passes as it is, and then one
  // exact-size copy is made instead of an array grown by push (at 1M, each growth step is garbage in the old generation).
  let admitted: Endpoint[] | undefined;
  const refused: Refusal[] = [];
  for (let i = 0; i < desired.length; i++) {
    const ep = desired[i] as Endpoint;
    const reason = valueProblem(ep, ctx) ?? nameProblem(ep, reserved) ?? ownershipTxtProblem(ep, ctx) ?? labelProblem(ep);
    if (reason !== undefined) {
      admitted ??= desired.slice(0, i);
      refused.push({ endpoint: ep, reason });
      continue;
    }
    const passed = withoutRegistryLabels(ep);
    if (passed === ep && admitted === undefined) continue;
    admitted ??= desired.slice(0, i);
    admitted.push(passed);
  }
  return { admitted: admitted ?? desired.slice(), refused };
}

function takesOwnershipName(ep: Endpoint): boolean {
  return ep.recordType === 'TXT' || ep.recordType === 'CNAME';
}

/** Lower-case ownership TXT names: those read (→ undefined), and those every current or desired record needs (→ the record). */
function reservedNames(desired: readonly Endpoint[], ctx: ScreenContext): Map<string, Endpoint | undefined> {
  const names = new Map<string, Endpoint | undefined>();
  for (const name of ctx.index?.stored.names() ?? []) names.set(name, undefined);
  const add = (ep: Endpoint): void => {
    names.set(ctx.mapper.toTxtName(ep.dnsName, ep.recordType).toLowerCase(), ep);
  };
  ctx.current.forEach(add);
  desired.forEach(add);
  return names;
}

function valueProblem(ep: Endpoint, ctx: ScreenContext): string | undefined {
  if (ep.recordType !== 'TXT') return undefined;
  if (!ep.targets.some((t) => ctx.codec.read(t) !== undefined)) return undefined;
  return 'its value is an ownership record (heritage=external-dns); only the TXT registry writes those';
}

function nameProblem(ep: Endpoint, reserved: ReadonlyMap<string, Endpoint | undefined>): string | undefined {
  if (!takesOwnershipName(ep)) return undefined;
  const name = ep.dnsName.toLowerCase();
  if (!reserved.has(name)) return undefined;
  const holder = reserved.get(name);
  const of = holder === undefined ? 'an existing record' : `${holder.dnsName} ${holder.recordType}`;
  return `${ep.dnsName} is where the TXT registry keeps the ownership record of ${of}; a ${ep.recordType} there would take that ownership over`;
}

function ownershipTxtProblem(ep: Endpoint, ctx: ScreenContext): string | undefined {
  const txtName = ctx.mapper.toTxtName(ep.dnsName, ep.recordType);
  const checked = checkRecordName(txtName, 'TXT', ctx.capabilities);
  if (!checked.ok) {
    return `its ownership TXT would be named ${txtName}, which the provider cannot hold (${checked.reason}); ` +
      'a shorter --txt-prefix/--txt-suffix or --txt-wildcard-replacement fixes this';
  }
  const foreign = ctx.foreignTxts.size === 0 ? undefined : ctx.foreignTxts.get(txtKey(txtName, ep.setIdentifier));
  if (foreign === undefined) return undefined;
  if (ctx.index?.unreadable.some((u) => u.dnsName === foreign.dnsName && u.setIdentifier === foreign.setIdentifier) === true) {
    return `${txtName} holds its ownership TXT, but it cannot be decrypted with the configured key (was --txt-encrypt-aes-key changed?)`;
  }
  return `${txtName}, where its ownership TXT goes, holds a TXT that is not an ownership record (${JSON.stringify(foreign.targets.join(' ').slice(0, 80))}); ` +
    'remove or fix that TXT';
}

/** Keys may not hold `,` `=` `"` or control characters, values not `,` `"` or control characters: the label string would read back otherwise. */
const BAD_LABEL_KEY = /[,="\p{C}]/u;
const BAD_LABEL_VALUE = /[,"\p{C}]/u;
/** Printable ASCII without `,` `=` `"`: fine as a key and as a value. */
const PLAIN_LABEL = /^[\x20-\x21\x23-\x2b\x2d-\x3c\x3e-\x7e]*$/;

function labelProblem(ep: Endpoint): string | undefined {
  for (const key in ep.labels) {
    if (REGISTRY_LABELS.includes(key)) continue;
    const value = ep.labels[key] ?? '';
    // Most labels are plain printable ASCII: one cheap match instead of two Unicode-property ones.
    if (PLAIN_LABEL.test(key) && PLAIN_LABEL.test(value)) continue;
    if (BAD_LABEL_KEY.test(key) || BAD_LABEL_VALUE.test(value)) {
      return `label ${JSON.stringify(key)}=${JSON.stringify(value)} holds a comma, quote, control character (or = in its key), which would change the ownership TXT when read back`;
    }
  }
  return undefined;
}

function withoutRegistryLabels(ep: Endpoint): Endpoint {
  if (!REGISTRY_LABELS.some((k) => k in ep.labels)) return ep;
  const copy = cloneEndpoint(ep);
  copy.labels = Object.fromEntries(Object.entries(ep.labels).filter(([k]) => !REGISTRY_LABELS.includes(k)));
  return copy;
}
