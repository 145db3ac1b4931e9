/**
 * The only place extdns builds HTTP agents (test/tls/no-stray-tls.test.ts
 * enforces it). Both objects are stable for the life of a connection and
 * take the trust generation that is current when a *new* connection opens,
 * so a reload reaches clients (and SDKs) that hold on to them.
 */
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ClientRequestArgs } from 'node:http';
import type { buildConnector, Dispatcher } from 'undici';
import { Agent, DispatcherBase } from './undici-core.ts';
import { openConnection, targetOf, targetUrl } from './connect.ts';
import { NO_PROXY_CONFIG, type ProxyConfig } from './proxy.ts';
import type { TrustGeneration } from './tls.ts';

export interface ConnectionPolicy {
  /** False only for a provider's skip-verify flag. */
  readonly verify: boolean;
  readonly serverName?: string | undefined;
  /** Which proxy each target goes through (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); none by default. */
  readonly proxy?: ProxyConfig | undefined;
}

/** undici Agent for one generation: every connection through ./connect.ts (proxy route, then TLS). */
export function generationAgent(gen: TrustGeneration, policy: ConnectionPolicy): Agent {
  return new Agent({ connect: connectorFor(gen.secureContext, policy) });
}

/** An undici connector: opens each connection the way ./connect.ts does, with this trust (none: plain http only). */
export function connectorFor(context: SecureContext | undefined, policy: ConnectionPolicy): buildConnector.connector {
  const proxy = policy.proxy ?? NO_PROXY_CONFIG;
  return (options, callback) => {
    const target = targetOf(options.protocol, options.hostname, options.port);
    const tls = target.protocol === 'https:' && context !== undefined
      ? { secureContext: context, verify: policy.verify, serverName: policy.serverName }
      : undefined;
    if (target.protocol === 'https:' && tls === undefined) {
      callback(new Error(`internal: no trust for ${targetUrl(target)}`), null);
      return;
    }
    openConnection(target, tls, { route: proxy.routeFor(targetUrl(target)), proxyContext: context }, (err, socket) => {
      if (err !== null || socket === null) callback(err ?? new Error('no socket'), null);
      else callback(null, socket);
    });
  };
}

/**
 * A dispatcher for plain http:// endpoints (PowerDNS or a webhook without TLS):
 * the same proxy rules as every other connection; `proxyTrust` verifies an
 * https:// proxy (the global --tls-* trust).
 */
export function plainDispatcher(proxy: ProxyConfig, proxyTrust?: SecureContext): Agent {
  return new Agent({ connect: connectorFor(proxyTrust, { verify: true, proxy }) });
}

/**
 * A Dispatcher that forwards to the current generation's Agent. On swap the
 * old Agent is closed gracefully: in-flight requests finish, then its
 * connections close, so later requests handshake with the new trust.
 */
export class SwappableDispatcher extends DispatcherBase {
  #inner: Agent;

  constructor(inner: Agent) {
    super();
    this.#inner = inner;
  }

  swap(next: Agent): void {
    const old = this.#inner;
    this.#inner = next;
    old.close().catch(() => undefined);
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.#inner.dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | undefined {
    const done = this.#inner.close();
    if (callback === undefined) return done;
    done.then(callback, callback);
    return undefined;
  }

  override destroy(err?: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | undefined {
    const err = typeof a === 'function' ? null : (a ?? null);
    const callback = typeof a === 'function' ? a : b;
    const done = this.#inner.destroy(err);
    if (callback === undefined) return done;
    done.then(callback, callback);
    return undefined;
  }
}

/**
 * https.Agent for SDKs that take one (the AWS SDK's NodeHttpHandler). Every
 * new socket gets the current generation's SecureContext. TLS session reuse
 * is off: a resumed session skips certificate checks, which would hide a
 * trust change.
 */
export class TrustHttpsAgent extends HttpsAgent {
  readonly #current: () => TrustGeneration;
  readonly #policy: ConnectionPolicy;

  constructor(current: () => TrustGeneration, policy: ConnectionPolicy, options: AgentOptions = {}) {
    super({ keepAlive: true, ...options, maxCachedSessions: 0 });
    this.#current = current;
    this.#policy = policy;
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const target = targetOf('https:', options.hostname ?? options.host ?? 'localhost', options.port ?? 443);
    const route = (this.#policy.proxy ?? NO_PROXY_CONFIG).routeFor(targetUrl(target));
    if (route.kind === 'proxy') {
      // Asynchronous: http.Agent waits for the callback when createConnection returns nothing.
      const gen = this.#current();
      openConnection(target, { secureContext: gen.secureContext, verify: this.#policy.verify, serverName: this.#policy.serverName },
        { route, proxyContext: gen.secureContext }, (err, socket) => { callback?.(err, socket as Socket); });
      return undefined;
    }
    const tlsOptions = {
      ...options,
      secureContext: this.#current().secureContext,
      rejectUnauthorized: this.#policy.verify,
      ...(this.#policy.serverName === undefined ? {} : { servername: this.#policy.serverName }),
    };
    return super.createConnection(tlsOptions, callback);
  }

  /** Drops idle keep-alive sockets so the next request handshakes with the new trust. */
  dropIdle(): void {
    for (const sockets of Object.values(this.freeSockets)) {
      for (const s of sockets ?? []) s.destroy();
    }
  }
}
