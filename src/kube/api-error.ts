/**
 * Turns an API answer (status code + Status body) or a connection failure
 * into a coded error whose message says what was refused and how to fix it.
 */
import { ExtdnsError } from '../errors/errors.ts';
import { KubeErrors } from './errors.ts';

/** What a request was doing, for messages: RBAC verb and resource. */
export interface RequestContext {
  readonly verb: string;
  readonly group: string;
  /** The API version asked for: a 404 on a type may mean the CRD serves other versions only. */
  readonly version?: string | undefined;
  readonly resource: string;
  readonly subresource?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
}

export class KubeApiError extends ExtdnsError {
  /** HTTP status, 0 for a connection failure. */
  readonly status: number;
  /** Status.reason (NotFound, Conflict, Expired…), when the server sent one. */
  readonly reason: string | undefined;
  /** Retry-After in ms for 429/503, when given. */
  readonly retryAfterMs: number | undefined;

  constructor(spec: (typeof KubeErrors)[keyof typeof KubeErrors], message: string, info: { status: number; reason?: string | undefined; retryAfterMs?: number | undefined; cause?: unknown }) {
    super(spec, message, info.cause === undefined ? {} : { cause: info.cause });
    this.status = info.status;
    this.reason = info.reason;
    this.retryAfterMs = info.retryAfterMs;
  }

  static isKube(err: unknown): err is KubeApiError {
    return err instanceof KubeApiError;
  }
}

export function describe(ctx: RequestContext): string {
  const res = qualified(ctx);
  const obj = ctx.name === undefined ? res : `${res} "${ctx.name}"`;
  return ctx.namespace === undefined ? obj : `${obj} in namespace "${ctx.namespace}"`;
}

function qualified(ctx: RequestContext): string {
  const res = ctx.subresource === undefined ? ctx.resource : `${ctx.resource}/${ctx.subresource}`;
  return ctx.group === '' ? res : `${res}.${ctx.group}`;
}

interface StatusLike {
  message?: unknown;
  reason?: unknown;
  details?: { retryAfterSeconds?: unknown };
}

function asStatus(body: unknown): StatusLike {
  return typeof body === 'object' && body !== null ? body : {};
}

export function parseRetryAfter(header: string | undefined, body: StatusLike): number | undefined {
  const secs = header === undefined ? Number.NaN : Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const fromBody = body.details?.retryAfterSeconds;
  return typeof fromBody === 'number' ? fromBody * 1000 : undefined;
}

/** The error for a non-2xx answer. */
export function errorFromResponse(status: number, body: unknown, ctx: RequestContext, retryAfter?: string): KubeApiError {
  const s = asStatus(body);
  const serverMessage = typeof s.message === 'string' ? s.message : typeof body === 'string' ? body.slice(0, 300) : '';
  const reason = typeof s.reason === 'string' ? s.reason : undefined;
  const info = { status, reason, retryAfterMs: parseRetryAfter(retryAfter, s) };
  const what = `${ctx.verb} ${describe(ctx)}`;
  const said = serverMessage === '' ? '' : `: ${serverMessage}`;
  if (status === 401) {
    return new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAUTHORIZED,
      `the Kubernetes API refused extdns's credentials (401 Unauthorized) to ${what}: the token, client certificate or credential plugin output is wrong or expired`, info);
  }
  if (status === 403) {
    const res = ctx.subresource === undefined ? ctx.resource : `${ctx.resource}/${ctx.subresource}`;
    const scope = ctx.namespace === undefined ? 'ClusterRole' : `ClusterRole (or a Role in namespace "${ctx.namespace}")`;
    return new KubeApiError(KubeErrors.EXTDNS_KUBE_FORBIDDEN,
      `the Kubernetes API denied extdns permission to ${what} (403 Forbidden${said}). Add this rule to the ${scope} bound to extdns's ServiceAccount: ` +
      `{apiGroups: ["${ctx.group}"], resources: ["${res}"], verbs: ["${ctx.verb}"]}`, info);
  }
  if (status === 404) return new KubeApiError(KubeErrors.EXTDNS_KUBE_NOT_FOUND, `cannot ${what}: not found (404${said})${ctx.name === undefined ? typeNotServed(ctx) : ''}`, info);
  if (status === 409) return new KubeApiError(KubeErrors.EXTDNS_KUBE_CONFLICT, `cannot ${what}: conflict (409${said})`, info);
  if (status === 410) return new KubeApiError(KubeErrors.EXTDNS_KUBE_GONE, `cannot ${what}: resource version expired (410${said})`, info);
  if (status === 429 || status >= 500) {
    return new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAVAILABLE, `the Kubernetes API failed to ${what} (${status}${said}); will retry`, info);
  }
  return new KubeApiError(KubeErrors.EXTDNS_KUBE_INVALID, `the Kubernetes API rejected the request to ${what} (${status}${said})`, info);
}

/** A type the server does not serve: its CRD is missing, or serves other versions only (e.g. TLSRoute v1 needs Gateway API v1.5+). */
function typeNotServed(ctx: RequestContext): string {
  if (ctx.version === undefined || ctx.version === '' || ctx.group === '') return '; is the resource type (CRD) installed?';
  return `; is the resource type (CRD) installed, and does it serve version ${ctx.version} (extdns reads ${ctx.group}/${ctx.version})?`;
}

/** A Status that arrived as a watch ERROR event. */
export function errorFromWatchStatus(body: unknown, ctx: RequestContext): KubeApiError {
  const code = (body as { code?: unknown } | null)?.code;
  return errorFromResponse(typeof code === 'number' ? code : 500, body, ctx);
}

export function connectionError(err: unknown, server: string, ctx: RequestContext): KubeApiError {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code ?? '';
  const detail = e.cause?.message ?? e.message ?? String(err);
  const tlsHint = /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME/.test(code)
    ? ' (TLS: the API server certificate is not trusted by the kubeconfig certificate-authority or the in-cluster ca.crt)' : '';
  return new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAVAILABLE,
    `cannot reach the Kubernetes API at ${server} to ${ctx.verb} ${describe(ctx)}: ${code === '' ? '' : `${code} `}${detail}${tlsHint}`,
    { status: 0, cause: err });
}
