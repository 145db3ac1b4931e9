/**
 * The only environment variables read outside the EXTERNAL_DNS_* flag mapping
 * (./parse.ts). Other modules receive these objects, never process.env; a
 * provider reads its own variables (CF_API_TOKEN, AZURE_*, GOOGLE_*…) in its
 * folder (src/provider/<name>/environment.ts) from the environment the CLI
 * hands its descriptor (ProviderDeps.env), with envValue and pickDefined below.
 * An empty variable counts as unset, as in Go (os.Getenv(...) != "").
 */

type Env = Readonly<Record<string, string | undefined>>;

/** Trust settings honoured so configs copied from Go keep working (docs/tls.md); a provider's own (AWS_CA_BUNDLE) are read in its folder. */
export interface TrustEnvironment {
  /** SSL_CERT_FILE: replaces the list of default CA files. */
  readonly sslCertFile?: string;
  /** SSL_CERT_DIR: ':'-separated directories of CA files. */
  readonly sslCertDir?: string;
  /** NODE_EXTRA_CA_CERTS: extra CA file Node.js adds to its bundle. */
  readonly nodeExtraCaCerts?: string;
  /** ETCD_CA_FILE, ETCD_CERT_FILE, ETCD_KEY_FILE, ETCD_TLS_SERVER_NAME, ETCD_TLS_INSECURE: the CoreDNS provider's etcd TLS. */
  readonly etcdCaFile?: string;
  readonly etcdCertFile?: string;
  readonly etcdKeyFile?: string;
  readonly etcdTlsServerName?: string;
  /** ETCD_TLS_INSECURE: true for true, yes or 1 in any case (pkg/tlsutils CreateTLSConfig). */
  readonly etcdTlsInsecure?: boolean;
  /** NODE_TLS_REJECT_UNAUTHORIZED: ignored by extdns's own connections; "0" is warned about. */
  readonly nodeTlsRejectUnauthorized?: string;
}

export interface KubeEnvironment {
  /** KUBECONFIG: ':'-separated kubeconfig paths. */
  readonly kubeconfig?: string;
  /** KUBERNETES_SERVICE_HOST / _PORT: set inside a pod; mean in-cluster config is possible. */
  readonly serviceHost?: string;
  readonly servicePort?: string;
  /** HOME: where ~/.kube/config is looked for. */
  readonly home?: string;
  /** HTTPS_PROXY / NO_PROXY for the API connection when the kubeconfig sets no proxy-url (client-go). */
  readonly proxy?: ProxyEnvironment;
  /** The whole environment, handed to kubeconfig exec credential plugins (client-go runs them with it). Holds secrets: never log. */
  readonly pluginEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * Proxy variables as Go's http.ProxyFromEnvironment reads them
 * (golang.org/x/net/http/httpproxy FromEnvironment): the upper-case name
 * first, then the lower-case one; an empty value counts as unset. Proxy URLs
 * may hold credentials: never log them unmasked.
 */
export interface ProxyEnvironment {
  /** HTTPS_PROXY / https_proxy: the proxy for https:// targets. */
  readonly httpsProxy?: { readonly value: string; readonly from: string };
  /** HTTP_PROXY / http_proxy: the proxy for http:// targets. */
  readonly httpProxy?: { readonly value: string; readonly from: string };
  /** NO_PROXY / no_proxy: hosts, domains, IPs and CIDRs reached directly. */
  readonly noProxy?: string;
}

export function readProxyEnvironment(env: Env): ProxyEnvironment {
  const https = firstOf(env, 'HTTPS_PROXY', 'https_proxy');
  const http = firstOf(env, 'HTTP_PROXY', 'http_proxy');
  const noProxy = firstOf(env, 'NO_PROXY', 'no_proxy');
  return {
    ...(https === undefined ? {} : { httpsProxy: https }),
    ...(http === undefined ? {} : { httpProxy: http }),
    ...(noProxy === undefined ? {} : { noProxy: noProxy.value }),
  };
}

function proxyIfAny(proxy: ProxyEnvironment): { proxy?: ProxyEnvironment } {
  return Object.keys(proxy).length === 0 ? {} : { proxy };
}

function firstOf(env: Env, ...names: string[]): { value: string; from: string } | undefined {
  for (const name of names) {
    const v = value(env, name);
    if (v !== undefined) return { value: v, from: name };
  }
  return undefined;
}

export function readTrustEnvironment(env: Env): TrustEnvironment {
  const insecure = value(env, 'ETCD_TLS_INSECURE');
  return {
    ...pick('sslCertFile', value(env, 'SSL_CERT_FILE')),
    ...pick('sslCertDir', value(env, 'SSL_CERT_DIR')),
    ...pick('nodeExtraCaCerts', value(env, 'NODE_EXTRA_CA_CERTS')),
    ...pick('etcdCaFile', value(env, 'ETCD_CA_FILE')),
    ...pick('etcdCertFile', value(env, 'ETCD_CERT_FILE')),
    ...pick('etcdKeyFile', value(env, 'ETCD_KEY_FILE')),
    ...pick('etcdTlsServerName', value(env, 'ETCD_TLS_SERVER_NAME')),
    ...pick('nodeTlsRejectUnauthorized', value(env, 'NODE_TLS_REJECT_UNAUTHORIZED')),
    ...(insecure === undefined ? {} : { etcdTlsInsecure: ['true', 'yes', '1'].includes(insecure.toLowerCase()) }),
  };
}

/**
 * The CoreDNS provider's etcd endpoints and password auth, as ExternalDNS
 * reads them (provider/coredns getETCDConfig); its TLS variables are in
 * TrustEnvironment. ETCD_PASSWORD is a secret: never log it.
 */
export interface EtcdEnvironment {
  /** ETCD_URLS split at commas; http://localhost:2379 when unset. */
  readonly urls: readonly string[];
  readonly username?: string;
  readonly password?: string;
}

export function readEtcdEnvironment(env: Env): EtcdEnvironment {
  const urls = value(env, 'ETCD_URLS') ?? 'http://localhost:2379';
  return {
    urls: urls.split(',').map((u) => u.trim()).filter((u) => u !== ''),
    ...pick('username', value(env, 'ETCD_USERNAME')),
    ...pick('password', value(env, 'ETCD_PASSWORD')),
  };
}

export function readKubeEnvironment(env: Env): KubeEnvironment {
  return {
    ...pick('kubeconfig', value(env, 'KUBECONFIG')),
    ...pick('serviceHost', value(env, 'KUBERNETES_SERVICE_HOST')),
    ...pick('servicePort', value(env, 'KUBERNETES_SERVICE_PORT')),
    ...pick('home', value(env, 'HOME')),
    ...proxyIfAny(readProxyEnvironment(env)),
  };
}

/**
 * readKubeEnvironment plus the whole environment for kubeconfig exec
 * credential plugins (`aws eks get-token` needs AWS_* variables). It holds
 * secrets: pass it to src/kube only, never log it.
 */
export function readKubeEnvironmentWithPluginEnv(env: Env): KubeEnvironment {
  return { ...readKubeEnvironment(env), pluginEnv: { ...env } };
}

function value(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function pick<K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, string>);
}

/** For the providers that read their own variables from the environment they are handed (src/provider/<name>/environment.ts). */
export { value as envValue, pick as pickDefined };
