/**
 * Application Default Credentials through google-auth-library (loaded only
 * when --provider=google): GOOGLE_APPLICATION_CREDENTIALS (service account or
 * workload identity federation), the GCE/GKE metadata server, gcloud's
 * credentials, found by the library itself in that order (it reads those
 * variables as the AWS SDK reads its own; src/config names them for the log). Every request the library makes to the OAuth token endpoint
 * and to STS goes through the trust module's dispatcher (CA and proxy route);
 * the metadata server (gcp-metadata, plain HTTP, GCE_METADATA_HOST) is asked
 * on its own client and never proxied.
 */
import { createRequire } from 'node:module';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { ExtdnsError, errorMessage } from '../../errors/errors.ts';
import { GoogleErrors } from './errors.ts';

const SCOPE = 'https://www.googleapis.com/auth/ndev.clouddns.readwrite';

export interface GoogleCredentials {
  token(): Promise<string>;
  /** The project of the credentials or of the metadata server. */
  projectId(): Promise<string>;
}

export interface GoogleCredentialsOptions {
  dispatcher?: Dispatcher | undefined;
}

export async function googleCredentials(options: GoogleCredentialsOptions): Promise<GoogleCredentials> {
  const { GoogleAuth } = await import('google-auth-library');
  keepMetadataUnproxied();
  const fetchThroughTrust = fetchOn(options.dispatcher);
  const auth = new GoogleAuth({
    scopes: [SCOPE],
    clientOptions: { transporterOptions: { fetchImplementation: fetchThroughTrust } },
  });
  return {
    async token() {
      try {
        const client = await auth.getClient();
        const { token } = await client.getAccessToken();
        if (token === null || token === undefined || token === '') throw new Error('the credentials gave an empty access token');
        return token;
      } catch (err) {
        throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_CREDENTIALS, `no access token from Application Default Credentials: ${errorMessage(err)}`);
      }
    },
    async projectId() {
      try {
        return await auth.getProjectId();
      } catch (err) {
        throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_CONFIG, `no Google project: set --google-project (the metadata server and credentials gave none: ${errorMessage(err)})`);
      }
    },
  };
}

type FetchImplementation = (...args: Parameters<typeof fetch>) => ReturnType<typeof fetch>;

/** undici's fetch on one dispatcher (gaxios's own `agent`, set from HTTPS_PROXY, is ignored by it). */
function fetchOn(dispatcher: Dispatcher | undefined): FetchImplementation {
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), ...(dispatcher === undefined ? {} : { dispatcher }) })) as unknown as FetchImplementation;
}

let metadataAgent: Agent | undefined;

/**
 * gcp-metadata asks the metadata server through gaxios's shared instance
 * (the CommonJS one), whose default fetch (node-fetch) would send it through
 * HTTPS_PROXY. The metadata server is link-local plain HTTP: it goes direct.
 */
function keepMetadataUnproxied(): void {
  const require = createRequire(import.meta.url);
  const gaxios = require('gaxios') as typeof import('gaxios');
  metadataAgent ??= new Agent();
  gaxios.instance.defaults.fetchImplementation = fetchOn(metadataAgent);
}
