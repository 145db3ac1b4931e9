/**
 * `extdns webhook`: serves one extdns provider over the ExternalDNS webhook
 * protocol, answering what ExternalDNS v0.22's own webhook server answers:
 *
 *   GET  /                 200, Content-Type: <media type>, Vary: Content-Type, the domain filter
 *                          (any path not below is the negotiation, as Go's "/" pattern is a catch-all)
 *   GET  /records          200 + endpoint array; 500 when the provider fails
 *   POST /records          204 once applied; 400 bad JSON or endpoints, 409 stale, 413 too large, 500 provider error
 *   POST /adjustendpoints  200 + endpoint array; 400, 413, 500 as above
 *
 * Bodies are decoded as Go's encoding/json decodes them: keys matched
 * case-insensitively (`{"Create": [...]}` applies), unknown keys ignored.
 *
 * Beyond Go: error answers carry the reason as text (Go sends none; its
 * client ignores bodies), a wrong method is 405 with Allow (Go: 400), a
 * webhook media type of another version is 415 (body) or 406 (Accept).
 * A change set is refused whole, nothing applied, when any endpoint could
 * not be published or has a record type that is no DNS type (400), when an
 * updateOld or delete no longer matches what the provider holds (409: a
 * concurrent edit), or when the provider refuses it permanently (400). Input
 * that will never apply is never answered 500, which ExternalDNS's client
 * retries every sync for ever; 4xx stops it with the reason in the log.
 * Change sets are applied one at a time, and big bodies are parsed, decoded,
 * checked and answered in slices so the event loop (and /healthz) keeps
 * answering.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { endpointToWire } from '../../endpoint/wire.ts';
import { ExtdnsError, errorMessage } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { formatListenAddress, parseListenAddress, type ListenAddress } from '../../server/address.ts';
import type { Provider } from '../provider.ts';
import { WebhookErrors } from './errors.ts';
import { acceptProblem, contentTypeProblem, WEBHOOK_MEDIA_TYPE } from './media-type.ts';
import { changesProblem } from './request-check.ts';
import { decodeChanges, decodeEndpoints } from './decode.ts';
import { staleProblem, touchesHeldRecords } from './stale-check.ts';
import { closeServer, createServer } from '../../util/http-server.ts';
import { parseJsonSliced } from '../../util/json-sliced.ts';
import { eachSliced, paced, type Sliced } from '../../util/sliced.ts';
import type { Endpoint } from '../../endpoint/endpoint.ts';

export interface WebhookServerOptions {
  /** [host]:port, e.g. 127.0.0.1:8888 (--webhook-server-address). */
  address: string;
  /** Largest request body in bytes; 0 = no limit (--webhook-provider-max-body-size). */
  maxBodySize: number;
  /** Whole request must arrive within this (--webhook-provider-read-timeout); 0 = none. */
  readTimeoutMs: number;
  /** Headers must arrive within this (--webhook-provider-read-header-timeout). */
  readHeaderTimeoutMs: number;
  /** Idle keep-alive connections are closed after this (--webhook-provider-idle-timeout). */
  idleTimeoutMs: number;
}

export interface WebhookServerDeps {
  provider: Provider;
  /** Sent at negotiation; the provider's own filter when absent. */
  domainFilter?: DomainFilter | undefined;
  logger: Logger;
}

export interface WebhookServer {
  readonly port: number;
  /** The bound address, e.g. 127.0.0.1:8888. */
  readonly address: string;
  /** Requests answered, by status (for logs and tests). */
  served(): ReadonlyMap<number, number>;
  /** Stops accepting, aborts provider calls in flight, resolves once closed. */
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';

interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** JSON value (sent with the media type), the same already encoded, or text. */
  json?: unknown;
  jsonText?: string;
  text?: string;
}

class RequestProblem extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export async function startWebhookServer(options: WebhookServerOptions, deps: WebhookServerDeps): Promise<WebhookServer> {
  const listen = listenAddress(options.address);
  const stop = new AbortController();
  const served = new Map<number, number>();
  const serial = serialQueue();
  const log = deps.logger;
  const server = createServer({
    requestTimeout: options.readTimeoutMs,
    headersTimeout: options.readHeaderTimeoutMs,
    keepAliveTimeout: options.idleTimeoutMs,
  }, (req, res) => {
    void route(req, { options, deps, signal: stop.signal, serial }).then(
      (answer) => { send(req, res, answer, served); },
      (err: unknown) => {
        const answer = toAnswer(err, req, log);
        send(req, res, answer, served);
      },
    );
  });
  await bind(server, listen, options.address);
  const port = (server.address() as AddressInfo).port;
  const address = formatListenAddress({ host: listen.host, port });
  log.info(`Serving the webhook provider API on ${address}`, { mediaType: WEBHOOK_MEDIA_TYPE });
  return {
    port,
    address,
    served: () => served,
    close: () => {
      stop.abort(new Error('webhook server stopping'));
      return closeServer(server);
    },
  };
}

function listenAddress(address: string): ListenAddress {
  try {
    return parseListenAddress(address);
  } catch (err) {
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_SERVER_BIND,
      `--webhook-server-address "${address}" is not [host]:port; use e.g. 127.0.0.1:8888`, { cause: err });
  }
}

function bind(server: Server, listen: ListenAddress, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? 'the address is in use by another process' : (err.code ?? err.message);
      reject(new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_SERVER_BIND,
        `cannot serve the webhook API on ${address}: ${why}; pick another --webhook-server-address`, { cause: err }));
    };
    server.once('error', onError);
    server.listen({ port: listen.port, ...(listen.host === undefined ? {} : { host: listen.host }) }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

interface RouteContext {
  options: WebhookServerOptions;
  deps: WebhookServerDeps;
  signal: AbortSignal;
  /** Runs change sets one at a time, so the stale check and the apply see the same records. */
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

async function route(req: IncomingMessage, ctx: RouteContext): Promise<Answer> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/records') {
    if (req.method === 'GET') return records(req, ctx);
    if (req.method === 'POST') return applyChanges(req, ctx);
    return methodNotAllowed(req, path, 'GET, POST');
  }
  if (path === '/adjustendpoints') {
    if (req.method === 'POST') return adjustEndpoints(req, ctx);
    return methodNotAllowed(req, path, 'POST');
  }
  // Anything else is the negotiation, as Go's "/" pattern catches every path.
  if (req.method === 'GET' || req.method === 'HEAD') return negotiate(req, ctx);
  return methodNotAllowed(req, path, 'GET');
}

function methodNotAllowed(req: IncomingMessage, path: string, allow: string): Answer {
  return { status: 405, headers: { Allow: allow }, text: `${req.method ?? ''} is not allowed on ${path}; use ${allow}` };
}

function checkAccept(req: IncomingMessage): void {
  const problem = acceptProblem(req.headers.accept);
  if (problem !== undefined) throw new RequestProblem(406, problem);
}

function negotiate(req: IncomingMessage, ctx: RouteContext): Answer {
  checkAccept(req);
  const filter = ctx.deps.domainFilter ?? ctx.deps.provider.domainFilter();
  return { status: 200, headers: { Vary: 'Content-Type' }, json: filter.toWire() };
}

async function records(req: IncomingMessage, ctx: RouteContext): Promise<Answer> {
  checkAccept(req);
  const eps = await ctx.deps.provider.records(ctx.signal);
  return { status: 200, jsonText: await paced(endpointsJson(eps)) };
}

async function applyChanges(req: IncomingMessage, ctx: RouteContext): Promise<Answer> {
  const json = await readJsonBody(req, ctx.options.maxBodySize);
  const changes = await decode(decodeChanges(json));
  const problem = await changesProblem(changes);
  if (problem !== undefined) throw new RequestProblem(400, `change set refused, nothing applied: ${problem}`);
  const { provider } = ctx.deps;
  await ctx.serial(async () => {
    if (touchesHeldRecords(changes)) {
      const stale = await paced(staleProblem(changes, await provider.records(ctx.signal)));
      if (stale !== undefined) {
        throw new RequestProblem(409, `change set refused, nothing applied: it was planned from records that have changed since (${stale}); read the records again and plan anew`);
      }
    }
    await provider.applyChanges(changes, ctx.signal).catch((err: unknown) => {
      throw refusedForGood(err) ?? err;
    });
  });
  return { status: 204 };
}

/** A provider's permanent refusal of a change set is the request's fault: 400 (500 is retried for ever). */
function refusedForGood(err: unknown): RequestProblem | undefined {
  if (!ExtdnsError.is(err) || err.transient) return undefined;
  return new RequestProblem(400, `the provider refused the change set: ${errorMessage(err)}`);
}

async function adjustEndpoints(req: IncomingMessage, ctx: RouteContext): Promise<Answer> {
  checkAccept(req);
  const json = await readJsonBody(req, ctx.options.maxBodySize);
  const endpoints = await decode(decodeEndpoints(json));
  const adjusted = await ctx.deps.provider.adjustEndpoints(endpoints).catch((err: unknown) => {
    throw refusedForGood(err) ?? err;
  });
  return { status: 200, jsonText: await paced(endpointsJson(adjusted)) };
}

async function decode<T>(reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (err) {
    throw new RequestProblem(400, `the body is not a valid webhook request: ${errorMessage(err)}`);
  }
}

/** Reads the body (415 for a foreign media type, 413 past the limit, 400 when not JSON). */
async function readJsonBody(req: IncomingMessage, maxBodySize: number): Promise<unknown> {
  const typeProblem = contentTypeProblem(req.headers['content-type']);
  if (typeProblem !== undefined) {
    req.resume();
    throw new RequestProblem(415, typeProblem, { 'Accept-Post': WEBHOOK_MEDIA_TYPE });
  }
  const tooLarge = (): RequestProblem => new RequestProblem(413,
    `the request body is larger than ${maxBodySize} bytes (--webhook-provider-max-body-size on the server)`, { Connection: 'close' });
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (maxBodySize > 0 && declared > maxBodySize) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    // Past the limit the rest is read and dropped, so the client sees the 413 rather than a reset.
    if (maxBodySize === 0 || size <= maxBodySize) chunks.push(buf);
  }
  if (maxBodySize > 0 && size > maxBodySize) throw tooLarge();
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return await paced(parseJsonSliced(text));
  } catch (err) {
    throw new RequestProblem(400, `the body is not JSON (${(err as Error).message}); send ${WEBHOOK_MEDIA_TYPE}`);
  }
}

/** JSON.stringify(eps.map(endpointToWire)), an endpoint at a time: a big zone's answer would hold the loop. */
function* endpointsJson(eps: readonly Endpoint[]): Sliced<string> {
  const parts: string[] = [];
  yield* eachSliced(eps, (ep) => parts.push(JSON.stringify(endpointToWire(ep))));
  return `[${parts.join(',')}]`;
}

function toAnswer(err: unknown, req: IncomingMessage, log: Logger): Answer {
  const what = `${req.method ?? ''} ${req.url ?? ''}`;
  if (err instanceof RequestProblem) {
    log.warn(`Webhook request refused: ${err.message}`, { request: what, status: err.status });
    return { status: err.status, headers: err.headers, text: err.message };
  }
  // The provider failed: 500 as Go answers (the Go client treats it as a soft error and retries next run).
  log.error(`Webhook request failed: ${errorMessage(err)}`, { request: what });
  return { status: 500, text: errorMessage(err) };
}

function send(req: IncomingMessage, res: ServerResponse, answer: Answer, served: Map<number, number>): void {
  served.set(answer.status, (served.get(answer.status) ?? 0) + 1);
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...answer.headers };
  let body: Buffer | undefined;
  const json = answer.jsonText ?? (answer.json === undefined ? undefined : JSON.stringify(answer.json));
  if (json !== undefined) {
    headers['Content-Type'] = WEBHOOK_MEDIA_TYPE;
    // Go's json.Encoder ends every value with a newline.
    body = Buffer.from(`${json}\n`, 'utf8');
  } else if (answer.text !== undefined) {
    headers['Content-Type'] = TEXT;
    body = Buffer.from(`${answer.text}\n`, 'utf8');
  }
  if (body !== undefined) headers['Content-Length'] = body.length;
  res.writeHead(answer.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

