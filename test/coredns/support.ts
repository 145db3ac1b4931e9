/**
 * The CoreDNS provider as `extdns` builds it: parsed flags, the ETCD_*
 * environment, the trust module's stores (through src/cli/provider-wiring),
 * and the real descriptor; plus a TLS etcd with required client certificates.
 */
import { assembleProvider, closeConnections, type HeldConnections } from '../../src/cli/provider-wiring.ts';
import { parseConfig } from '../../src/config/parse.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { startEtcd, type EtcdServer } from '../support/etcd-server.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { createPki, type Pki } from '../support/pki.ts';

/** The trust variables the machines set globally, cleared so each test says what it trusts. */
export const CLEAN_ENV = { SSL_CERT_FILE: undefined, SSL_CERT_DIR: undefined, NODE_EXTRA_CA_CERTS: undefined, AWS_CA_BUNDLE: undefined };

export interface Built {
  provider: Provider;
  log: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

export async function buildCoredns(args: readonly string[], env: Record<string, string | undefined>): Promise<Built> {
  const fullEnv = { ...CLEAN_ENV, ...env };
  const config = parseConfig(['--source=service', '--policy=sync', '--provider=coredns', ...args], fullEnv,
    { sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES });
  const log = captureLogger();
  const held: HeldConnections = { stores: [] };
  const { provider } = await assembleProvider(config, { logger: log.logger, clock: new FakeClock(), env: fullEnv }, held);
  return { provider, log, close: async () => { await closeConnections(held); } };
}

export interface TlsEtcd {
  pki: Pki;
  etcd: EtcdServer;
  /** ETCD_* for a client that trusts etcd's CA and holds a client certificate. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startTlsEtcd(extraArgs: string[] = [], requireClientCert = true): Promise<TlsEtcd> {
  const pki = await createPki();
  // etcd 3.4's JSON gateway dials etcd's own gRPC port with the server certificate: it must be good for client auth, and its CA trusted for clients.
  const server = await pki.issueLeaf('etcd-server', 'DNS:localhost,IP:127.0.0.1', { alsoClientAuth: true });
  const serverChainFile = await pki.write('etcd-server-chain.pem', pki.chain(server, pki.intermediateA1));
  const clientCaFile = await pki.write('etcd-client-cas.pem', pki.chain(pki.clientCa, pki.rootA));
  const clientChainFile = await pki.write('etcd-client.pem', pki.client.cert);
  const etcd = await startEtcd({ tls: { pki, serverChainFile, serverKeyFile: server.keyFile, clientCaFile, requireClientCert }, extraArgs });
  return {
    pki, etcd,
    env: { ETCD_URLS: etcd.url, ETCD_CA_FILE: pki.rootA.certFile, ETCD_CERT_FILE: clientChainFile, ETCD_KEY_FILE: pki.client.keyFile },
    stop: async () => {
      await etcd.stop();
      await pki.cleanup();
    },
  };
}
