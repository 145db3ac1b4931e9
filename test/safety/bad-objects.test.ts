/**
 * Rule "one bad object cannot stop the controller" end to end (issue 12 items
 * 3 and 4): endpoints the zone-file provider cannot hold are dropped before
 * the plan with a warning naming their object; everything else is written,
 * `extdns plan` shows the same refusals, and the loop keeps running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extdns, flags, SOA, workspace } from '../support/cli-workspace.ts';

const BAD_OBJECT = Buffer.concat([Buffer.from(`apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: { name: bad, namespace: tenant }
spec:
  endpoints:
    - { dnsName: good.example.org, recordType: A, targets: [192.0.2.1] }
    - { dnsName: "b\u00fccher.example.org", recordType: A, targets: [192.0.2.2] }
    - { dnsName: -dash.example.org, recordType: A, targets: [192.0.2.3] }
    - { dnsName: "new\\nline.example.org", recordType: A, targets: [192.0.2.4] }
    - { dnsName: ${'l'.repeat(60)}.example.org, recordType: CNAME, targets: [good.example.org] }
    - { dnsName: garbled.example.org, recordType: A, targets: [192.0.2.6] }
    - { dnsName: big.example.org, recordType: TXT, targets: ["${'x'.repeat(70_000)}"] }
    - { dnsName: "`), Buffer.from([0x62, 0xff, 0x61, 0x64]), Buffer.from(`.example.org", recordType: A, targets: [192.0.2.7] }
`)]);

const ZONE = `${SOA}a-garbled IN TXT "not an ownership record"\n`;
const ARGS = ['--managed-record-types=A', '--managed-record-types=CNAME', '--managed-record-types=TXT'];

const REFUSED = [
  ['-dash.example.org', /starts or ends with '-'/],
  ['"new\\nline.example.org"', /U\+000A/],
  [`${'l'.repeat(60)}.example.org`, /ownership TXT would be named cname-l+\.example\.org.*63/],
  ['garbled.example.org', /holds a TXT that is not an ownership record/],
  ['big.example.org', /TXT value of 70000 bytes/],
  ['"b\\ufffdad.example.org"', /not valid UTF-8/],
] as const;

test('bad endpoints are dropped with a warning naming the object; the good ones and the A-label of an IDN name are written', async () => {
  const ws = workspace(ZONE);
  writeFileSync(join(ws.manifests, 'bad.yaml'), BAD_OBJECT);
  const args = [...flags(ws), ...ARGS];

  const plan = await extdns(['plan', ...args]);
  assert.equal(plan.code, 2, plan.stderr);
  assert.match(plan.stdout, /create\s+good\.example\.org\s+A/);
  assert.match(plan.stdout, /create\s+xn--bcher-kva\.example\.org\s+A/, 'plan shows the name apply writes');
  for (const [name, reason] of REFUSED) {
    const line = plan.stdout.split('\n').find((l) => l.startsWith(`  ${name} `));
    assert.ok(line !== undefined, `plan lists ${name} as refused:\n${plan.stdout}`);
    assert.match(line, /\(from crd\/tenant\/bad\)/);
    assert.match(line, reason);
  }
  const json = JSON.parse((await extdns(['plan', ...args, '--output=json'])).stdout) as { Refused: { reason: string }[] };
  assert.equal(json.Refused.length, REFUSED.length);

  const run = await extdns([...args, '--once']);
  assert.equal(run.code, 0, run.stderr);
  const zone = readFileSync(ws.zoneFile, 'utf8');
  assert.match(zone, /^good\s+IN A\s+192\.0\.2\.1$/m);
  assert.match(zone, /^xn--bcher-kva\s+IN A\s+192\.0\.2\.2$/m);
  assert.match(zone, /^a-xn--bcher-kva\s+IN TXT/m);
  assert.match(zone, /^a-garbled\s+IN TXT\s+"not an ownership record"$/m, 'the garbled TXT is left as it is');
  for (const ip of ['192.0.2.3', '192.0.2.4', '192.0.2.6', '192.0.2.7']) assert.doesNotMatch(zone, new RegExp(ip.replaceAll('.', '\\.')));
  assert.equal((run.stderr.match(/level=warning msg="Dropping .* from crd\/tenant\/bad/g) ?? []).length, REFUSED.length, run.stderr);
  execFileSync('named-checkzone', ['example.org', ws.zoneFile]);

  const again = await extdns(['plan', ...args]);
  assert.equal(again.code, 0, 'converged: the refused endpoints do not show up as changes');
  rmSync(ws.dir, { recursive: true });
});

test('in loop mode a sync full of bad endpoints neither stops the controller nor blocks the good records', async () => {
  const ws = workspace(ZONE);
  writeFileSync(join(ws.manifests, 'bad.yaml'), BAD_OBJECT);
  const stop = new AbortController();
  const running = extdns([...flags(ws), ...ARGS, '--interval=1h', '--metrics-address=127.0.0.1:0'], stop.signal);
  for (let i = 0; i < 600 && !/^good\s/m.test(readFileSync(ws.zoneFile, 'utf8')); i++) await new Promise((r) => setTimeout(r, 50));
  stop.abort();
  const r = await running;
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(ws.zoneFile, 'utf8'), /^good\s+IN A\s+192\.0\.2\.1$/m);
  assert.doesNotMatch(r.stderr, /level=(error|fatal)/);
  rmSync(ws.dir, { recursive: true });
});
