/**
 * The CLI end to end, in-process: manifests in, zone files out, through the
 * real parser, sources, planner, TXT registry and zonefile provider.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extdns, flags, SOA, workspace } from '../support/cli-workspace.ts';

const SERVICE = (name: string, ip: string): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: default
  annotations:
    external-dns.kubernetes.io/hostname: ${name}.example.org
spec:
  type: LoadBalancer
status:
  loadBalancer:
    ingress:
      - ip: ${ip}
`;

test('a first sync writes records and their ownership TXT; the next ones change nothing', async () => {
  const ws = workspace();
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', '192.0.2.80'));
  const first = await extdns([...flags(ws), '--once']);
  assert.equal(first.code, 0, first.stderr);
  const zone = readFileSync(ws.zoneFile, 'utf8');
  assert.match(zone, /^web\s+IN A\s+192\.0\.2\.80$/m);
  assert.match(zone, /^a-web\s+IN TXT\s+"heritage=external-dns,external-dns\/owner=cli-test,external-dns\/resource=service\/default\/web"$/m);
  execFileSync('named-checkzone', ['example.org', ws.zoneFile]);
  for (let i = 0; i < 5; i++) {
    const again = await extdns([...flags(ws), '--once']);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /All records are already up to date/);
  }
  assert.equal(readFileSync(ws.zoneFile, 'utf8'), zone, 'converged syncs must not rewrite the zone');
  rmSync(ws.dir, { recursive: true });
});

test('extdns plan exits 2 with changes due (table and JSON), 0 when there are none, and writes nothing', async () => {
  const ws = workspace();
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', '192.0.2.80'));
  const table = await extdns(['plan', ...flags(ws)]);
  assert.equal(table.code, 2, table.stderr);
  assert.match(table.stdout, /create\s+web\.example\.org\s+A\s+192\.0\.2\.80/);
  const json = await extdns(['plan', ...flags(ws), '--output=json']);
  assert.equal(json.code, 2);
  const changes = JSON.parse(json.stdout) as { create: { dnsName: string; recordType: string; targets: string[] }[]; delete?: unknown };
  assert.deepEqual(changes.create.map((e) => [e.dnsName, e.recordType, e.targets]), [['web.example.org', 'A', ['192.0.2.80']]]);
  assert.equal(changes.delete, undefined, 'empty lists are omitted as in the webhook Changes JSON');
  assert.equal(readFileSync(ws.zoneFile, 'utf8'), SOA);
  assert.equal((await extdns([...flags(ws), '--once'])).code, 0);
  const none = await extdns(['plan', ...flags(ws)]);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /No changes/);
  rmSync(ws.dir, { recursive: true });
});

test('a zone populated by ExternalDNS with the same owner id is taken over with zero changes', async () => {
  const written = `${SOA}web IN A 192.0.2.80
a-web IN TXT "heritage=external-dns,external-dns/owner=takeover,external-dns/resource=service/default/web"
`;
  const ws = workspace(written);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', '192.0.2.80'));
  const plan = await extdns(['plan', ...flags(ws, 'takeover'), '--output=json']);
  assert.equal(plan.code, 0, `${plan.stdout}\n${plan.stderr}`);
  assert.equal((await extdns([...flags(ws, 'takeover'), '--once'])).code, 0);
  assert.equal(readFileSync(ws.zoneFile, 'utf8'), written, 'taking over must not touch a byte');
  rmSync(ws.dir, { recursive: true });
});

test('a pre-v0.12 zone (old-format TXT only) gains the new-format TXT and nothing else changes', async () => {
  const written = `${SOA}old IN A 192.0.2.81
old IN TXT "heritage=external-dns,external-dns/owner=takeover,external-dns/resource=service/default/old"
`;
  const ws = workspace(written);
  writeFileSync(join(ws.manifests, 'old.yaml'), SERVICE('old', '192.0.2.81'));
  assert.equal((await extdns([...flags(ws, 'takeover'), '--once'])).code, 0);
  const now = readFileSync(ws.zoneFile, 'utf8');
  assert.match(now, /^old\s+IN A\s+192\.0\.2\.81$/m);
  assert.match(now, /^old\s+IN TXT\s+"heritage=external-dns,external-dns\/owner=takeover/m, 'the old TXT is kept (safe rollback)');
  assert.match(now, /^a-old\s+IN TXT\s+"heritage=external-dns,external-dns\/owner=takeover,external-dns\/resource=service\/default\/old"$/m);
  const again = await extdns(['plan', ...flags(ws, 'takeover')]);
  assert.equal(again.code, 0, again.stdout);
  rmSync(ws.dir, { recursive: true });
});

test('removing a manifest deletes its record and TXT; records of another owner and unowned ones stay', async () => {
  const zone = `${SOA}shop IN A 192.0.2.20
a-shop IN TXT "heritage=external-dns,external-dns/owner=someone-else,external-dns/resource=service/default/shop"
legacy IN A 192.0.2.10
`;
  const ws = workspace(zone);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', '192.0.2.80'));
  writeFileSync(join(ws.manifests, 'shop.yaml'), SERVICE('shop', '192.0.2.99'));
  assert.equal((await extdns([...flags(ws), '--once'])).code, 0);
  let now = readFileSync(ws.zoneFile, 'utf8');
  assert.match(now, /^shop\s+IN A\s+192\.0\.2\.20$/m, 'another owner\'s record is not updated');
  assert.doesNotMatch(now, /192\.0\.2\.99/);
  rmSync(join(ws.manifests, 'web.yaml'));
  rmSync(join(ws.manifests, 'shop.yaml'));
  assert.equal((await extdns([...flags(ws), '--once'])).code, 0);
  now = readFileSync(ws.zoneFile, 'utf8');
  assert.doesNotMatch(now, /^(a-)?web\s/m);
  assert.match(now, /^shop\s+IN A\s+192\.0\.2\.20$/m);
  assert.match(now, /^a-shop\s+IN TXT/m);
  assert.match(now, /^legacy\s+IN A\s+192\.0\.2\.10$/m);
  rmSync(ws.dir, { recursive: true });
});

test('bad input: a clear error, exit 1, and nothing written', async (t) => {
  const ws = workspace();
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', '192.0.2.80'));
  await t.test('unknown flag', async () => {
    const r = await extdns([...flags(ws), '--txt-owner=x', '--once']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /EXTDNS_CONFIG_UNKNOWN_FLAG/);
    assert.match(r.stderr, /--txt-owner-id/, 'suggests the closest flag');
  });
  await t.test('missing --policy', async () => {
    const r = await extdns(flags(ws).filter((f) => !f.startsWith('--policy')));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--policy/);
  });
  await t.test('malformed manifest', async () => {
    writeFileSync(join(ws.manifests, 'broken.yaml'), 'kind: Service\nmetadata: [unclosed\n');
    const r = await extdns([...flags(ws), '--once']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.yaml/);
    rmSync(join(ws.manifests, 'broken.yaml'));
  });
  await t.test('zone file with a syntax error', async () => {
    writeFileSync(ws.zoneFile, `${SOA}bad IN A not-an-address\n`);
    const r = await extdns([...flags(ws), '--once']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /example\.org\.zone:\d+/);
    assert.equal(readFileSync(ws.zoneFile, 'utf8'), `${SOA}bad IN A not-an-address\n`);
  });
  assert.match(readFileSync(ws.zoneFile, 'utf8'), /not-an-address/);
  rmSync(ws.dir, { recursive: true });
});

test('an invalid TTL annotation is reported and the object\'s record still comes out', async () => {
  const ws = workspace();
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', '192.0.2.80').replace(
    'external-dns.kubernetes.io/hostname: web.example.org',
    'external-dns.kubernetes.io/hostname: web.example.org\n    external-dns.kubernetes.io/ttl: "abc"'));
  const r = await extdns([...flags(ws), '--once']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /level=warning.*ttl/);
  assert.match(readFileSync(ws.zoneFile, 'utf8'), /^web\s+IN A\s+192\.0\.2\.80$/m);
  rmSync(ws.dir, { recursive: true });
});

test('secrets never reach the log', async () => {
  const ws = workspace();
  const r = await extdns([...flags(ws), '--once', '--txt-encrypt-enabled', '--txt-encrypt-aes-key=0123456789abcdef0123456789abcdef']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /0123456789abcdef/);
  assert.match(r.stderr, /txtEncryptAesKey="?\*\*\*\*\*/);
  rmSync(ws.dir, { recursive: true });
});

test('--help and --version answer without other flags', async () => {
  const help = await extdns(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--txt-owner-id/);
  const version = await extdns(['--version']);
  assert.match(version.stdout, /^extdns \d+\.\d+\.\d+/);
});

test('extdns plan --help lists plan\'s own flag and exit codes before the run-time flags; other commands have theirs', async () => {
  const help = await extdns(['plan', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: extdns plan /);
  assert.match(help.stdout, /Flags of extdns plan:\n {2}--output=FORMAT +table \(default\)[^\n]*json/);
  assert.match(help.stdout, /Exit codes:\n {2}0 +nothing would change\n {2}1 +error[^\n]*\n {2}2 +changes are due/);
  assert.ok(help.stdout.indexOf('Exit codes:') < help.stdout.indexOf('--txt-owner-id'), 'then the run-time flags');
  assert.match((await extdns(['doctor', '--help'])).stdout, /--endpoint=URL/);
  assert.doesNotMatch((await extdns(['--help'])).stdout, /Exit codes:/, 'the controller help is unchanged');
});

test('--policy=sync with the default owner id runs, with a loud warning', async () => {
  const ws = workspace();
  const args = [`--source=manifest`, `--manifest-path=${ws.manifests}`, '--provider=zonefile', `--zonefile-dir=${ws.zones}`, '--policy=sync', '--once'];
  const r = await extdns(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /level=warning.*default/);
  const quiet = await extdns([...args, '--allow-default-owner-sync']);
  assert.doesNotMatch(quiet.stderr, /level=warning.*owner/);
  rmSync(ws.dir, { recursive: true });
});
