/**
 * `extdns explain NAME`, end to end in-process: manifests in, zone files as
 * the provider, the real parser, sources, TXT registry and planner; the
 * answer for a name to create, one up to date, one another owner holds, one
 * a filter drops, one out of the domain filter, one nobody asks for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { SERVICE, workspace } from '../metrics/support.ts';
import type { Explanation } from '../../src/explain/explain.ts';

const quiet = ['--log-level=error'];

async function explainJson(name: string, flags: readonly string[]): Promise<{ code: number; e: Explanation }> {
  const r = await runExtdnsInProcess(['explain', name, ...flags, ...quiet, '--output=json'], {});
  assert.notEqual(r.code, 1, r.out);
  return { code: r.code, e: JSON.parse(r.out) as Explanation };
}

test('a name a Service asks for: the object and its annotation, create (exit 2); after a sync: up to date and ours (exit 0)', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  const before = await runExtdnsInProcess(['explain', 'web.example.org.', ...ws.flags(), ...quiet], {});
  assert.equal(before.code, 2, before.out);
  assert.match(before.out, /^SOURCES\n {2}service\/default\/web +A +192\.0\.2\.80 +kept +from annotation external-dns\.kubernetes\.io\/hostname$/m);
  assert.match(before.out, /^ {2}domain filter +keeps +--domain-filter=example\.org$/m);
  assert.match(before.out, /^PROVIDER\n {2}holds nothing for this name$/m);
  assert.match(before.out, /^DECISION\n {2}create +A +a source asks for 192\.0\.2\.80/m);
  assert.equal((await runExtdnsInProcess([...ws.flags(), '--once', ...quiet], {})).code, 0);
  const { code, e } = await explainJson('WEB.example.org', ws.flags());
  assert.equal(code, 0);
  assert.deepEqual(e.provider, [{ recordType: 'A', targets: ['192.0.2.80'], ownedBy: 'this', owner: 'metrics-test' }]);
  assert.deepEqual(e.decisions, [{ recordType: 'A', action: 'none', why: 'up to date: the provider holds 192.0.2.80, owned by this owner id' }]);
  assert.deepEqual(e.hints, []);
});

test('another owner holds the name: named, left alone, and the way to take it over', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  assert.equal((await runExtdnsInProcess([...ws.flags('team-a'), '--once', ...quiet], {})).code, 0);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.99'));
  const r = await runExtdnsInProcess(['explain', 'web.example.org', ...ws.flags('team-b'), ...quiet], {});
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^ {2}A +192\.0\.2\.80 +owned by another owner id: team-a$/m);
  assert.match(r.out, /^DECISION\n {2}(skip|none) +A +not touched: (the owner id "team-a" holds the name|owned by "team-a")/m);
  assert.match(r.out, /--migrate-from-txt-owner=team-a/);
});

test('a filter drops it: the annotation filter names the object it drops; a sync would delete our record', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  assert.equal((await runExtdnsInProcess([...ws.flags(), '--once', ...quiet], {})).code, 0);
  const { code, e } = await explainJson('web.example.org', [...ws.flags(), '--annotation-filter=team=payments']);
  assert.equal(code, 2, 'the plan deletes it');
  assert.deepEqual(e.sources.map((s) => [s.object, s.kept]), [['service/default/web', false]]);
  assert.deepEqual(e.filters.find((f) => f.filter === '--annotation-filter')?.verdict, 'drops');
  assert.deepEqual(e.decisions.map((d) => d.action), ['delete']);
  assert.ok(e.hints.some((h) => h.includes('--annotation-filter')), e.hints.join('\n'));
  const kept = await explainJson('web.example.org', [...ws.flags().filter((f) => f !== '--policy=sync'), '--annotation-filter=team=payments', '--policy=upsert-only']);
  assert.equal(kept.code, 0);
  assert.match(kept.e.decisions[0]?.why ?? '', /--policy=upsert-only never deletes/);
});

test('out of the domain filter, a name nobody asks for, --help, and a missing NAME', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'web.yaml'), SERVICE('web', 'web.elsewhere.net', '192.0.2.80'));
  const out = await explainJson('web.elsewhere.net', ws.flags());
  assert.equal(out.code, 0);
  assert.equal(out.e.filters[0]?.verdict, 'drops');
  assert.match(out.e.decisions[0]?.why ?? '', /outside the domain filter/);
  assert.ok(out.e.hints.some((h) => h.includes('--domain-filter')));
  const none = await runExtdnsInProcess(['explain', 'ghost.example.org', ...ws.flags(), ...quiet], {});
  assert.equal(none.code, 0);
  assert.match(none.out, /no source object asks for this name/);
  assert.match(none.out, /No source asks for ghost\.example\.org/);
  const help = await runExtdnsInProcess(['explain', '--help'], {});
  assert.equal(help.code, 0);
  assert.match(help.out, /^usage: extdns explain NAME/);
  assert.match(help.out, /Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
  const missing = await runExtdnsInProcess(['explain', ...ws.flags()], {});
  assert.equal(missing.code, 1);
  assert.match(missing.out, /extdns explain needs the DNS name first/);
});

/** Gateway gw with these listeners (YAML flow maps) and this address. */
function gateway(listeners: readonly string[], address: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec:
  gatewayClassName: example
  listeners:
${listeners.map((l) => `    - { ${l} }`).join('\n')}
status: { addresses: [{ type: IPAddress, value: ${address} }] }`;
}

/** A Gateway API route attached to listener `section` of Gateway gw, accepted by it (as YAML). */
function acceptedRoute(r: { kind: string; name: string; section: string; hostnames?: string; annotation?: string; alpha?: boolean }): string {
  const annotations = r.annotation === undefined ? '' : `, annotations: { ${r.annotation} }`;
  return `apiVersion: gateway.networking.k8s.io/${r.alpha === true ? 'v1alpha2' : 'v1'}
kind: ${r.kind}
metadata: { name: ${r.name}, namespace: default${annotations} }
spec: { parentRefs: [{ name: gw, sectionName: ${r.section} }]${r.hostnames === undefined ? '' : `, hostnames: ${r.hostnames}`} }
status: { parents: [{ parentRef: { name: gw, sectionName: ${r.section} }, controllerName: example.net/gw, conditions: [{ type: Accepted, status: "True" }] }] }`;
}

const PER_KIND = `apiVersion: v1
kind: Service
metadata:
  name: alpha
  namespace: default
  annotations: { external-dns.alpha.kubernetes.io/hostname: alpha.example.org }
spec: { type: LoadBalancer }
status: { loadBalancer: { ingress: [{ ip: 192.0.2.1 }] } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: default }
spec:
  rules: [{ host: shop.example.org }]
  tls: [{ hosts: [shop.example.org] }, { hosts: [other.example.org, secure.example.org] }]
status: { loadBalancer: { ingress: [{ ip: 192.0.2.2 }] } }
---
${gateway(['name: wild, protocol: HTTP, port: 80, hostname: "*.example.org"', 'name: named, protocol: HTTP, port: 8080, hostname: gw.example.org',
    'name: deep, protocol: HTTP, port: 8081, hostname: deep.example.org'], '192.0.2.3')}
---
${acceptedRoute({ kind: 'HTTPRoute', name: 'web', section: 'wild', hostnames: '[web.example.com, web.example.org]' })}
---
${acceptedRoute({ kind: 'HTTPRoute', name: 'bare', section: 'named' })}
---
${acceptedRoute({ kind: 'HTTPRoute', name: 'wide', section: 'deep', hostnames: '["*.example.org"]' })}
---
apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: { name: records, namespace: default }
spec:
  endpoints:
    - { dnsName: first.example.org, recordType: A, targets: [192.0.2.4] }
    - { dnsName: crd.example.org, recordType: A, targets: [192.0.2.5] }
`;

test('each source kind names the exact annotation key, rule host, TLS host, route or listener hostname, or DNSEndpoint entry', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'objects.yaml'), PER_KIND);
  const rules = async (name: string): Promise<string[][]> => (await explainJson(name, ws.flags())).e.sources.map((s) => [s.object, s.rule]);
  assert.deepEqual(await rules('alpha.example.org'), [['service/default/alpha', 'annotation external-dns.alpha.kubernetes.io/hostname']]);
  // A host in a rule and in a TLS entry: one endpoint, the first field that names it; a host only in TLS: its place there.
  assert.deepEqual(await rules('shop.example.org'), [['ingress/default/shop', 'spec.rules[0].host']]);
  assert.deepEqual(await rules('secure.example.org'), [['ingress/default/shop', 'spec.tls[1].hosts[1]']]);
  assert.deepEqual(await rules('web.example.org'), [['httproute/default/web', 'spec.hostnames[1]']]);
  assert.deepEqual(await rules('gw.example.org'), [['httproute/default/bare', 'the Gateway listener hostname (the route has no spec.hostnames)']]);
  assert.deepEqual(await rules('deep.example.org'), [['httproute/default/wide', 'the Gateway listener hostname, within spec.hostnames[0] (*.example.org)']]);
  assert.deepEqual(await rules('crd.example.org'), [['crd/default/records', 'spec.endpoints[1]']]);
  const table = await runExtdnsInProcess(['explain', 'crd.example.org', ...ws.flags(), ...quiet], {});
  assert.match(table.out, /^SOURCES\n {2}crd\/default\/records +A +192\.0\.2\.5 +kept +from spec\.endpoints\[1\]$/m);
});

const PODS_AND_ROUTES = `apiVersion: v1
kind: Node
metadata: { name: node-1 }
status: { addresses: [{ type: ExternalIP, address: 198.51.100.1 }] }
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: default
  annotations:
    external-dns.alpha.kubernetes.io/internal-hostname: api-int.example.org
    external-dns.kubernetes.io/hostname: api.example.org
spec: { nodeName: node-1, hostNetwork: true }
status: { podIP: 10.0.0.7 }
---
${gateway(['name: grpc, protocol: HTTPS, port: 443, hostname: "*.example.org"', 'name: tls, protocol: TLS, port: 8443',
    'name: tcp, protocol: TCP, port: 5432', 'name: udp, protocol: UDP, port: 53'], '192.0.2.9')}
---
${acceptedRoute({ kind: 'GRPCRoute', name: 'rpc', section: 'grpc', hostnames: '[rpc.example.org]' })}
---
${acceptedRoute({ kind: 'TLSRoute', name: 'passthrough', section: 'tls', hostnames: '[other.example.org, tls.example.org]' })}
---
${acceptedRoute({ kind: 'TCPRoute', name: 'db', section: 'tcp', annotation: 'external-dns.alpha.kubernetes.io/hostname: db.example.org', alpha: true })}
---
${acceptedRoute({ kind: 'UDPRoute', name: 'dns', section: 'udp', annotation: 'external-dns.kubernetes.io/hostname: udp.example.org', alpha: true })}
`;

test('pods and the GRPC, TLS, TCP and UDP routes name their exact origin too', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'objects.yaml'), PODS_AND_ROUTES);
  const rules = async (name: string, extra: readonly string[] = []): Promise<string[][]> =>
    (await explainJson(name, [...ws.flags(), ...extra])).e.sources.map((s) => [s.object, s.rule, s.targets.join(',')]);
  // The annotation keys as written on the pod (one alpha, one not), each with its own targets.
  assert.deepEqual(await rules('api-int.example.org'), [['pod/default/api', 'annotation external-dns.alpha.kubernetes.io/internal-hostname', '10.0.0.7']]);
  assert.deepEqual(await rules('api.example.org'), [['pod/default/api', 'annotation external-dns.kubernetes.io/hostname', '198.51.100.1']]);
  assert.deepEqual(await rules('api.pods.example.org', ['--pod-source-domain=pods.example.org']),
    [['pod/default/api', 'metadata.name with --pod-source-domain=pods.example.org', '10.0.0.7']]);
  assert.deepEqual(await rules('api.tpl.example.org', ['--fqdn-template={{.Name}}.tpl.example.org']), [['pod/default/api', '--fqdn-template', '10.0.0.7']]);
  const kops = ['--compatibility=kops-dns-controller'];
  writeFileSync(join(ws.manifests, 'kops.yaml'), `apiVersion: v1
kind: Pod
metadata: { name: legacy, namespace: default, annotations: { dns.alpha.kubernetes.io/internal: "kops.example.org." } }
status: { podIP: 10.0.0.8 }
`);
  assert.deepEqual(await rules('kops.example.org', kops), [['pod/default/legacy', 'annotation dns.alpha.kubernetes.io/internal (--compatibility=kops-dns-controller)', '10.0.0.8']]);
  assert.deepEqual(await rules('rpc.example.org'), [['grpcroute/default/rpc', 'spec.hostnames[0]', '192.0.2.9']]);
  assert.deepEqual(await rules('tls.example.org'), [['tlsroute/default/passthrough', 'spec.hostnames[1]', '192.0.2.9']]);
  assert.deepEqual(await rules('db.example.org'), [['tcproute/default/db', 'annotation external-dns.alpha.kubernetes.io/hostname', '192.0.2.9']]);
  assert.deepEqual(await rules('udp.example.org'), [['udproute/default/dns', 'annotation external-dns.kubernetes.io/hostname', '192.0.2.9']]);
});
