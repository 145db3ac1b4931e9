/**
 * A Kubernetes API server for tests, over HTTPS with its own CA, speaking the
 * real wire format: discovery, list/watch/get/create/update/patch/delete,
 * /status, Status error bodies, bearer-token / basic / client-cert users with
 * RBAC-like rules. Test hooks change objects directly and break things on
 * purpose (compaction, dropped watches, an API that is down).
 *
 * The real kube-apiserver and etcd (test/support/real-kube, test/kube-real/)
 * carry everything the real server can show: schema validation, RBAC, Leases,
 * Events, the status subresource, selectors, TokenRequest, 410 after an etcd
 * compaction, restarts. This server stays for the faults the real one cannot
 * be made to produce on demand, and for counting requests:
 * - 503 with Retry-After, 429 throttling, a server that accepts and never
 *   answers ('stall'), all at a moment the test picks (setDown);
 * - a watch ERROR 410 or BOOKMARK at an exact point, open watches ended
 *   mid-stream without a restart (compact, bookmark, dropWatches);
 * - a token revoked or restored between two requests of a running client,
 *   and basic auth (gone from kube-apiserver since v1.19);
 * - the exact request log (requests), for "no extra request" assertions on
 *   paging and reconnects (where a real-server test can count, it reads
 *   extdns's own request metrics or kube-apiserver's audit log instead);
 * - objects the real server refuses, stored as given, for how the sources meet
 *   input a looser server or a CRD without its schema lets through (the
 *   scenarios listed in test/scenarios/api-scenarios.ts: malformed DNSEndpoint
 *   endpoints, an ingress.class annotation that contradicts ingressClassName,
 *   several parentRefs to one Gateway without sectionName);
 * - start-up in milliseconds, for the many unit-sized tests of src/kube.
 *
 * Its users, each naming the fault it needs in its header: test/kube/
 * (client, informer, kubeconfig, robustness, sources-e2e; kubectl checks this
 * server itself), test/scenarios/api-faults.test.ts, and the kube rows of
 * bench/ (bench/kube-api-child.ts, filled through the test hooks).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pki } from '../pki.ts';
import { ALLOW_ALL, allowed, authenticate, type KubeUser } from './auth.ts';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.ts';
import {
  createObject, deleteObject, getObject, Lists, mergeForUpdate, patchObject, typed, updateObject,
  type ObjectRequest, type Reply,
} from './objects.ts';
import { openapiGroupVersion, openapiRoot } from './openapi.ts';
import { DEFAULT_RESOURCES, groupVersion, type ResourceDef } from './resources.ts';
import { statuses } from './status.ts';
import { Store, type KubeObj } from './store.ts';
import { Watches } from './watch.ts';

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly user: string | undefined;
}

export interface KubeApiServerOptions {
  /** Certificates (test/support/pki.ts): the server presents pki.leaf + intermediate; clients trust rootA. */
  readonly pki: Pki;
  /** Users; default one `admin` with token `admin-token` allowed everything. */
  readonly users?: readonly KubeUser[];
  /** Extra resources (one table line each). */
  readonly resources?: readonly ResourceDef[];
  /** Sends a BOOKMARK to watches that allow them every this many ms (off by default; see bookmark()). */
  readonly bookmarkIntervalMs?: number;
}

export type DownMode = false | true | 'unavailable' | 'throttle' | 'stall';

export interface KubeApiServer {
  readonly url: string;
  /** CA (PEM) that verifies the server. */
  readonly caPem: string;
  readonly requests: RequestRecord[];
  readonly users: KubeUser[];
  /** Creates an object directly (no auth, status kept); returns it as stored. */
  create(obj: Record<string, unknown>): KubeObj;
  /** Replaces an object directly (no resourceVersion check; generation bumps when spec changes). */
  update(obj: Record<string, unknown>): KubeObj;
  /** Creates or updates. */
  apply(obj: Record<string, unknown>): KubeObj;
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): void;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObj | undefined;
  readonly resourceVersion: number;
  /** Forgets the watch history: later watches from older resourceVersions get an ERROR 410 event. */
  compact(): void;
  /** Ends every open watch stream. */
  dropWatches(): void;
  /** Number of open watch streams. */
  readonly watchCount: number;
  bookmark(): void;
  /** true: refuse connections (listener closed); 'unavailable': answer 503 (Retry-After 1); 'throttle': 429 (Retry-After 2); 'stall': never answer; false: back to normal. */
  setDown(mode: DownMode): Promise<void>;
  /** Writes a kubeconfig for `token` into `dir` and returns its path. */
  kubeconfig(token: string, dir: string, name?: string): Promise<string>;
  close(): Promise<void>;
}

interface Route {
  def: ResourceDef;
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
}

export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const impl = new ApiServer(options);
  await impl.listen();
  return impl.facade();
}

class ApiServer {
  readonly defs: ResourceDef[];
  readonly users: KubeUser[];
  readonly store = new Store(() => new Date());
  readonly lists = new Lists(this.store);
  readonly watches = new Watches(this.store);
  readonly requests: RequestRecord[] = [];
  readonly server: Server;
  readonly sockets = new Set<Socket>();
  readonly options: KubeApiServerOptions;
  port = 0;
  down: DownMode = false;
  bookmarkTimer: NodeJS.Timeout | undefined;

  constructor(options: KubeApiServerOptions) {
    this.options = options;
    this.defs = [...DEFAULT_RESOURCES, ...(options.resources ?? [])];
    this.users = [...(options.users ?? [{ name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL }])];
    const { pki } = options;
    this.server = createServer({
      cert: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key,
      ca: pki.clientCa.cert, requestCert: true, rejectUnauthorized: false,
    }, (req, res) => { this.handle(req, res); });
    this.server.on('tlsClientError', () => undefined);
    this.server.on('secureConnection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    for (const ns of ['default', 'kube-system', 'kube-public']) this.createDirect({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    if (options.bookmarkIntervalMs !== undefined) {
      this.bookmarkTimer = setInterval(() => { this.watches.bookmark(); }, options.bookmarkIntervalMs);
    }
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  defFor(apiVersion: string, kind: string): ResourceDef {
    const def = this.defs.find((d) => groupVersion(d) === apiVersion && d.kind === kind);
    if (def === undefined) throw new Error(`test API server: no resource for ${apiVersion} ${kind}`);
    return def;
  }

  createDirect(obj: Record<string, unknown>): KubeObj {
    const o = obj as KubeObj;
    const def = this.defFor(String(o.apiVersion), String(o.kind));
    if (def.namespaced) o.metadata.namespace ??= 'default';
    if (this.store.get(def, o.metadata.namespace, o.metadata.name) !== undefined) throw new Error(`test API server: ${o.metadata.name} exists`);
    return this.store.create(def, typed(def, o));
  }

  updateDirect(obj: Record<string, unknown>): KubeObj {
    const o = structuredClone(obj) as KubeObj;
    const def = this.defFor(String(o.apiVersion), String(o.kind));
    if (def.namespaced) o.metadata.namespace ??= 'default';
    const old = this.store.get(def, o.metadata.namespace, o.metadata.name);
    if (old === undefined) throw new Error(`test API server: ${o.metadata.name} does not exist`);
    // The direct hook writes spec and status at once: merge as a main update, then put the given status back.
    const next = mergeForUpdate(def, o, old, undefined);
    if (o.status === undefined) delete next.status;
    else next.status = o.status;
    return this.store.replace(def, next, old);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://x');
    const user = authenticate(req, this.users);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), user: user?.name });
    if (this.down === 'stall') return;
    if (this.down === 'unavailable') {
      send(res, { code: 503, body: statuses.unavailable() }, { 'Retry-After': '1' });
      return;
    }
    if (this.down === 'throttle') {
      send(res, { code: 429, body: statuses.tooManyRequests(2) }, { 'Retry-After': '2' });
      return;
    }
    if (user === undefined) {
      send(res, { code: 401, body: statuses.unauthorized() });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        send(res, { code: 400, body: statuses.badRequest(`the body of the request could not be decoded: invalid JSON`) });
        return;
      }
      const reply = this.dispatch({ req, res, url, user, body });
      if (reply !== undefined) send(res, reply);
    });
  }

  dispatch(c: { req: IncomingMessage; res: ServerResponse; url: URL; user: KubeUser; body: unknown }): Reply | undefined {
    const discovery = this.discovery(c.url.pathname);
    if (discovery !== undefined) return c.req.method === 'GET' ? { code: 200, body: discovery } : { code: 405, body: statuses.methodNotAllowed() };
    const route = this.route(c.url.pathname);
    if (route === undefined) return { code: 404, body: statuses.pageNotFound() };
    const method = c.req.method ?? 'GET';
    const watch = ['1', 'true'].includes(c.url.searchParams.get('watch') ?? '');
    const verb = verbOf(method, route.name !== undefined, watch);
    if (verb === undefined) return { code: 405, body: statuses.methodNotAllowed() };
    const resource = route.subresource === undefined ? route.def.resource : `${route.def.resource}/${route.subresource}`;
    if (!allowed(c.user, { verb, group: route.def.group, resource, namespace: route.namespace })) {
      return { code: 403, body: statuses.forbidden({ group: route.def.group, resource: route.def.resource, name: route.name, user: c.user.name, verb, namespace: route.namespace, subresource: route.subresource }) };
    }
    const r: ObjectRequest = {
      ...route, query: c.url.searchParams, body: c.body,
      contentType: c.req.headers['content-type'] ?? 'application/json', accept: c.req.headers.accept ?? 'application/json',
    };
    return this.act(verb, r, c.res);
  }

  act(verb: string, r: ObjectRequest, res: ServerResponse): Reply | undefined {
    switch (verb) {
      case 'watch': return this.watches.start(r, res);
      case 'list': return this.lists.list(r);
      case 'get': return getObject(this.store, r);
      case 'create': return createObject(this.store, r);
      case 'update': return updateObject(this.store, r);
      case 'patch': return patchObject(this.store, r);
      case 'delete': return deleteObject(this.store, r);
      default: return { code: 405, body: statuses.methodNotAllowed() };
    }
  }

  discovery(path: string): unknown {
    const p = path.replace(/\/+$/, '');
    if (p === '/version') return versionInfo();
    if (p === '/api') return apiVersions(`127.0.0.1:${this.port}`);
    if (p === '/api/v1') return apiResourceList(this.defs, '', 'v1');
    if (p === '/apis') return apiGroupList(this.defs);
    if (p === '/openapi/v3') return openapiRoot(this.defs);
    if (p.startsWith('/openapi/v3/')) return openapiGroupVersion(this.defs, p.slice('/openapi/v3/'.length));
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(p);
    if (m === null) return undefined;
    return m[2] === undefined ? apiGroupDoc(this.defs, m[1] ?? '') : apiResourceList(this.defs, m[1] ?? '', m[2]);
  }

  route(path: string): Route | undefined {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
    if (m === null) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3] ?? '';
    const parts = (m[4] ?? '').split('/').filter((s) => s !== '');
    const find = (resource: string | undefined): ResourceDef | undefined =>
      this.defs.find((d) => d.group === group && d.version === version && d.resource === resource);
    let namespace: string | undefined;
    if (parts[0] === 'namespaces' && parts.length >= 3 && find(parts[2])?.namespaced === true) {
      namespace = parts[1];
      parts.splice(0, 2);
    }
    const def = find(parts[0]);
    return def === undefined ? undefined : checkRoute({ def, namespace, name: parts[1], subresource: parts[2] }, parts.length);
  }

  async setDown(mode: DownMode): Promise<void> {
    const wasRefusing = this.down === true;
    this.down = mode;
    if (mode === true && !wasRefusing) {
      this.watches.dropAll();
      await new Promise<void>((resolve) => {
        this.server.close(() => { resolve(); });
        for (const s of this.sockets) s.destroy();
      });
    } else if (mode !== true && wasRefusing) await this.listen();
  }

  async kubeconfig(token: string, dir: string, name = 'kubeconfig'): Promise<string> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    const ca = Buffer.from(this.options.pki.rootA.cert).toString('base64');
    await writeFile(path, [
      'apiVersion: v1', 'kind: Config', 'current-context: test',
      'clusters:', '- name: test', '  cluster:', `    server: https://127.0.0.1:${this.port}`, `    certificate-authority-data: ${ca}`,
      'users:', '- name: test', '  user:', `    token: ${token}`,
      'contexts:', '- name: test', '  context:', '    cluster: test', '    user: test', '    namespace: default', '',
    ].join('\n'));
    return path;
  }

  facade(): KubeApiServer {
    const store = this.store;
    const watches = this.watches;
    return {
      url: `https://127.0.0.1:${this.port}`,
      caPem: this.options.pki.rootA.cert,
      requests: this.requests,
      users: this.users,
      create: (o) => this.createDirect(o),
      update: (o) => this.updateDirect(o),
      apply: (o) => {
        const k = o as KubeObj;
        const def = this.defFor(String(k.apiVersion), String(k.kind));
        const exists = this.store.get(def, def.namespaced ? (k.metadata.namespace ?? 'default') : undefined, k.metadata.name) !== undefined;
        return exists ? this.updateDirect(o) : this.createDirect(o);
      },
      delete: (apiVersion, kind, namespace, name) => {
        const def = this.defFor(apiVersion, kind);
        const old = this.store.get(def, namespace, name);
        if (old !== undefined) this.store.delete(def, old);
      },
      get: (apiVersion, kind, namespace, name) => this.store.get(this.defFor(apiVersion, kind), namespace, name),
      get resourceVersion() { return store.resourceVersion; },
      compact: () => {
        this.store.compact();
        this.lists.forget();
      },
      dropWatches: () => { this.watches.dropAll(); },
      get watchCount() { return watches.count; },
      bookmark: () => { this.watches.bookmark(); },
      setDown: (mode) => this.setDown(mode),
      kubeconfig: (token, dir, name) => this.kubeconfig(token, dir, name),
      close: async () => {
        clearInterval(this.bookmarkTimer);
        this.watches.dropAll();
        if (this.down === true) return;
        await new Promise<void>((resolve) => {
          this.server.close(() => { resolve(); });
          for (const s of this.sockets) s.destroy();
        });
      },
    };
  }
}

/** A named namespaced object needs its namespace in the path; only `status` exists as a subresource. */
function checkRoute(route: Route, segments: number): Route | undefined {
  if (segments > 3) return undefined;
  if (route.def.namespaced !== (route.namespace !== undefined) && route.name !== undefined) return undefined;
  if (route.subresource !== undefined && !(route.subresource === 'status' && route.def.status === true)) return undefined;
  return route;
}

function verbOf(method: string, named: boolean, watch: boolean): string | undefined {
  if (method === 'GET') {
    if (watch) return 'watch';
    return named ? 'get' : 'list';
  }
  if (method === 'POST') return named ? undefined : 'create';
  if (!named) return method === 'DELETE' ? 'deletecollection' : undefined;
  return ({ PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string | undefined>)[method];
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}
