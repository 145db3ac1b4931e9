/**
 * The Azure SDKs' HttpClient on the provider kit: every request of
 * @azure/arm-dns, @azure/arm-privatedns and @azure/identity (Resource
 * Manager, the Active Directory token endpoint, the managed identity
 * endpoint) goes through httpExchange on the dispatcher src/tls built for the
 * connection, so --tls-ca, the client certificate and the proxy rules reach
 * all of them, and each attempt is counted. Retries and Retry-After stay the
 * SDK pipeline's (its throttling policy honours 429 + Retry-After).
 */
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { Dispatcher } from 'undici';
import { ExtdnsError } from '../../errors/errors.ts';
import { httpExchange, type HttpRequest } from '../kit/http.ts';
import type { CallCounter } from '../stats.ts';
import { AzureErrors } from './errors.ts';

export interface AzureRoute {
  dispatcher?: Dispatcher | undefined;
  onTlsFailure?: (() => boolean) | undefined;
}

export interface AzureHttpDeps {
  /** The connection of a URL (Resource Manager, the AD authority, the managed identity endpoint). */
  route: (url: string) => AzureRoute;
  counter: CallCounter;
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
      const what = `${request.method} ${request.url.split('?')[0] ?? ''}`;
      const req: HttpRequest = {
        method: request.method as HttpRequest['method'],
        url: request.url,
        headers: request.headers.toJSON(),
        body: await bodyText(request),
        signal: signalOf(request),
        what,
        operation: operationOf(request.method, request.url),
      };
      const route = deps.route(request.url);
      const answer = await httpExchange(req, {
        timeoutMs: deps.timeoutMs ?? 30_000,
        dispatcher: route.dispatcher,
        onTlsFailure: route.onTlsFailure,
        counter: deps.counter,
        failures: {
          tls: (w, err) => noted(deps, new ExtdnsError(AzureErrors.EXTDNS_AZURE_TLS, `${w}: TLS failed: ${(err as Error).message}; add the CA of this endpoint with --tls-ca`, { cause: err })),
          unreachable: (w, err) => noted(deps, new ExtdnsError(AzureErrors.EXTDNS_AZURE_UNREACHABLE, `${w}: ${(err as Error).message}`, { cause: err })),
        },
      });
      const headers = createHttpHeaders();
      for (const name of ['content-type', 'etag', 'retry-after', 'x-ms-request-id', 'www-authenticate', 'location', 'azure-asyncoperation', 'x-ms-retry-after-ms', 'retry-after-ms']) {
        const value = answer.header(name);
        if (value !== undefined) headers.set(name, value);
      }
      return { request, status: answer.status, headers, bodyAsText: answer.text };
    },
  };
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
