/**
 * One HTTP exchange with a webhook, as the client needs it: the answer's
 * status, headers and body text, the body capped at
 * --webhook-provider-max-body-size, transport failures turned into an
 * ExtdnsError naming the request. Status handling is the caller's.
 */
import { request, type Dispatcher } from 'undici';
import { ExtdnsError } from '../../errors/errors.ts';
import { errorCodeOf, isTlsFailure } from '../../tls/classify.ts';
import { WebhookErrors } from './errors.ts';

export interface Exchange {
  status: number;
  /** Header values by lower-case name (the first value when repeated). */
  header(name: string): string | undefined;
  text: string;
}

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
}

/** How much of an error answer goes into a message. */
const ERROR_TEXT_LIMIT = 1000;

export async function exchange(req: ExchangeRequest, options: ExchangeOptions): Promise<Exchange> {
  const what = `${req.method} ${req.url}`;
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      signal: req.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (err) {
    if (req.signal.aborted) throw err;
    if (!isTlsFailure(err)) throw unreachable(what, err);
    if (options.onTlsFailure?.() === true) return exchange(req, { ...options, onTlsFailure: undefined });
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_TLS, `${what} failed: TLS ${errorCodeOf(err) || 'error'}: ${err instanceof Error ? err.message : String(err)}. `
      + 'Check --tls-ca (the CA that issued the webhook\'s certificate) and --tls-client-cert/--tls-client-cert-key; `extdns doctor` explains the chain', { cause: err });
  }
  const text = await readCapped(res, what, options.maxBodySize, req.signal);
  return {
    status: res.statusCode,
    header: (name) => {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    },
    text,
  };
}

async function readCapped(res: Dispatcher.ResponseData, what: string, maxBodySize: number, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (maxBodySize > 0 && size > maxBodySize) {
        res.body.destroy();
        throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_BAD_RESPONSE,
          `${what} answered with a body larger than ${maxBodySize} bytes (--webhook-provider-max-body-size); raise the limit or set it to 0 to remove it`);
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (ExtdnsError.is(err) || signal.aborted) throw err;
    throw unreachable(what, err);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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
