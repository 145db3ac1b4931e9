/**
 * Where the API server is and how to reach it, decided as client-go does:
 * --kubeconfig, else KUBECONFIG (':'-separated files merged, the first file
 * that sets a name or current-context wins), else ~/.kube/config, else the
 * in-cluster service account. --server overrides the URL. Relative file paths
 * in a kubeconfig resolve against that file's folder.
 */
import { access } from 'node:fs/promises';
import { FILE_LIMITS, readTextBounded } from '../util/bounded-read.ts';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { KubeEnvironment } from '../config/environment.ts';
import { controlCharProblem } from '../config/validate.ts';
import { ExtdnsError } from '../errors/errors.ts';
import type { KubeTlsOptions } from '../tls/kube.ts';
import type { Clock } from '../util/clock.ts';
import {
  basicAuth, EXEC_API_VERSIONS, execPlugin, NO_CREDENTIAL, staticToken, tokenFile, type CredentialSource,
} from './credentials.ts';
import { KubeErrors } from './errors.ts';

export interface KubeConnection {
  /** https://host:port, no trailing slash. */
  readonly server: string;
  readonly tls: KubeTlsOptions;
  readonly credentials: CredentialSource;
  /** The context's namespace (or the service account's); "default" when unset. */
  readonly namespace: string;
  /** For logs and messages: `kubeconfig /path (context prod)` or `in-cluster service account`. */
  readonly origin: string;
  /** Where the CA comes from, for the trust report: `kubeconfig certificate-authority=/path`, `in-cluster /…/ca.crt`… */
  readonly caSource: string;
  /** The kind of client credential, never its value: `client certificate`, `bearer token`, `exec plugin aws`… */
  readonly credentialKind: string;
  /** The cluster's `proxy-url` (client-go uses it instead of HTTPS_PROXY); may hold credentials. */
  readonly proxyUrl?: string | undefined;
}

export interface KubeConnectionOptions {
  /** --kubeconfig */
  readonly kubeconfig?: string | undefined;
  /** --server */
  readonly server?: string | undefined;
  /** A context other than current-context. */
  readonly context?: string | undefined;
  readonly env: KubeEnvironment;
  readonly clock: Clock;
  /** Folder of token, ca.crt and namespace; default /var/run/secrets/kubernetes.io/serviceaccount. */
  readonly serviceAccountDir?: string | undefined;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Obj = Record<string, unknown>;

interface Named {
  readonly value: Obj;
  /** The file that defined it (relative paths resolve against its folder). */
  readonly file: string;
}

export interface MergedKubeconfig {
  readonly files: readonly string[];
  readonly currentContext?: { value: string; file: string } | undefined;
  readonly clusters: ReadonlyMap<string, Named>;
  readonly users: ReadonlyMap<string, Named>;
  readonly contexts: ReadonlyMap<string, Named>;
}

const configError = (message: string): ExtdnsError => new ExtdnsError(KubeErrors.EXTDNS_KUBE_CONFIG, message);

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads and merges kubeconfig files; a missing file in KUBECONFIG is skipped, as client-go does. */
export async function loadKubeconfig(paths: readonly string[], options: { mustExist: boolean }): Promise<MergedKubeconfig> {
  const clusters = new Map<string, Named>();
  const users = new Map<string, Named>();
  const contexts = new Map<string, Named>();
  let currentContext: { value: string; file: string } | undefined;
  const files: string[] = [];
  for (const file of paths) {
    let text: string;
    try {
      text = await readTextBounded(file, FILE_LIMITS.config);
    } catch (err) {
      if (!options.mustExist && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw configError(`cannot read the kubeconfig ${file}: ${(err as Error).message}`);
    }
    files.push(file);
    // The YAML library only when there is a kubeconfig: in a cluster (the service account) it is never loaded (issue 22).
    const { parse } = await import('yaml');
    const doc = parseDoc(parse, text, file);
    const cc = doc['current-context'];
    if (currentContext === undefined && typeof cc === 'string' && cc !== '') currentContext = { value: cc, file };
    addNamed(clusters, doc, { listKey: 'clusters', itemKey: 'cluster', file });
    addNamed(users, doc, { listKey: 'users', itemKey: 'user', file });
    addNamed(contexts, doc, { listKey: 'contexts', itemKey: 'context', file });
  }
  return { files, currentContext, clusters, users, contexts };
}

function parseDoc(parse: (text: string) => unknown, text: string, file: string): Obj {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw configError(`the kubeconfig ${file} is not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw configError(`the kubeconfig ${file} is not a YAML mapping`);
  return doc as Obj;
}

function addNamed(into: Map<string, Named>, doc: Obj, keys: { listKey: string; itemKey: string; file: string }): void {
  const { listKey, itemKey, file } = keys;
  const list = doc[listKey] ?? [];
  if (!Array.isArray(list)) throw configError(`the kubeconfig ${file}: "${listKey}" must be a list`);
  for (const [i, entry] of (list as unknown[]).entries()) {
    const e = (entry ?? {}) as Obj;
    const name = e.name;
    if (typeof name !== 'string' || name === '') throw configError(`the kubeconfig ${file}: ${listKey}[${i}] has no "name"`);
    const value = e[itemKey];
    if (!into.has(name)) into.set(name, { value: typeof value === 'object' && value !== null ? value as Obj : {}, file });
  }
}

/** Picks the kubeconfig files (or none: in-cluster) and builds the connection. */
export async function resolveKubeConnection(options: KubeConnectionOptions): Promise<KubeConnection> {
  const paths = await kubeconfigPaths(options);
  if (paths === undefined) return inCluster(options);
  const merged = await loadKubeconfig(paths.files, { mustExist: paths.explicit });
  if (merged.files.length === 0) {
    if (options.env.serviceHost !== undefined) return inCluster(options);
    throw configError(`none of the kubeconfig files in KUBECONFIG exist (${paths.files.join(', ')}); set --kubeconfig or KUBECONFIG to a kubeconfig file`);
  }
  return fromKubeconfig(merged, options);
}

async function kubeconfigPaths(o: KubeConnectionOptions): Promise<{ files: string[]; explicit: boolean } | undefined> {
  if (o.kubeconfig !== undefined && o.kubeconfig !== '') return { files: [o.kubeconfig], explicit: true };
  if (o.env.kubeconfig !== undefined) {
    return { files: o.env.kubeconfig.split(':').filter((p) => p !== ''), explicit: false };
  }
  if (o.env.home !== undefined) {
    const home = join(o.env.home, '.kube', 'config');
    if (await exists(home)) return { files: [home], explicit: true };
  }
  return undefined;
}

function str(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw configError(`${where}.${key} must be a string`);
  return v;
}

async function readPem(path: string, file: string, where: string): Promise<string> {
  const full = isAbsolute(path) ? path : resolve(dirname(file), path);
  try {
    return await readTextBounded(full, FILE_LIMITS.pem);
  } catch (err) {
    throw configError(`${where}: cannot read ${full}: ${(err as Error).message}`);
  }
}

function fromBase64(data: string, where: string): string {
  const text = Buffer.from(data, 'base64').toString('utf8');
  if (!text.includes('-----BEGIN')) throw configError(`${where} is not base64-encoded PEM`);
  return text;
}

/** A PEM from `<key>-data` (base64) or the file named by `<key>`. */
async function pemOf(o: Obj, key: string, named: Named, where: string): Promise<string | undefined> {
  const data = str(o, `${key}-data`, where);
  if (data !== undefined) return fromBase64(data, `${where}.${key}-data`);
  const path = str(o, key, where);
  return path === undefined ? undefined : readPem(path, named.file, `${where}.${key}`);
}

interface Picked {
  readonly label: string;
  readonly contextName: string;
  readonly context: Named;
  readonly ctxWhere: string;
  readonly cluster: Named;
  readonly clusterWhere: string;
  readonly user: Named | undefined;
  readonly userWhere: string;
}

/** Follows current-context (or the named one) to its cluster and user, naming the file and key when a link is broken. */
function pick(m: MergedKubeconfig, o: KubeConnectionOptions): Picked {
  const label = m.files.length === 1 ? `the kubeconfig ${m.files[0] ?? ''}` : `the kubeconfig files ${m.files.join(':')}`;
  const contextName = o.context ?? m.currentContext?.value;
  if (contextName === undefined) throw configError(`${label} sets no current-context; set current-context or name a context`);
  const context = m.contexts.get(contextName);
  if (context === undefined) throw configError(`${label}: context "${contextName}" (current-context) is not defined under contexts`);
  const ctxWhere = `${context.file}: contexts[${contextName}]`;
  const clusterName = str(context.value, 'cluster', ctxWhere) ?? '';
  const cluster = m.clusters.get(clusterName);
  if (cluster === undefined) throw configError(`${ctxWhere}.cluster names "${clusterName}", which is not defined under clusters`);
  const userName = str(context.value, 'user', ctxWhere);
  const user = userName === undefined ? undefined : m.users.get(userName);
  if (userName !== undefined && user === undefined) throw configError(`${ctxWhere}.user names "${userName}", which is not defined under users`);
  return {
    label, contextName, context, ctxWhere, cluster, clusterWhere: `${cluster.file}: clusters[${clusterName}]`,
    user, userWhere: `${user?.file ?? ''}: users[${userName ?? ''}]`,
  };
}

async function tlsOf(p: Picked): Promise<KubeTlsOptions> {
  const { cluster, clusterWhere, user, userWhere } = p;
  const tls: KubeTlsOptions = {
    caPem: await pemOf(cluster.value, 'certificate-authority', cluster, clusterWhere),
    insecureSkipVerify: cluster.value['insecure-skip-tls-verify'] === true,
    serverName: str(cluster.value, 'tls-server-name', clusterWhere),
    ...(user === undefined ? {} : {
      cert: await pemOf(user.value, 'client-certificate', user, userWhere),
      key: await pemOf(user.value, 'client-key', user, userWhere),
    }),
  };
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw configError(`${userWhere} sets only one of client-certificate and client-key; both are needed`);
  }
  return tls;
}

async function fromKubeconfig(m: MergedKubeconfig, o: KubeConnectionOptions): Promise<KubeConnection> {
  const p = pick(m, o);
  const server = o.server !== undefined && o.server !== '' ? o.server : str(p.cluster.value, 'server', p.clusterWhere);
  if (server === undefined) throw configError(`${p.clusterWhere}.server is missing: set the API server URL (or pass --server)`);
  return {
    server: normalizeServer(server, p.clusterWhere),
    tls: await tlsOf(p),
    credentials: p.user === undefined ? NO_CREDENTIAL : credentialsOf(p.user, p.userWhere, o),
    namespace: str(p.context.value, 'namespace', p.ctxWhere) ?? 'default',
    origin: `${p.label} (context ${p.contextName})`,
    caSource: caSourceOf(p),
    credentialKind: credentialKindOf(p.user),
    ...optionalProxyUrl(str(p.cluster.value, 'proxy-url', p.clusterWhere)),
  };
}

function optionalProxyUrl(url: string | undefined): { proxyUrl?: string } {
  return url === undefined || url === '' ? {} : { proxyUrl: url };
}

/** Same precedence as pemOf: -data first, then the file. */
function caSourceOf(p: Picked): string {
  const c = p.cluster.value;
  if (c['insecure-skip-tls-verify'] === true) return 'none: insecure-skip-tls-verify is set in the kubeconfig';
  if (typeof c['certificate-authority-data'] === 'string') return `kubeconfig certificate-authority-data (${p.clusterWhere})`;
  if (typeof c['certificate-authority'] === 'string') return `kubeconfig certificate-authority=${c['certificate-authority']}`;
  return "Node's bundled roots (the kubeconfig names no certificate-authority)";
}

function credentialKindOf(user: Named | undefined): string {
  const u = user?.value;
  if (u === undefined) return 'none (the context names no user)';
  const cert = typeof u['client-certificate-data'] === 'string' ? 'client certificate (client-certificate-data)'
    : typeof u['client-certificate'] === 'string' ? `client certificate (client-certificate=${u['client-certificate']})` : undefined;
  const exec = (u.exec ?? undefined) as Obj | undefined;
  const other = exec !== undefined ? `exec plugin ${typeof exec.command === 'string' ? exec.command : ''}`.trim()
    : typeof u.tokenFile === 'string' ? `token file ${u.tokenFile}`
      : typeof u.token === 'string' ? 'bearer token'
        : typeof u.username === 'string' ? 'basic auth (username and password)' : undefined;
  return [cert, other].filter((x) => x !== undefined).join(' + ') || 'none';
}

function credentialsOf(user: Named, where: string, o: KubeConnectionOptions): CredentialSource {
  const u = user.value;
  if (u['auth-provider'] !== undefined) {
    throw configError(`${where}.auth-provider is not supported (client-go removed it too); use an exec credential plugin`);
  }
  const exec = u.exec;
  if (exec !== undefined && exec !== null) return execOf(exec as Obj, user.file, `${where}.exec`, o);
  const token = str(u, 'token', where);
  // A bearer token travels in the Authorization header, which cannot carry a control character.
  const tokenProblem = token === undefined ? undefined : controlCharProblem(token);
  if (tokenProblem !== undefined) throw configError(`${where}.token ${tokenProblem}; remove it from the kubeconfig`);
  const file = str(u, 'tokenFile', where);
  if (file !== undefined) return tokenFile(isAbsolute(file) ? file : resolve(dirname(user.file), file), o.clock, token);
  if (token !== undefined) return staticToken(token);
  const username = str(u, 'username', where);
  if (username !== undefined) return basicAuth(username, str(u, 'password', where) ?? '');
  return NO_CREDENTIAL;
}

function execOf(e: Obj, file: string, where: string, o: KubeConnectionOptions): CredentialSource {
  const apiVersion = str(e, 'apiVersion', where);
  if (apiVersion === undefined || !(EXEC_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw configError(`${where}.apiVersion must be one of ${EXEC_API_VERSIONS.join(', ')} (found ${JSON.stringify(apiVersion ?? '')})`);
  }
  const command = str(e, 'command', where);
  if (command === undefined) throw configError(`${where}.command is missing`);
  const args = (Array.isArray(e.args) ? e.args : []).map(String);
  const env = (Array.isArray(e.env) ? e.env : []).map((x) => {
    const v = (x ?? {}) as Obj;
    return { name: typeof v.name === 'string' ? v.name : '', value: typeof v.value === 'string' ? v.value : '' };
  });
  // A command with a slash is a path relative to the kubeconfig's folder; a bare name is looked up on PATH.
  const resolved = command.includes('/') && !isAbsolute(command) ? resolve(dirname(file), command) : command;
  return execPlugin(
    { apiVersion, command: resolved, args, env, installHint: str(e, 'installHint', where), origin: where, cwd: dirname(file) },
    { clock: o.clock, baseEnv: o.env.pluginEnv ?? {} },
  );
}

function normalizeServer(server: string, where: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(server) ? server : `https://${server}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw configError(`${where}.server "${server}" is not a URL`);
  }
  // client-go speaks only http and https; any other scheme would fail on every request.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`${where}.server "${server}" is not an http(s) URL; the API server is reached at https://host:port`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** In a pod: KUBERNETES_SERVICE_HOST/PORT and the mounted service-account token, CA and namespace. */
async function inCluster(o: KubeConnectionOptions): Promise<KubeConnection> {
  const dir = o.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = o.env.serviceHost;
  const port = o.env.servicePort;
  if ((host === undefined || port === undefined) && (o.server === undefined || o.server === '')) {
    throw configError('no kubeconfig found (--kubeconfig, KUBECONFIG, ~/.kube/config) and not running in a pod ' +
      '(KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are unset): pass --kubeconfig or run extdns in the cluster');
  }
  const tokenPath = join(dir, 'token');
  const ca = await readPem(join(dir, 'ca.crt'), dir, `the in-cluster service account ${dir}`);
  let namespace = 'default';
  try {
    namespace = (await readTextBounded(join(dir, 'namespace'), FILE_LIMITS.token)).trim() || 'default';
  } catch {
    // client-go falls back to "default" too
  }
  const credentials = tokenFile(tokenPath, o.clock);
  await credentials.current(); // fail now, naming the file, when the token is not mounted
  const h = host ?? '';
  const server = o.server !== undefined && o.server !== '' ? o.server : `https://${h.includes(':') ? `[${h}]` : h}:${port ?? ''}`;
  return {
    server: normalizeServer(server, 'in-cluster'), tls: { caPem: ca }, credentials, namespace, origin: `in-cluster service account ${dir}`,
    caSource: `in-cluster ${join(dir, 'ca.crt')}`, credentialKind: `service account token file ${tokenPath}`,
  };
}
