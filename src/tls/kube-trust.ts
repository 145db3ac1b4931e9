/**
 * The Kubernetes API connection in `extdns trust` and `extdns doctor`: its
 * trust is the kubeconfig's (certificate-authority / -data, or the
 * in-cluster ca.crt), replacing Node's defaults as client-go does; --tls-ca
 * does not apply to it. Described as a TrustGeneration so the same report
 * and the same doctor serve it.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { redactUrls } from '../util/url-secrets.ts';
import { kubeSecureContext, type KubeTlsOptions } from './kube.ts';
import { splitPem, summarise } from './pem.ts';
import { describeRoute, type ProxyConfig } from './proxy.ts';
import type { SourceReport, TrustGeneration } from './tls.ts';

export interface KubeTrustInput {
  readonly server: string;
  readonly tls: KubeTlsOptions;
  /** e.g. `kubeconfig certificate-authority=/path`, `in-cluster /…/ca.crt`. */
  readonly caSource: string;
  /** e.g. `client certificate`, `exec plugin aws`: the kind, never the secret. */
  readonly credentialKind: string;
  readonly proxy: ProxyConfig;
  /** --tls-ca was given: say that it does not reach this connection. */
  readonly tlsCaGiven: boolean;
  readonly now: number;
}

export const KUBE_CONNECTION = 'kubernetes';

export function kubeTrustGeneration(input: KubeTrustInput): TrustGeneration {
  const explicit = input.tls.caPem === undefined ? [] : splitPem(input.tls.caPem).filter((b) => b.label === 'CERTIFICATE').map((b) => b.text);
  const pems = explicit.length > 0 ? explicit : [...rootCertificates];
  const source: SourceReport = explicit.length > 0
    ? { kind: 'kubeconfig', name: input.caSource, paths: [], count: pems.length, certificates: pems.map((p) => summarise(new X509Certificate(p), input.now)) }
    : { kind: 'bundled', name: input.caSource, paths: [], count: pems.length };
  const warnings = input.tlsCaGiven
    ? ['--tls-ca does not apply to the Kubernetes API connection: it trusts the kubeconfig CA (or the in-cluster ca.crt) alone, as kubectl does']
    : [];
  const clientCert = input.tls.cert !== undefined && input.tls.key !== undefined ? { cert: input.tls.cert, key: input.tls.key } : undefined;
  return {
    id: 1,
    caPems: pems,
    excludedBasePems: explicit.length > 0 ? [...rootCertificates] : [],
    clientCert,
    secureContext: kubeSecureContext(input.tls),
    contentHash: createHash('sha256').update(pems.join('')).digest('hex'),
    watchedPaths: [],
    report: {
      name: KUBE_CONNECTION,
      endpoint: redactUrls(input.server),
      proxy: describeRoute(input.proxy.routeFor(input.server)),
      mode: 'replace',
      sources: [source],
      total: pems.length,
      ...(input.tls.insecureSkipVerify === true ? { skipVerify: 'insecure-skip-tls-verify (kubeconfig)' } : {}),
      credential: input.credentialKind,
      generation: 1,
      warnings,
    },
  };
}
