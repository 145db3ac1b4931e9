/** Error codes of the CoreDNS provider (SkyDNS records in etcd). */
import { defineErrors } from '../../errors/errors.ts';

export const CorednsErrors = defineErrors({
  EXTDNS_COREDNS_CONFIG: {
    transient: false,
    summary: 'The CoreDNS provider is misconfigured: ETCD_URLS holds a URL that is not http:// or https://, or only one of ETCD_USERNAME / ETCD_PASSWORD is set.',
  },
  EXTDNS_COREDNS_UNREACHABLE: {
    transient: true,
    summary: 'No etcd endpoint of ETCD_URLS could be reached (connection refused or reset, DNS failure, timeout); retried next run.',
  },
  EXTDNS_COREDNS_TLS: {
    transient: false,
    summary: 'The TLS connection to etcd failed (server certificate not trusted, name mismatch, client certificate missing or refused): see --tls-ca, ETCD_CA_FILE, ETCD_CERT_FILE/ETCD_KEY_FILE and `extdns doctor`.',
  },
  EXTDNS_COREDNS_AUTH: {
    transient: false,
    summary: 'etcd refused the credentials (ETCD_USERNAME / ETCD_PASSWORD) or the user lacks permission on the --coredns-prefix keys.',
  },
  EXTDNS_COREDNS_ETCD_ERROR: {
    transient: true,
    summary: 'etcd answered a request with an error; the message carries etcd\'s own text.',
  },
  EXTDNS_COREDNS_STALE_PLAN: {
    transient: true,
    summary: 'The etcd keys no longer match the plan (a record set to create exists, one to delete is gone or holds other values, or a key changed since it was read); that transaction wrote nothing and the keys are read again next run.',
  },
  EXTDNS_COREDNS_UNSUPPORTED: {
    transient: false, kind: 'data',
    summary: 'A record the CoreDNS etcd backend cannot hold as ExternalDNS writes it (a PTR with several targets); nothing of the batch was written.',
  },
});
