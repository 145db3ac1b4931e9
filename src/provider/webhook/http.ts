/**
 * One HTTP exchange with a webhook, as the client needs it: the answer's
 * status, headers and body text, the body capped at
 * --webhook-provider-max-body-size, transport failures turned into an
 * ExtdnsError naming the request (on the kit's exchange, ../kit/http.ts).
 * Status handling is the caller's.
 */
import type { Dispatcher } from 'undici';
import { httpExchange, type HttpAnswer, type HttpFailures } from '../kit/http.ts';
import type { ThrottlePolicy } from '../kit/throttle.ts';
import type { CallCounter } from '../stats.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { errorCodeOf } from '../../tls/classify.ts';
import { WebhookErrors } from './errors.ts';

export type Exchange = HttpAnswer;

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
}

export interface ExchangeOptions {
  /** Round-trip limit: --webhook-provider-read-timeout + --webhook-provider-write-timeout. */
  timeoutMs: number;
  /** 0 = no limit. */
  maxBodySize: number;
  dispatcher?: Dispatcher | undefined;
  /** Re-reads the trust files after a TLS failure; true when they changed (a rotation raced this call: retry once). */
  onTlsFailure?: (() => boolean) | undefined;
  /** A 429 (or 503 with Retry-After) from the webhook is waited out and sent again (../kit/throttle.ts). */
  throttle?: ThrottlePolicy | undefined;
  /** Counts the throttled answers only: the client counts its operations itself (the webhook gauges count method calls). */
  counter?: CallCounter | undefined;
}

/** How much of an error answer goes into a message. */
const ERROR_TEXT_LIMIT = 1000;

export function exchange(req: ExchangeRequest, options: ExchangeOptions): Promise<Exchange> {
  return httpExchange({ ...req, what: `${req.method} ${req.url}` }, {
    timeoutMs: options.timeoutMs,
    maxBodySize: options.maxBodySize,
    dispatcher: options.dispatcher,
    onTlsFailure: options.onTlsFailure,
    throttle: options.throttle,
    counter: options.counter,
    failures: WEBHOOK_FAILURES,
  });
}

const WEBHOOK_FAILURES: HttpFailures = {
  tls: (what, err) => new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_TLS, `${what} failed: TLS ${errorCodeOf(err) || 'error'}: ${err instanceof Error ? err.message : String(err)}. `
    + 'Check --tls-ca (the CA that issued the webhook\'s certificate) and --tls-client-cert/--tls-client-cert-key; `extdns doctor` explains the chain', { cause: err }),
  unreachable,
  tooLarge: (what, limit) => new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_BAD_RESPONSE,
    `${what} answered with a body larger than ${limit} bytes (--webhook-provider-max-body-size); raise the limit or set it to 0 to remove it`),
};

function unreachable(what: string, err: unknown): ExtdnsError {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const reason = typeof code === 'string' ? `${code}: ${message}` : message;
  return new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_UNREACHABLE,
    `${what} failed: ${reason}; is the webhook provider running and listening at --webhook-provider-url?`, { cause: err });
}

/** The server's own error text, trimmed for a message ("" when it sent none). */
export function errorText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  return trimmed.length > ERROR_TEXT_LIMIT ? `${trimmed.slice(0, ERROR_TEXT_LIMIT)}…` : trimmed;
}

/** Parses a JSON answer; a body that is not JSON is EXTDNS_WEBHOOK_BAD_RESPONSE naming the request. */
export function parseJsonAnswer(what: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_BAD_RESPONSE,
      `${what} answered with a body that is not JSON (${errorText(text).slice(0, 120) || 'empty'}); is --webhook-provider-url pointing at a webhook provider?`,
      { cause: err });
  }
}
