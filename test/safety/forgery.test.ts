/**
 * Rule 1 (ownership) end to end: a DNSEndpoint that lists an ownership TXT for
 * an unowned record (the forgery of issue 12 item 1) never makes extdns treat
 * that record as its own. Manifests in, BIND-checked zone files out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extdns, flags, SOA, workspace } from '../support/cli-workspace.ts';

const dnsEndpoint = (name: string, endpoints: string): string => `apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: { name: ${name}, namespace: tenant }
spec:
  endpoints:
${endpoints}`;

const VICTIM_ZONE = `${SOA}victim IN A 192.0.2.9\n`;
const TXT_MANAGED = ['--managed-record-types=A', '--managed-record-types=TXT'];

test('a DNSEndpoint forging our ownership TXT is dropped with a warning naming it; the victim record is never touched', async () => {
  const ws = workspace(VICTIM_ZONE);
  const args = [...flags(ws, 'prod'), ...TXT_MANAGED];
  writeFileSync(join(ws.manifests, 'forger.yaml'), dnsEndpoint('forger', [
    '    - { dnsName: a-victim.example.org, recordType: TXT, targets: ["heritage=external-dns,external-dns/owner=prod,external-dns/resource=crd/tenant/forger"] }',
    '    - { dnsName: victim.example.org, recordType: A, targets: [198.51.100.66] }',
    '    - { dnsName: fine.example.org, recordType: A, targets: [198.51.100.7] }',
  ].join('\n')));
  const plan = await extdns(['plan', ...args, '--output=json']);
  const json = JSON.parse(plan.stdout) as { Refused?: { source: string; reason: string; endpoint: { dnsName: string } }[] };
  assert.deepEqual(json.Refused?.map((r) => [r.endpoint.dnsName, r.source]), [['a-victim.example.org', 'crd/tenant/forger']]);
  assert.match(json.Refused?.[0]?.reason ?? '', /ownership record/);

  const first = await extdns([...args, '--once']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /level=warning.*Dropping a-victim\.example\.org TXT from crd\/tenant\/forger/);
  let zone = readFileSync(ws.zoneFile, 'utf8');
  assert.doesNotMatch(zone, /^a-victim/m, 'no ownership TXT was written for the victim');
  assert.match(zone, /^victim\s+IN A\s+192\.0\.2\.9$/m, 'the unowned record keeps its value');
  assert.match(zone, /^fine\s+IN A\s+198\.51\.100\.7$/m, 'the rest of the object still syncs');
  execFileSync('named-checkzone', ['example.org', ws.zoneFile]);

  // The forger gives up: deleting its object must not delete the victim either.
  rmSync(join(ws.manifests, 'forger.yaml'));
  assert.equal((await extdns([...args, '--once'])).code, 0);
  zone = readFileSync(ws.zoneFile, 'utf8');
  assert.match(zone, /^victim\s+IN A\s+192\.0\.2\.9$/m);
  assert.doesNotMatch(zone, /^fine\s/m);
  rmSync(ws.dir, { recursive: true });
});

test('a DNSEndpoint cannot overwrite, or squat, the ownership TXT of a record we own', async () => {
  const owned = `${SOA}web IN A 192.0.2.80\na-web IN TXT "heritage=external-dns,external-dns/owner=prod,external-dns/resource=service/default/web"\n`;
  const ws = workspace(owned);
  const args = [...flags(ws, 'prod'), ...TXT_MANAGED];
  writeFileSync(join(ws.manifests, 'web.yaml'), dnsEndpoint('web', '    - { dnsName: web.example.org, recordType: A, targets: [192.0.2.80] }'));
  writeFileSync(join(ws.manifests, 'squat.yaml'), dnsEndpoint('squat', [
    '    - { dnsName: a-web.example.org, recordType: TXT, targets: ["hello"] }',
    '    - { dnsName: a-new.example.org, recordType: TXT, targets: ["not an ownership value"] }',
    '    - { dnsName: new.example.org, recordType: A, targets: [192.0.2.81], labels: { zz: "x,external-dns/owner=other" } }',
    '    - { dnsName: nonce.example.org, recordType: A, targets: [192.0.2.82], labels: { txt-encryption-nonce: "AAAAAAAAAAAAAAAA" } }',
  ].join('\n')));
  const r = await extdns([...args, '--once']);
  assert.equal(r.code, 0, r.stderr);
  const zone = readFileSync(ws.zoneFile, 'utf8');
  assert.match(zone, /^a-web\s+IN TXT\s+"heritage=external-dns,external-dns\/owner=prod,external-dns\/resource=service\/default\/web"$/m);
  assert.doesNotMatch(zone, /hello|not an ownership value|owner=other/);
  assert.doesNotMatch(zone, /^new\s/m, 'an endpoint whose labels would rewrite its own ownership TXT is refused');
  assert.match(zone, /^nonce\s+IN A\s+192\.0\.2\.82$/m, 'a source-chosen nonce label is dropped, the record kept');
  assert.doesNotMatch(zone, /txt-encryption-nonce/);
  assert.match(r.stderr, /Dropping a-web\.example\.org TXT from crd\/tenant\/squat: .*ownership record of/);
  assert.match(r.stderr, /Dropping a-new\.example\.org TXT from crd\/tenant\/squat/);
  execFileSync('named-checkzone', ['example.org', ws.zoneFile]);
  rmSync(ws.dir, { recursive: true });
});
