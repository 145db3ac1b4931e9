/**
 * The CLI in-process over manifests and zone files: a temporary workspace
 * (manifests/, zones/example.org.zone) and a runner that captures the output.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from './fake-clock.ts';

export const SOA = `$ORIGIN example.org.
$TTL 300
@ IN SOA ns1.example.org. hostmaster.example.org. ( 2026010100 3600 600 604800 300 )
@ IN NS ns1.example.org.
ns1 IN A 192.0.2.53
`;

export interface Run { code: number; stdout: string; stderr: string }

export interface Workspace { dir: string; manifests: string; zones: string; zoneFile: string }

export function workspace(zone = SOA): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'extdns-cli-'));
  const manifests = join(dir, 'manifests');
  const zones = join(dir, 'zones');
  mkdirSync(manifests);
  mkdirSync(zones);
  writeFileSync(join(zones, 'example.org.zone'), zone);
  return { dir, manifests, zones, zoneFile: join(zones, 'example.org.zone') };
}

export async function extdns(args: string[], signal = new AbortController().signal): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: {}, clock: systemClock, random: seededRandom(7), signal,
    stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; },
  });
  return { code, stdout, stderr };
}

export function flags(ws: { manifests: string; zones: string }, owner = 'cli-test'): string[] {
  return [`--source=manifest`, `--manifest-path=${ws.manifests}`, '--provider=zonefile', `--zonefile-dir=${ws.zones}`,
    `--txt-owner-id=${owner}`, '--policy=sync', '--domain-filter=example.org'];
}
