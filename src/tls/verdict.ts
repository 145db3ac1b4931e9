/**
 * Doctor's own analysis of a presented chain. OpenSSL reports one code and
 * it can hide the root cause (an expired leaf under an untrusted root says
 * only "expired"), so the path is rebuilt here the way OpenSSL builds it —
 * trust set first, then what the server sent — and every problem is named.
 */
import type { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { commonName, isSelfSigned, oneLine } from './pem.ts';

export const VERDICTS = [
  'ok', 'unknown-ca', 'missing-intermediate', 'self-signed', 'untrusted-root', 'intermediate-only', 'issuer-not-ca',
  'expired', 'not-yet-valid', 'hostname-mismatch', 'client-cert-required', 'client-cert-rejected', 'not-tls',
  'connection-refused', 'name-not-resolved', 'timeout', 'network-error', 'tls-error', 'invalid-trust-settings',
  'inspecting-proxy', 'proxy-failed',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Finding {
  readonly verdict: Verdict;
  /** What is wrong, in plain words. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

export interface ChainInput {
  /** Presented chain, leaf first. */
  readonly chain: readonly X509Certificate[];
  readonly trust: readonly X509Certificate[];
  /** Base-set certificates replace mode left out (for a hint). */
  readonly excluded: () => readonly X509Certificate[];
  /** Host name or IP the client checks the certificate against. */
  readonly host: string;
  /** Legacy peer object for tls.checkServerIdentity. */
  readonly peer: PeerCertificate | undefined;
  readonly now: number;
  readonly allowPartialChain: boolean;
  /** Node's authorizationError code, if any. */
  readonly nodeError?: string | undefined;
  /** e.g. "--tls-ca=/ca.crt (1), bundled (118)". */
  readonly sourcesSearched: string;
}

export function analyseChain(input: ChainInput): Finding[] {
  const leaf = input.chain[0];
  if (leaf === undefined) return [{ verdict: 'tls-error', message: 'the server presented no certificate', fix: 'check that the endpoint is a TLS server' }];
  const path = buildPath(leaf, input);
  const findings: Finding[] = [...path.findings];
  for (const cert of [...input.chain, ...path.anchors]) findings.push(...dateFindings(cert, input.now));
  const mismatch = hostnameFinding(leaf, input);
  if (mismatch !== undefined) findings.push(mismatch);
  return dedupe(findings);
}

function issues(issuer: X509Certificate, cert: X509Certificate): boolean {
  // Name and signature only: checkIssued() also demands keyCertSign, which would hide an issuer that is not a CA.
  return cert.issuer === issuer.subject && cert.verify(issuer.publicKey);
}

function same(a: X509Certificate, b: X509Certificate): boolean {
  return a.fingerprint256 === b.fingerprint256;
}

interface PathResult {
  readonly findings: Finding[];
  readonly anchors: X509Certificate[];
}

function buildPath(leaf: X509Certificate, input: ChainInput): PathResult {
  let cur = leaf;
  let trustedIntermediate: X509Certificate | undefined;
  const anchors: X509Certificate[] = [];
  for (let depth = 0; depth < 10; depth++) {
    const fromTrust = input.trust.find((t) => issues(t, cur));
    if (fromTrust !== undefined) {
      anchors.push(fromTrust);
      if (!fromTrust.ca && !same(fromTrust, cur)) return { findings: [issuerNotCa(fromTrust, cur)], anchors };
      if (isSelfSigned(fromTrust) || input.allowPartialChain) return { findings: [], anchors };
      if (same(fromTrust, cur)) return { findings: [], anchors }; // a pinned leaf
      trustedIntermediate = fromTrust;
      cur = fromTrust;
      continue;
    }
    if (isSelfSigned(cur)) return { findings: [selfSignedFinding(cur, cur === leaf, input)], anchors };
    const fromChain = input.chain.find((c) => !same(c, cur) && issues(c, cur));
    if (fromChain === undefined) return { findings: [noIssuerFinding(cur, cur === leaf, trustedIntermediate, input)], anchors };
    if (!fromChain.ca) return { findings: [issuerNotCa(fromChain, cur)], anchors };
    cur = fromChain;
  }
  return { findings: [{ verdict: 'tls-error', message: 'the certificate chain is longer than 10', fix: 'check the server configuration' }], anchors };
}

function issuerNotCa(issuer: X509Certificate, cert: X509Certificate): Finding {
  return {
    verdict: 'issuer-not-ca',
    message: `"${commonName(cert.subject)}" was signed by "${oneLine(issuer.subject)}", which is not a CA certificate (basicConstraints CA:FALSE), so it cannot issue certificates`,
    fix: 'reissue the server certificate from a real CA (an intermediate or root with CA:TRUE and keyCertSign)',
  };
}

function selfSignedFinding(cert: X509Certificate, isLeaf: boolean, input: ChainInput): Finding {
  const name = commonName(cert.subject);
  if (isLeaf) {
    return {
      verdict: 'self-signed',
      message: `the server uses a self-signed certificate "${name}" (sha256 ${cert.fingerprint256}) that is not trusted`,
      fix: 'pin it: save the server certificate as a PEM file and pass it with --tls-ca (or the provider\'s own CA flag); it then acts as its own CA',
    };
  }
  return {
    verdict: 'untrusted-root',
    message: `the server sent its own root "${name}" (sha256 ${cert.fingerprint256}), which is not in the trust set (searched: ${input.sourcesSearched})${excludedHint(cert, input)}`,
    fix: `if you trust this private root, add its certificate to --tls-ca (check the fingerprint with whoever runs the server)`,
  };
}

function noIssuerFinding(cert: X509Certificate, isLeaf: boolean, trustedIntermediate: X509Certificate | undefined, input: ChainInput): Finding {
  const issuer = oneLine(cert.issuer);
  if (trustedIntermediate !== undefined) {
    return {
      verdict: 'intermediate-only',
      message: `the trust set holds the intermediate "${oneLine(trustedIntermediate.subject)}" but not the root that issued it ("${issuer}"); Node does not accept an intermediate as the end of the chain (Go does)`,
      fix: `add the root "${issuer}" to the --tls-ca file next to the intermediate`,
    };
  }
  // Node leaves an issuer that fails OpenSSL's CA checks out of getPeerCertificate(true) and reports
  // UNSPECIFIED ("key usage does not include certificate signing") or INVALID_CA: name it from the leaf.
  if (input.nodeError === 'UNSPECIFIED' || input.nodeError === 'INVALID_CA') {
    return {
      verdict: 'issuer-not-ca',
      message: `"${commonName(cert.subject)}" was issued by "${issuer}", which the server sends but which is not a CA certificate (no CA:TRUE or keyCertSign), so it cannot issue certificates (Node: ${input.nodeError})`,
      fix: 'reissue the server certificate from a real CA (an intermediate or root with CA:TRUE and keyCertSign)',
    };
  }
  const hint = excludedHint(cert, input);
  if (isLeaf) {
    return {
      verdict: 'missing-intermediate',
      message: `the server sent only its own certificate, and its issuer "${issuer}" is not in the trust set (searched: ${input.sourcesSearched})${hint}; either the server does not send its intermediate, or its CA is unknown`,
      fix: `configure the server to send its full chain (leaf + intermediates), or add the issuer "${issuer}" and its root to --tls-ca`,
    };
  }
  return {
    verdict: 'unknown-ca',
    message: `the server's CA "${issuer}" is not in the trust set (searched: ${input.sourcesSearched})${hint}. If that name looks like your company's, a TLS-inspecting proxy may be in the way`,
    fix: `add the certificate of "${issuer}" (PEM) with --tls-ca`,
  };
}

function excludedHint(cert: X509Certificate, input: ChainInput): string {
  const found = input.excluded().some((e) => issues(e, cert) || same(e, cert));
  return found ? '; it IS in the system/Node roots, which --tls-ca-mode=replace left out (use append, or add it to your CA file)' : '';
}

function dateFindings(cert: X509Certificate, now: number): Finding[] {
  const name = commonName(cert.subject);
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (now > to.getTime()) {
    const days = Math.floor((now - to.getTime()) / 86_400_000);
    return [{
      verdict: 'expired',
      message: `certificate "${name}" expired on ${to.toISOString()} (${days} days ago)`,
      fix: 'renew the certificate on the server; if it looks current there, check this machine\'s clock',
    }];
  }
  if (now < from.getTime()) {
    return [{
      verdict: 'not-yet-valid',
      message: `certificate "${name}" is valid only from ${from.toISOString()}`,
      fix: 'check the clocks of this machine and of the CA that issued it (clock skew), or wait until it becomes valid',
    }];
  }
  return [];
}

function hostnameFinding(leaf: X509Certificate, input: ChainInput): Finding | undefined {
  if (input.peer === undefined) return undefined;
  const err = checkServerIdentity(input.host, input.peer);
  if (err === undefined) return undefined;
  const names = leaf.subjectAltName ?? `CN=${commonName(leaf.subject)}`;
  return {
    verdict: 'hostname-mismatch',
    message: `connected to ${input.host} but the certificate is for ${names}`,
    fix: 'use an endpoint URL whose host is one of those names, or have the server certificate reissued with this name',
  };
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.verdict} ${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
