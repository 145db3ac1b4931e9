/**
 * The webhook media type and the header checks both ends make.
 *
 * The Go client compares the negotiation answer's Content-Type with the
 * exact string below (no space, no charset), so the server must send exactly
 * that. Incoming requests are read leniently: older Go clients sent no
 * Content-Type on `POST /records`, and `application/json` carries the same
 * JSON; only a webhook media type of another version, or a body type that is
 * not JSON at all, is refused.
 */

export const WEBHOOK_MEDIA_TYPE = 'application/external.dns.webhook+json;version=1';
const WEBHOOK_BASE = 'application/external.dns.webhook+json';
const SUPPORTED_VERSION = '1';

interface MediaType {
  /** Lower case `type/subtype`. */
  type: string;
  /** Lower-case parameter names; values unquoted. */
  params: Map<string, string>;
}

function parseMediaType(text: string): MediaType {
  const [head = '', ...rest] = text.split(';');
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: head.trim().toLowerCase(), params };
}

/** Why a request body's Content-Type cannot be read (the server answers 415), or undefined when it can. */
export function contentTypeProblem(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const media = parseMediaType(header);
  if (media.type === 'application/json') return undefined;
  if (media.type === WEBHOOK_BASE) {
    const version = media.params.get('version');
    if (version === undefined || version === SUPPORTED_VERSION) return undefined;
    return `Content-Type ${header} asks for webhook protocol version ${version}; this server speaks ${WEBHOOK_MEDIA_TYPE}`;
  }
  return `Content-Type ${header} is not JSON; send ${WEBHOOK_MEDIA_TYPE}`;
}

/** True when one entry of an Accept header admits the version-1 webhook JSON. */
function acceptsEntry(entry: MediaType): boolean {
  if (entry.params.get('q') === '0') return false;
  if (entry.type === '*/*' || entry.type === 'application/*' || entry.type === 'application/json') return true;
  if (entry.type !== WEBHOOK_BASE) return false;
  const version = entry.params.get('version');
  return version === undefined || version === SUPPORTED_VERSION;
}

/** Why the client cannot take our answer (the server answers 406), or undefined when it can (or sent no Accept). */
export function acceptProblem(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const entries = header.split(',').map(parseMediaType);
  if (entries.some(acceptsEntry)) return undefined;
  return `Accept ${header} admits no answer this server can give; it speaks ${WEBHOOK_MEDIA_TYPE}`;
}
