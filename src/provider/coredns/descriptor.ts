/**
 * `--provider=coredns` (alias `skydns`): SkyDNS records in etcd for CoreDNS's
 * etcd plugin. etcd is set as in ExternalDNS, with ETCD_URLS, ETCD_USERNAME /
 * ETCD_PASSWORD and the ETCD_* TLS variables (read by src/config, given to
 * src/tls as the connection's provider-native trust, below --tls-ca).
 */
import { readEtcdEnvironment, readTrustEnvironment } from '../../config/environment.ts';
import type { Environment } from '../../config/process.ts';
import type { Config } from '../../config/schema.ts';
import type { ConfigIssue } from '../../config/validate.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { etcdNativeTrust } from '../../tls/native.ts';
import { systemRandom } from '../../util/clock.ts';
import { connectionDispatcher, type ProviderDescriptor, type TlsConnection } from '../descriptor.ts';
import { CorednsErrors } from './errors.ts';
import { COREDNS_FLAGS } from './flags.ts';

function describe(name: string): ProviderDescriptor {
  return {
    name,
    description: `CoreDNS / SkyDNS records in etcd${name === 'skydns' ? ' (same as coredns)' : ''} (--coredns-prefix; etcd from ETCD_URLS, ETCD_USERNAME/ETCD_PASSWORD, ETCD_CA_FILE…)`,
    usesTls: true,
    flags: COREDNS_FLAGS,
    errors: CorednsErrors,
    validate: (c) => prefixIssues(c),
    tlsConnections: etcdConnections,
    create: async (config, deps) => {
      const [{ createEtcdClient }, { createCorednsProvider }] = await Promise.all([import('./etcd.ts'), import('./provider.ts')]);
      const etcd = readEtcdEnvironment(deps.env);
      const problem = etcdEnvProblem(deps.env);
      if (problem !== undefined) throw new ExtdnsError(CorednsErrors.EXTDNS_COREDNS_CONFIG, problem);
      const connections = etcdConnections(config, deps.env);
      const endpoints = etcd.urls.map((url) => {
        const connection = connections.find((c) => c.endpoint === url);
        const { dispatcher, onTlsFailure } = connectionDispatcher(connection, url, deps);
        return { url, dispatcher, onTlsFailure };
      });
      if (!config.corednsPrefix.endsWith('/')) {
        deps.logger.warn('--coredns-prefix does not end with "/": keys are written as the prefix followed directly by the name, which CoreDNS does not read under its path', { prefix: config.corednsPrefix });
      }
      const clientCert = config.tlsClientCert !== '' || connections.some((c) => c.native?.clientCert !== undefined);
      const client = createEtcdClient({ endpoints, username: etcd.username, password: etcd.password, clientCert, logger: deps.logger, clock: deps.clock });
      return createCorednsProvider({
        prefix: config.corednsPrefix,
        domainFilter: deps.domainFilter,
        strictOwner: config.corednsStrictlyOwned ? config.txtOwnerId : undefined,
      }, { client, logger: deps.logger, random: systemRandom });
    },
  };
}

export const coredns = describe('coredns');
export const skydns = describe('skydns');

function prefixIssues(c: Config): ConfigIssue[] {
  return c.corednsPrefix === '' ? [{ flags: ['coredns-prefix'], message: '--coredns-prefix cannot be empty; the default is /skydns/' }] : [];
}

/** ETCD_URLS must be http(s) URLs; ETCD_USERNAME and ETCD_PASSWORD go together. */
export function etcdEnvProblem(env: Environment): string | undefined {
  const etcd = readEtcdEnvironment(env);
  const bad = etcd.urls.find((u) => !/^https?:\/\/[^/]/i.test(u));
  if (bad !== undefined) return `ETCD_URLS holds "${bad}": etcd URLs must start with http:// or https://, e.g. https://etcd.kube-system:2379`;
  if ((etcd.username === undefined) !== (etcd.password === undefined)) return 'set both ETCD_USERNAME and ETCD_PASSWORD, or neither';
  return undefined;
}

/** One connection per https:// URL of ETCD_URLS (named etcd, etcd-2, …); ETCD_CA_FILE and friends are its native trust. */
function etcdConnections(_config: Config, env: Environment): TlsConnection[] {
  const native = etcdNativeTrust(readTrustEnvironment(env));
  return readEtcdEnvironment(env).urls
    .filter((url) => url.toLowerCase().startsWith('https://'))
    .map((endpoint, i) => ({ name: i === 0 ? 'etcd' : `etcd-${i + 1}`, endpoint, native }));
}
