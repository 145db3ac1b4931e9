/** `--provider=google`: Google Cloud DNS with Application Default Credentials. */
import { GOOGLE_FLAGS } from './flags.ts';
import { readGoogleEnvironment } from './environment.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import { googleConnections } from './connections.ts';
import { GoogleErrors } from './errors.ts';

export const google: ProviderDescriptor = {
  name: 'google',
  description: 'Google Cloud DNS (Application Default Credentials, --google-project, --google-* flags)',
  usesTls: true,
  flags: GOOGLE_FLAGS,
  errors: GoogleErrors,
  validate: (c) => (['', 'public', 'private'].includes(c.googleZoneVisibility) ? [] : [{
    flags: ['google-zone-visibility'], message: `--google-zone-visibility='${c.googleZoneVisibility}' must be public, private or empty`,
  }]),
  tlsConnections: googleConnections,
  create: async (config, deps) => {
    const [dns, ...others] = googleConnections(config, deps.env);
    if (dns === undefined) throw new Error('unreachable: google always has the Cloud DNS connection');
    // google-auth-library and its helpers are loaded only when the google provider is used.
    const { createGoogleProviderFromConfig } = await import('./index.ts');
    // Each connection on its own trust store (as `extdns trust` lists them); token URLs found by origin.
    const store = deps.trust(dns);
    const stores = others.map((c) => ({ connection: c, origin: new URL(c.endpoint).origin, store: deps.trust(c) }));
    const metadata = stores.find((s) => s.connection.name === 'google-metadata');
    return createGoogleProviderFromConfig(config, {
      logger: deps.logger,
      clock: deps.clock,
      domainFilter: deps.domainFilter,
      endpoint: dns.endpoint,
      credentialsFile: readGoogleEnvironment(deps.env).credentialsFile,
      dispatcher: store.dispatcher(),
      route: (url) => stores.find((s) => s !== metadata && s.origin === new URL(url).origin)?.store.dispatcher(),
      metadataDispatcher: metadata?.store.dispatcher(),
      onTlsFailure: () => store.reload('tls-failure'),
    });
  },
};

