#!/usr/bin/env bash
# Debian packages the tests use for real: named-checkzone (bind9utils), BIND,
# dig (dnsutils), Knot DNS (knot: a second RFC 2136 server), PowerDNS with sqlite,
# nginx, openssl, squid-openssl (a real TLS-inspecting proxy with ssl_bump), etcd;
# Chromium (the /status page test drives it through
# playwright-core); then the real kube-apiserver and the Gateway API CRDs
# (scripts/build-kube-components.sh, Go, into .cache/kube/) and CoreDNS
# (scripts/build-coredns.sh, into .cache/coredns/). Idempotent.
set -euo pipefail
need=()
command -v named-checkzone >/dev/null || need+=(bind9utils)
command -v named >/dev/null || need+=(bind9)
command -v dig >/dev/null || need+=(dnsutils)
command -v knotd >/dev/null || need+=(knot)
command -v pdns_server >/dev/null || need+=(pdns-server pdns-backend-sqlite3)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v nginx >/dev/null || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/lib/squid/security_file_certgen ] || need+=(squid-openssl)
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash "$(dirname "$0")/build-kube-components.sh"
bash "$(dirname "$0")/build-coredns.sh"
