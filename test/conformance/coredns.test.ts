/**
 * The CoreDNS provider against the provider conformance suite, on a real etcd
 * with TLS and required client certificates. One etcd for the file; each test
 * gets a prefix of its own (a fresh `--coredns-prefix`), so tests start empty.
 */
import { after, before } from 'node:test';
import { buildCoredns, startTlsEtcd, type TlsEtcd } from '../coredns/support.ts';
import { runProviderConformance } from './provider-suite.ts';

let etcd: TlsEtcd | undefined;
let n = 0;
before(async () => {
  etcd = await startTlsEtcd();
});
after(async () => {
  await etcd?.stop();
});

runProviderConformance('coredns provider (etcd 3.4, TLS with client certificates)', async () => {
  if (etcd === undefined) throw new Error('etcd did not start');
  const built = await buildCoredns([`--coredns-prefix=/skydns-conformance-${++n}/`], etcd.env);
  return { provider: built.provider, zones: ['example.com', 'example.org'], supportedTypes: ['A', 'AAAA', 'CNAME', 'TXT'], cleanup: () => built.close() };
});
