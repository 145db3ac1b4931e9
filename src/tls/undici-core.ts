/**
 * undici's Agent, Dispatcher and request, loaded from the files that hold
 * them instead of undici's index, which loads all of undici (fetch, WebSocket,
 * EventSource, mocks, caches, interceptors: ~1.5 MB of JavaScript, about
 * 11 MiB of RSS in an idle process; issue 22). Same classes, same request:
 * `request` does what undici's index wraps around `Dispatcher#request`.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const load = createRequire(import.meta.url);

export const Agent = load('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export type Agent = Undici.Agent;
export const DispatcherBase = load('undici/lib/dispatcher/dispatcher.js') as typeof Undici.Dispatcher;

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> &
  { method?: Undici.Dispatcher.HttpMethod; dispatcher?: Undici.Dispatcher };
type ApiRequest = (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;

const api = load('undici/lib/api/index.js') as { request: ApiRequest };

/** undici's `request(url, options)`: the global dispatcher (undici's own default Agent) when none is given. */
export function request(url: string | URL, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const u = typeof url === 'string' ? new URL(url) : url;
  const { dispatcher, ...rest } = options;
  const target = dispatcher ?? (load('undici/lib/global.js') as { getGlobalDispatcher(): Undici.Dispatcher }).getGlobalDispatcher();
  return api.request.call(target, {
    ...rest,
    origin: u.origin,
    path: u.search === '' ? u.pathname : `${u.pathname}${u.search}`,
    method: rest.method ?? (rest.body === undefined || rest.body === null ? 'GET' : 'PUT'),
  });
}
