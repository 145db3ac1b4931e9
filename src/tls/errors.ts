import { defineErrors } from '../errors/errors.ts';

export const TlsErrors = defineErrors({
  EXTDNS_TLS_CA_FILE: {
    transient: false,
    summary: 'A CA file or folder is empty, unreadable, not PEM, holds a private key or a certificate that is not a CA.',
  },
  EXTDNS_TLS_CLIENT_CERT: {
    transient: false,
    summary: 'The client certificate or key is missing, unreadable, or the key does not belong to the certificate.',
  },
  EXTDNS_PROXY_INVALID: {
    transient: false,
    summary: 'HTTPS_PROXY, HTTP_PROXY or a kubeconfig proxy-url is not an http:// or https:// proxy URL.',
  },
  EXTDNS_PROXY_CONNECT: {
    transient: true,
    summary: 'The proxy could not be reached, or it refused to open a tunnel (CONNECT) to the endpoint.',
  },
  EXTDNS_TLS_CONFIG: {
    transient: false,
    summary: 'The TLS settings of a connection contradict each other.',
  },
});
