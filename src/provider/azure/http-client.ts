/**
 * The Azure SDKs' HttpClient on the provider kit: every request of
 * @azure/arm-dns, @azure/arm-privatedns and @azure/identity (Resource
 * Manager, the Active Directory token endpoint, the managed identity
 * endpoint) goes through httpExchange on the dispatcher src/tls built for the
 * connection, so --tls-ca, the client certificate and the proxy rules reach
 * all of them, and each attempt is counted. A 429 from Resource Manager is
 * retried here, as azcore's retry policy does it in Go: after the delay its
 * retry-after-ms / x-ms-retry-after-ms / Retry-After header names (on the
 * injected clock), at most --azure-maxretries-count times, never when the
 * delay exceeds 60 s; the 429 that is given up on reaches the SDK without
 * those headers, so that its own throttling policy does not wait again.
 * Other retries stay the SDK pipeline's.
 */
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { Dispatcher } from 'undici';
import { ExtdnsError } from '../../errors/errors.ts';
import { httpExchange, type HttpAnswer, type HttpRequest } from '../kit/http.ts';
import type { CallCounter } from '../stats.ts';
import type { Clock } from '../../util/clock.ts';
import { AzureErrors } from './errors.ts';
import { throttleDelayMs, RETRY_AFTER_HEADERS } from './throttle.ts';

export interface AzureRoute {
  dispatcher?: Dispatcher | undefined;
  onTlsFailure?: (() => boolean) | undefined;
}

export interface AzureHttpDeps {
  /** The connection of a URL (Resource Manager, the AD authority, the managed identity endpoint). */
  route: (url: string) => AzureRoute;
  counter: CallCounter;
  /** Waits out Retry-After. */
  clock: Clock;
  /** --azure-maxretries-count: retries of a throttled Resource Manager request. */
  maxRetries: number;
  timeoutMs?: number;
  /** Told of each TLS or transport failure: MSAL rewords them (endpoints_resolution_error), so the provider reports ours. */
  onTransportFailure?: (err: ExtdnsError) => void;
}

/** The operation names counted for extdns_provider_api_*. */
export const AZURE_OPERATIONS = ['listZones', 'listRecordSets', 'putRecordSet', 'deleteRecordSet', 'token'] as const;

export function operationOf(method: string, url: string): string {
  const path = new URL(url).pathname.toLowerCase();
  if (!/\/providers\/microsoft\.network\//.test(path)) return 'token';
  if (method === 'PUT') return 'putRecordSet';
  if (method === 'DELETE') return 'deleteRecordSet';
  return /(dnszones|privatednszones)\/?$/.test(path) ? 'listZones' : 'listRecordSets';
}

export function azureHttpClient(deps: AzureHttpDeps): HttpClient {
  return {
    sendRequest: async (request: PipelineRequest): Promise<PipelineResponse> => {
      const operation = operationOf(request.method, request.url);
      const signal = signalOf(request);
      const body = await bodyText(request);
      for (let retry = 1; ; retry++) {
        const answer = await exchange(deps, request, { operation, signal, body });
        const delay = answer.status === 429 && operation !== 'token' ? throttleDelayMs((name) => answer.header(name), retry, deps.clock.now()) : undefined;
        if (delay === undefined) return response(request, answer, true);
        if (retry > deps.maxRetries || delay > MAX_RETRY_DELAY_MS) return response(request, answer, false);
        await deps.clock.sleep(delay, signal);
      }
    },
  };
}

/** azcore's MaxRetryDelay: a longer Retry-After is not waited for (the next run retries). */
const MAX_RETRY_DELAY_MS = 60_000;

function exchange(deps: AzureHttpDeps, request: PipelineRequest, at: { operation: string; signal: AbortSignal; body: string | undefined }): Promise<HttpAnswer> {
  const what = `${request.method} ${request.url.split('?')[0] ?? ''}`;
  const req: HttpRequest = {
    method: request.method as HttpRequest['method'], url: request.url, headers: request.headers.toJSON(), body: at.body, signal: at.signal, what, operation: at.operation,
  };
  const route = deps.route(request.url);
  return httpExchange(req, {
    // The SDK's own timeout when it sets one (the IMDS availability probe: 1 s), else ours.
    timeoutMs: request.timeout > 0 ? request.timeout : deps.timeoutMs ?? 30_000,
    dispatcher: route.dispatcher,
    onTlsFailure: route.onTlsFailure,
    counter: deps.counter,
    failures: {
      tls: (w, err) => noted(deps, new ExtdnsError(AzureErrors.EXTDNS_AZURE_TLS, `${w}: TLS failed: ${(err as Error).message}; add the CA of this endpoint with --tls-ca`, { cause: err })),
      unreachable: (w, err) => noted(deps, new ExtdnsError(AzureErrors.EXTDNS_AZURE_UNREACHABLE, `${w}: ${(err as Error).message}`, { cause: err })),
    },
  });
}

const PASSED_HEADERS = ['content-type', 'etag', 'x-ms-request-id', 'www-authenticate', 'location', 'azure-asyncoperation'];

/** The SDK's view of an answer; `retryHeaders` false when extdns has given up on a throttle. */
function response(request: PipelineRequest, answer: HttpAnswer, retryHeaders: boolean): PipelineResponse {
  const headers = createHttpHeaders();
  for (const name of [...PASSED_HEADERS, ...(retryHeaders ? RETRY_AFTER_HEADERS : [])]) {
    const value = answer.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  return { request, status: answer.status, headers, bodyAsText: answer.text };
}

async function bodyText(request: PipelineRequest): Promise<string | undefined> {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof Blob) return body.text();
  if (request.formData !== undefined) throw new Error(`${request.method} ${request.url}: form bodies are not sent by the Azure provider`);
  throw new Error(`${request.method} ${request.url}: a streamed body is not sent by the Azure provider`);
}

function signalOf(request: PipelineRequest): AbortSignal {
  const like = request.abortSignal;
  if (like instanceof AbortSignal) return like;
  const controller = new AbortController();
  if (like !== undefined) {
    if (like.aborted) controller.abort();
    like.addEventListener('abort', () => { controller.abort(); });
  }
  return controller.signal;
}

function noted(deps: AzureHttpDeps, err: ExtdnsError): ExtdnsError {
  deps.onTransportFailure?.(err);
  return err;
}
