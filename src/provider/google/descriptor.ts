/** `--provider=google`: Google Cloud DNS with Application Default Credentials. */
import { GOOGLE_FLAGS } from './flags.ts';
import { readGoogleEnvironment } from '../../config/environment.ts';
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
    const [connection] = googleConnections(config, deps.env);
    if (connection === undefined) throw new Error('unreachable: google always has the Cloud DNS connection');
    // google-auth-library and its helpers are loaded only when the google provider is used.
    const { createGoogleProviderFromConfig } = await import('./index.ts');
    // The token endpoint and STS share Cloud DNS's trust (one dispatcher routes each by its own URL).
    const store = deps.trust(connection);
    return createGoogleProviderFromConfig(config, {
      logger: deps.logger,
      clock: deps.clock,
      domainFilter: deps.domainFilter,
      endpoint: connection.endpoint,
      credentialsFile: readGoogleEnvironment(deps.env).credentialsFile,
      dispatcher: store.dispatcher(),
      onTlsFailure: () => store.reload('tls-failure'),
    });
  },
};

