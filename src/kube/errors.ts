/** Error codes of the Kubernetes API connection (kubeconfig, credentials, API answers). */
import { defineErrors } from '../errors/errors.ts';

export const KubeErrors = defineErrors({
  EXTDNS_KUBE_CONFIG: {
    transient: false,
    summary: 'The kubeconfig (or the in-cluster service account files) is missing, unreadable, or lacks a key it needs; the message names the file and the key.',
  },
  EXTDNS_KUBE_CREDENTIALS: {
    transient: true,
    summary: 'The kubeconfig exec credential plugin (e.g. aws eks get-token) failed or printed something that is not an ExecCredential.',
  },
  EXTDNS_KUBE_UNAUTHORIZED: {
    transient: false,
    summary: 'The API server refused the credentials (401): the token, client certificate or plugin output is wrong or expired.',
  },
  EXTDNS_KUBE_FORBIDDEN: {
    transient: false,
    summary: 'The API server denied a request (403): the ClusterRole bound to extdns lacks the rule the message names.',
  },
  EXTDNS_KUBE_NOT_FOUND: {
    transient: false,
    summary: 'The object or resource type does not exist (404); for a resource type, its CRD is not installed.',
  },
  EXTDNS_KUBE_CONFLICT: {
    transient: true,
    summary: 'The object changed since it was read, or already exists (409); read it again and retry.',
  },
  EXTDNS_KUBE_GONE: {
    transient: true,
    summary: 'The resourceVersion or continue token is too old (410 Expired); the watch cache lists again.',
  },
  EXTDNS_KUBE_INVALID: {
    transient: false,
    summary: 'The API server rejected a request as invalid (400/415/422).',
  },
  EXTDNS_KUBE_UNAVAILABLE: {
    transient: true,
    summary: 'The API server could not be reached, timed out, throttled (429) or failed (5xx); retried with backoff.',
  },
  EXTDNS_KUBE_NOT_SYNCED: {
    transient: true,
    summary: 'A watch cache has not finished its first list yet (API server down or slow at start).',
  },
});
