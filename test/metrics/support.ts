/** Shared set-up for the metrics tests: a parsed config and a temp workspace of manifests and zone files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/parse.ts';
import type { Config } from '../../src/config/schema.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';

export function configFrom(args: readonly string[], env: Record<string, string> = {}): Config {
  return parseConfig(args, env, { sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES });
}

export const ZONE = (zone: string): string => `$ORIGIN ${zone}.
$TTL 300
@ IN SOA ns1.${zone}. hostmaster.${zone}. ( 2026010100 3600 600 604800 300 )
@ IN NS ns1.${zone}.
ns1 IN A 192.0.2.53
`;

export const SERVICE = (name: string, host: string, ip: string): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: default
  annotations:
    external-dns.kubernetes.io/hostname: ${host}
spec:
  type: LoadBalancer
status:
  loadBalancer:
    ingress:
      - ip: ${ip}
`;

export interface Workspace {
  dir: string;
  manifests: string;
  zones: string;
  flags: (owner?: string) => string[];
  cleanup: () => void;
}

export function workspace(zones: readonly string[] = ['example.org']): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'extdns-metrics-'));
  const manifests = join(dir, 'manifests');
  const zoneDir = join(dir, 'zones');
  mkdirSync(manifests);
  mkdirSync(zoneDir);
  for (const z of zones) writeFileSync(join(zoneDir, `${z}.zone`), ZONE(z));
  return {
    dir,
    manifests,
    zones: zoneDir,
    flags: (owner = 'metrics-test') => ['--source=manifest', `--manifest-path=${manifests}`, '--provider=zonefile', `--zonefile-dir=${zoneDir}`,
      `--txt-owner-id=${owner}`, '--policy=sync', ...zones.map((z) => `--domain-filter=${z}`)],
    cleanup: () => { rmSync(dir, { recursive: true, force: true }); },
  };
}
