/**
 * Azure providers for tests, built the way `extdns` builds them: the flags
 * parsed by src/config, azure.json on disk, the trust of each connection
 * from src/tls (--tls-ca at the test PKI's root), the real Azure SDKs,
 * against the ARM test server (test/support/azure-arm-server.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/parse.ts';
import { assembleProvider, closeConnections, type HeldConnections } from '../../src/cli/provider-wiring.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import type { Pki } from '../support/pki.ts';
import { startAzureArmServer, type AzureArmServer, type AzureArmServerOptions } from '../support/azure-arm-server.ts';

export async function startArm(pki: Pki, options: Partial<AzureArmServerOptions> = {}): Promise<AzureArmServer> {
  return startAzureArmServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, ...options });
}

/** azure.json for Azure Stack Hub at the test server, with a client secret. */
export function stackHubConfig(server: AzureArmServer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cloud: 'AzureStackCloud',
    tenantId: server.tenantId,
    subscriptionId: server.subscriptionId,
    resourceGroup: server.resourceGroup,
    aadClientId: 'extdns-client',
    aadClientSecret: 'extdns-secret',
    resourceManagerEndpoint: server.url,
    resourceManagerAudience: `${server.url}/`,
    activeDirectoryAuthorityHost: `${server.url}/`,
    ...extra,
  };
}

export interface BuiltProvider {
  provider: Provider;
  logs: ReturnType<typeof captureLogger>;
  /** The run's clock: Retry-After waits sleep on it. */
  clock: FakeClock;
  close(): Promise<void>;
}

/** The provider `extdns --provider=<name> --azure-config-file=… <args>` would build. */
export async function buildAzureProvider(name: string, azureJson: Record<string, unknown>, args: readonly string[] = [], env: Record<string, string> = {}): Promise<BuiltProvider> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-azure-'));
  const file = join(dir, 'azure.json');
  await writeFile(file, JSON.stringify(azureJson));
  const argv = ['--source=manifest', `--manifest-path=${dir}`, '--policy=sync', `--provider=${name}`, `--azure-config-file=${file}`, ...args];
  const config = parseConfig(argv, env, { sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES });
  const logs = captureLogger();
  const held: HeldConnections = { stores: [] };
  const clock = new FakeClock();
  try {
    const { provider } = await assembleProvider(config, { logger: logs.logger, clock, env }, held);
    return { provider, logs, clock, close: async () => { await closeConnections(held); await rm(dir, { recursive: true, force: true }); } };
  } catch (err) {
    await closeConnections(held);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
