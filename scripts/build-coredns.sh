#!/usr/bin/env bash
# Builds the real CoreDNS (with its etcd plugin, part of the default plugin
# set) from the github.com/coredns/coredns Go module at $COREDNS_VERSION into
# .cache/coredns/ (ignored by git). The module has no replace directives, so
# `go install module@version` builds it as released. Reused when present.
set -euo pipefail
cd "$(dirname "$0")/.."
COREDNS_VERSION=v1.14.7
out=.cache/coredns
bin="$out/coredns" stamp="$out/coredns.version"
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$COREDNS_VERSION" ]; then exit 0; fi
mkdir -p "$out"
started=$SECONDS
echo "building coredns $COREDNS_VERSION…" >&2
GOBIN="$PWD/$out" nice -n 10 go install -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
echo "$COREDNS_VERSION" > "$stamp"
echo "coredns built in $((SECONDS - started)) s" >&2
