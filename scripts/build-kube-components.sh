#!/usr/bin/env bash
# Builds the real Kubernetes test components into .cache/kube/ (ignored by git):
#   kube-apiserver  from the k8s.io/kubernetes Go module at $KUBE_VERSION
#   gateway-api CRDs (standard channel) from the sigs.k8s.io/gateway-api module
# The k8s.io/kubernetes go.mod replaces its staging modules (k8s.io/api, …) with
# local paths that a module download does not carry, so a throwaway module
# requires k8s.io/kubernetes and replaces each staging module with its
# published v0.Y.Z. Binaries are reused when present; with warm Go caches
# (~/.cache/go-build, ~/go/pkg/mod) a rebuild only links.
set -euo pipefail
cd "$(dirname "$0")/.."
KUBE_VERSION=v1.34.4
GATEWAY_API_VERSION=v1.5.1
out=.cache/kube
mkdir -p "$out"

build_apiserver() {
  local bin="$out/kube-apiserver" stamp="$out/kube-apiserver.version"
  if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$KUBE_VERSION" ]; then return; fi
  local mod="$out/build-apiserver" staging_version="v0${KUBE_VERSION#v1}"
  rm -rf "$mod" && mkdir -p "$mod"
  {
    echo "module extdns.test/kube-apiserver-build"
    echo "go 1.24.0"
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    # Every staging module named in k8s.io/kubernetes's own replace block.
    go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" >/dev/null
    local gomod
    gomod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBE_VERSION.mod"
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk '{print $1}' |
      while read -r m; do echo "replace $m => $m $staging_version"; done
  } > "$mod/go.mod"
  local started=$SECONDS
  echo "building kube-apiserver $KUBE_VERSION (first build takes many minutes)…" >&2
  (
    cd "$mod"
    # Fills go.mod/go.sum with what the command needs (from the module cache when warm).
    GOFLAGS=-mod=mod go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" 2>get.log || { cat get.log >&2; exit 1; }
    local pkg=k8s.io/component-base/version
    GOFLAGS=-mod=mod nice -n 10 go build -o ../kube-apiserver -ldflags "-s -w \
      -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2) \
      -X $pkg.gitTreeState=clean" k8s.io/kubernetes/cmd/kube-apiserver
  )
  echo "$KUBE_VERSION" > "$stamp"
  echo "kube-apiserver built in $((SECONDS - started)) s" >&2
}

# The standard channel as a user applies it (its CRDs only: its safe-upgrades
# admission policy refuses the experimental TLSRoute on top of the standard
# one). TLSRoute is read at v1 (as ExternalDNS v0.22 reads it; the experimental
# CRD serves v1 as well as v1alpha2); TCPRoute and UDPRoute are read at v1alpha2,
# which only the experimental CRDs serve.
fetch_gateway_crds() {
  local dir="$out/gateway-api-crds" stamp="$out/gateway-api-crds.version" want="$GATEWAY_API_VERSION standard+l4"
  if [ -d "$dir" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  local src
  src="$(go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  rm -rf "$dir" && mkdir -p "$dir/standard" "$dir/experimental"
  cp "$src"/config/crd/standard/gateway.networking.k8s.io_*.yaml "$dir/standard/"
  rm -f "$dir/standard/gateway.networking.k8s.io_vap_safeupgrades.yaml"
  for kind in tlsroutes tcproutes udproutes; do
    cp "$src/config/crd/experimental/gateway.networking.k8s.io_$kind.yaml" "$dir/experimental/"
  done
  chmod -R u+w "$dir"
  echo "$want" > "$stamp"
}

fetch_gateway_crds
build_apiserver
