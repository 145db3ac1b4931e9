/**
 * The environment variables the Google provider and its auth library read.
 * Read from the environment the CLI hands the descriptor, never from
 * process.env.
 */
import { envValue, pickDefined } from '../../config/environment.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** What the Google provider and its auth library read (Application Default Credentials, gcloud's endpoint override). */
export interface GoogleEnvironment {
  /** CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: gcloud's Cloud DNS endpoint override, e.g. a Private Service Connect URL. */
  readonly dnsEndpoint?: string;
  /** GOOGLE_APPLICATION_CREDENTIALS: a service account key or a workload identity federation config. */
  readonly credentialsFile?: string;
  /** GCE_METADATA_HOST (or GCE_METADATA_IP): the metadata server, read by gcp-metadata itself; named here for the report. */
  readonly metadataHost?: string;
  /** gcloud's config directory (CLOUDSDK_CONFIG, else $HOME/.config/gcloud), where `gcloud auth application-default login` keeps its credentials. */
  readonly gcloudConfigDir?: string;
}

export function readGoogleEnvironment(env: Env): GoogleEnvironment {
  return {
    ...pickDefined('dnsEndpoint', envValue(env, 'CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS')),
    ...pickDefined('credentialsFile', envValue(env, 'GOOGLE_APPLICATION_CREDENTIALS')),
    ...pickDefined('metadataHost', envValue(env, 'GCE_METADATA_HOST') ?? envValue(env, 'GCE_METADATA_IP')),
    ...pickDefined('gcloudConfigDir', envValue(env, 'CLOUDSDK_CONFIG') ?? homeConfig(envValue(env, 'HOME'))),
  };
}

function homeConfig(home: string | undefined): string | undefined {
  return home === undefined ? undefined : `${home.replace(/\/+$/, '')}/.config/gcloud`;
}
