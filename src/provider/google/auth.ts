/**
 * Application Default Credentials through google-auth-library (loaded only
 * when --provider=google): GOOGLE_APPLICATION_CREDENTIALS (service account or
 * workload identity federation), the GCE/GKE metadata server, gcloud's
 * credentials, found by the library itself in that order (it reads those
 * variables as the AWS SDK reads its own; src/config names them for the log). Every request the library makes to the OAuth token endpoint,
 * STS and IAM Credentials (impersonation) goes through the trust module's dispatcher (CA and proxy route);
 * the metadata server (gcp-metadata, plain HTTP, GCE_METADATA_HOST) is asked
 * on its own client and never proxied.
 */
import { createRequire } from 'node:module';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { plainDispatcher } from '../../tls/agents.ts';
import { NO_PROXY_CONFIG } from '../../tls/proxy.ts';
import { ExtdnsError, errorMessage } from '../../errors/errors.ts';
import { isTlsFailure } from '../../tls/classify.ts';
import { GoogleErrors } from './errors.ts';

const SCOPE = 'https://www.googleapis.com/auth/ndev.clouddns.readwrite';

export interface GoogleCredentials {
  token(): Promise<string>;
}

export interface GoogleCredentialsOptions {
  /** The trust of every HTTPS token request (the token endpoint, STS, impersonation)… */
  dispatcher?: Dispatcher | undefined;
  /** …or, per URL, the trust of its own connection (./connections.ts), falling back to `dispatcher`. */
  route?: ((url: string) => Dispatcher | undefined) | undefined;
  /** The metadata server's connection (direct); a direct plain dispatcher of src/tls when not given. */
  metadataDispatcher?: Dispatcher | undefined;
  /** --google-project, or the metadata server's (given, so that the library never looks it up on its own clients). */
  projectId: string;
}

export async function googleCredentials(options: GoogleCredentialsOptions): Promise<GoogleCredentials> {
  const { GoogleAuth } = await import('google-auth-library');
  keepMetadataUnproxied(options.metadataDispatcher);
  const fetchThroughTrust = fetchOn((url) => options.route?.(url) ?? options.dispatcher);
  const auth = new GoogleAuth({
    scopes: [SCOPE],
    projectId: options.projectId,
    clientOptions: { transporterOptions: { fetchImplementation: fetchThroughTrust } },
  });
  return {
    async token() {
      try {
        const client = await auth.getClient();
        routeHelpersThroughTrust(client, fetchThroughTrust);
        const { token } = await client.getAccessToken();
        if (token === null || token === undefined || token === '') throw new Error('the credentials gave an empty access token');
        return token;
      } catch (err) {
        throw tokenFailure(err);
      }
    },
  };
}

/** A token request that failed: TLS (the token endpoint's or STS's CA not trusted) said as such, not as undici's "fetch failed". */
function tokenFailure(err: unknown): ExtdnsError {
  if (isTlsFailure(err)) {
    return new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_TLS, `TLS failed for the token endpoint of Application Default Credentials: ${innermostMessage(err)}. `
      + 'The CA that issued its certificate is not trusted: give it with --tls-ca; `extdns doctor` checks every Google connection', { cause: err });
  }
  return new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_CREDENTIALS, `no access token from Application Default Credentials: ${innermostMessage(err)}`, { cause: err });
}

/** The message of the deepest cause (undici's "fetch failed" hides the reason in `cause`). */
function innermostMessage(err: unknown): string {
  let message = errorMessage(err);
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && typeof cur === 'object' && cur !== null; depth++) {
    if (cur instanceof Error && cur.message !== '') message = cur.message;
    cur = (cur as { cause?: unknown }).cause;
  }
  return message;
}

/** The project from the metadata server, as ExternalDNS v0.22 detects it when --google-project is empty. */
export async function metadataProjectId(metadataDispatcher?: Dispatcher): Promise<string> {
  const { gcpMetadata } = await import('google-auth-library');
  keepMetadataUnproxied(metadataDispatcher);
  try {
    const project: unknown = await gcpMetadata.project('project-id');
    if (typeof project === 'string' && project !== '') return project;
    throw new Error('it answered an empty project id');
  } catch (err) {
    throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_CONFIG, `no Google project: set --google-project (the metadata server gave none: ${errorMessage(err)})`);
  }
}

type FetchImplementation = (...args: Parameters<typeof fetch>) => ReturnType<typeof fetch>;

/** undici's fetch on the dispatcher of each URL (gaxios's own `agent`, set from HTTPS_PROXY, is ignored by it). */
function fetchOn(dispatcherOf: (url: string) => Dispatcher | undefined): FetchImplementation {
  // gaxios passes a string or a URL.
  return ((input: string | URL, init?: RequestInit) => {
    const dispatcher = dispatcherOf(typeof input === 'string' ? input : input.href);
    return undiciFetch(input, { ...(init as object), ...(dispatcher === undefined ? {} : { dispatcher }) });
  }) as unknown as FetchImplementation;
}

let metadataAgent: Dispatcher | undefined;

/**
 * gcp-metadata asks the metadata server through gaxios's shared instance
 * (the CommonJS one), whose default fetch (node-fetch) would send it through
 * HTTPS_PROXY. The metadata server is link-local plain HTTP: it goes direct.
 */
function keepMetadataUnproxied(given: Dispatcher | undefined): void {
  const require = createRequire(import.meta.url);
  const gaxios = require('gaxios') as typeof import('gaxios');
  // A direct plain-HTTP dispatcher from src/tls: the metadata server is never proxied.
  metadataAgent ??= plainDispatcher(NO_PROXY_CONFIG);
  const agent = given ?? metadataAgent;
  gaxios.instance.defaults.fetchImplementation = fetchOn(() => agent);
}

interface HelperClients {
  transporter?: { defaults?: { fetchImplementation?: FetchImplementation } };
  stsCredential?: HelperClients;
  sourceClient?: HelperClients;
}

/**
 * The clients the library builds without the GoogleAuth's transporter
 * options, which would go through node-fetch and gaxios's own HTTPS_PROXY
 * agent without the trust module's CA, get the same fetch as every other
 * token request: workload identity federation's STS exchange
 * (StsCredentials has a Gaxios of its own) and an impersonated service
 * account's source credential (made by fromJSON without the client options;
 * it also sends the generateAccessToken request to IAM Credentials).
 */
function routeHelpersThroughTrust(client: object, fetchImplementation: FetchImplementation, depth = 0): void {
  const helpers = client as HelperClients;
  for (const helper of [helpers.stsCredential, helpers.sourceClient]) {
    const defaults = helper?.transporter?.defaults;
    if (defaults !== undefined) defaults.fetchImplementation = fetchImplementation;
    // A source credential may itself be impersonated or federated.
    if (helper !== undefined && depth < 4) routeHelpersThroughTrust(helper, fetchImplementation, depth + 1);
  }
}
