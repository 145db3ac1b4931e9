#!/usr/bin/env bash
# The README's first command: provisions Node >= 22 and the dependencies, then
# runs extdns once on the bundled example: the manifests in examples/ synced
# into the zone files in ./zones (seeded from examples/zones on first run).
# Run it twice: the second run reports that nothing needs to change.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh
ensure_deps
mkdir -p zones
for seed in examples/zones/*.zone; do
  [ -e "zones/$(basename "$seed")" ] || cp "$seed" zones/
done
bin/extdns \
  --source=manifest --manifest-path=examples \
  --provider=zonefile --zonefile-dir=zones \
  --registry=txt --txt-owner-id=extdns-demo \
  --domain-filter=example.org --managed-record-types=A --managed-record-types=AAAA \
  --managed-record-types=CNAME --managed-record-types=MX --managed-record-types=SRV \
  --managed-record-types=TXT --policy=sync --once "$@"
echo
echo "== zones/example.org.zone"
cat zones/example.org.zone
