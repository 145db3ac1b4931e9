/**
 * TLS trust for every outgoing connection extdns makes (providers, webhook,
 * etcd; not the Kubernetes API, which keeps its kubeconfig CA).
 *
 * One `TrustStore` per connection:
 *
 *   const spec = trustSpecFor({ name, endpoint, flags, env, provider, native }); // ./spec.ts
 *   const store = createTrustStore(spec, { clock, logger });   // validates, logs the report
 *   undici.request(url, { dispatcher: store.dispatcher() });  // fetch-style clients
 *   new NodeHttpHandler({ httpsAgent: store.httpsAgent() });   // AWS SDK and other https.Agent users
 *   store.close();
 *
 * Precedence (docs/tls.md): the first *explicit* source present wins —
 * the per-provider CA setting > `--tls-ca` > provider-native (AWS_CA_BUNDLE,
 * ETCD_CA_FILE…) — and in `append` mode it is unioned with the base set:
 * SSL_CERT_FILE + SSL_CERT_DIR read as Go reads them (else the OS store),
 * plus NODE_EXTRA_CA_CERTS, plus Node's bundled roots. `replace` trusts the
 * explicit source alone. With no explicit source, the base set is used.
 *
 * The environment is never read here: callers pass a `TrustEnvironment`
 * (src/config/environment.ts builds it). Files are re-read when they change
 * (kubelet `..data` swaps, plus a content-hash poll on the injected clock);
 * a valid change swaps the `TrustGeneration`, new connections use it, and a
 * bad one keeps the old trust. The dispatcher and agent objects are stable
 * across reloads, so clients holding them keep their state.
 */
import type { SecureContext } from 'node:tls';

export const TLS_CA_MODES = ['append', 'replace'] as const;
export type TlsCaMode = (typeof TLS_CA_MODES)[number];

/** Trust-related environment variables (empty counts as unset), read only by src/config. */
export type { TrustEnvironment } from '../config/environment.ts';
import type { TrustEnvironment } from '../config/environment.ts';
import type { ProxyConfig } from './proxy.ts';

/** Files given for one rank of the precedence, and where they came from (for the report). */
export interface CaSetting {
  /** e.g. `--pdns-tls-ca`, `AWS_CA_BUNDLE`. */
  readonly source: string;
  /** Files or folders (a folder contributes every regular file in it). */
  readonly files: readonly string[];
}

export interface ClientCertSetting {
  /** e.g. `--tls-client-cert`, `ETCD_CERT_FILE`. */
  readonly source: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TrustSpec {
  /** Connection name, e.g. `pdns`, `aws`, `webhook`. */
  readonly name: string;
  /** The URL this trust is for (reported; doctor connects to it). */
  readonly endpoint?: string | undefined;
  readonly mode: TlsCaMode;
  /** Rank 1: the provider's own CA flag, if it has one. */
  readonly providerCa?: CaSetting | undefined;
  /** Rank 2: `--tls-ca` (repeatable). */
  readonly caFiles: readonly string[];
  /** Rank 3: provider-native setting (AWS_CA_BUNDLE, ETCD_CA_FILE…); `mode` overrides the global mode for it. */
  readonly providerNative?: (CaSetting & { readonly mode?: TlsCaMode | undefined }) | undefined;
  /** Client certificate, most specific first (per-provider, then flag, then native); the first one wins. */
  readonly clientCerts?: readonly ClientCertSetting[] | undefined;
  /** TLS server name (SNI and identity check) when it differs from the endpoint's host. */
  readonly serverName?: string | undefined;
  /** Per-provider skip-verify (`--pdns-skip-tls-verify`…); warned about at every start. */
  readonly skipVerify?: { readonly flag: string } | undefined;
  /** Let an intermediate in the trust set act as the anchor (Go accepts this; Node does not by default). */
  readonly allowPartialChain?: boolean | undefined;
  readonly env: TrustEnvironment;
  /** Which proxy the connection goes through (src/tls/proxy.ts); none when absent. */
  readonly proxy?: ProxyConfig | undefined;
}

/** One certificate given explicitly, as the report shows it. */
export interface CertSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly fingerprint256: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  readonly isCa: boolean;
  readonly selfSigned: boolean;
}

export const SOURCE_KINDS = ['provider', 'flag', 'native', 'env', 'system', 'bundled', 'kubeconfig'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface SourceReport {
  readonly kind: SourceKind;
  /** e.g. `--tls-ca`, `SSL_CERT_FILE`, `os store`, `node 24.1.0 bundled`. */
  readonly name: string;
  readonly paths: readonly string[];
  readonly count: number;
  /** Filled for explicit sources only (the base set is hundreds of public roots). */
  readonly certificates?: readonly CertSummary[];
  /** Why a source holds nothing or was passed over, e.g. "file not found", "shadowed by --tls-ca". */
  readonly note?: string;
}

export interface TrustReport {
  readonly name: string;
  /** Credentials in the URL masked. */
  readonly endpoint?: string;
  /** The route to the endpoint: `direct (…)` or `proxy http://host:3128 (HTTPS_PROXY)`, credentials masked. */
  readonly proxy?: string;
  readonly mode: TlsCaMode;
  readonly sources: readonly SourceReport[];
  /** Distinct certificates trusted. */
  readonly total: number;
  readonly clientCert?: { readonly source: string; readonly certificate: CertSummary };
  readonly skipVerify?: string;
  /** The kind of client credential (the Kubernetes API connection: token, exec plugin…), never its value. */
  readonly credential?: string;
  readonly generation: number;
  readonly warnings: readonly string[];
}

/** Everything one trust state consists of; replaced as a whole on reload. */
export interface TrustGeneration {
  /** 1 for the start-up state, +1 per successful reload. */
  readonly id: number;
  /** The CA certificates trusted (PEM, deduplicated). */
  readonly caPems: readonly string[];
  /** Base-set certificates left out in replace mode (doctor uses them for hints). */
  readonly excludedBasePems: readonly string[];
  readonly clientCert?: { readonly cert: string; readonly key: string } | undefined;
  readonly secureContext: SecureContext;
  readonly report: TrustReport;
  /** SHA-256 over every input file, to detect changes. */
  readonly contentHash: string;
  /** Files and folders whose change triggers a reload. */
  readonly watchedPaths: readonly string[];
}

export interface ReloadCounts {
  readonly success: number;
  readonly failure: number;
}
