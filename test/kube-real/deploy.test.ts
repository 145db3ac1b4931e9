/**
 * deploy/ against a real kube-apiserver (test/support/real-kube): every
 * overlay is accepted by `kubectl apply -k` (the real schema validation of the
 * CRD, RBAC, Deployment, PDB and ServiceAccount), the DNSEndpoint CRD becomes
 * Established, and the deployed ServiceAccount has what the sources need and
 * nothing more (`kubectl auth can-i --as=system:serviceaccount:…`).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SOURCE_RULES } from '../../src/source/rbac.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { makeZoneDir } from '../support/zonefile.ts';
import { recordLine, startExtdns, zoneText, ZONE } from '../kube/extdns-run.ts';
import { applyGatewayApiCrds } from '../support/real-kube/deployed.ts';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');
const OVERLAYS = ['overlays/ha', 'overlays/private-ca', 'overlays/govcloud'] as const;
const SA = 'system:serviceaccount:extdns:extdns';
const skip = realKubeUnavailable();

let kube: RealKube;
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  await kube.kubectl(['create', 'namespace', 'extdns']);
  // The route sources' resources must exist for `kubectl auth can-i` to resolve them.
  await applyGatewayApiCrds(kube);
});
after(async () => {
  await kube?.close();
});

async function canI(verb: string, resource: string, namespace = 'default'): Promise<boolean> {
  const r = await kube.kubectlResult(['auth', 'can-i', verb, resource, `--as=${SA}`, '-n', namespace]);
  const answer = r.stdout.trim();
  if (answer !== 'yes' && answer !== 'no') throw new Error(`kubectl auth can-i ${verb} ${resource}: ${r.stdout}${r.stderr}`);
  return answer === 'yes';
}

test('kubectl apply -k of the base and of every overlay is accepted; the DNSEndpoint CRD is Established', { skip }, async () => {
  const base = await kube.kubectl(['apply', '-k', join(DEPLOY, 'base')]);
  assert.match(base, /customresourcedefinition\.apiextensions\.k8s\.io\/dnsendpoints\.externaldns\.k8s\.io (created|configured|unchanged)/);
  for (const overlay of OVERLAYS) {
    const out = await kube.kubectl(['apply', '-k', join(DEPLOY, overlay)]);
    assert.match(out, /deployment\.apps\/extdns (created|configured|unchanged)/, overlay);
    assert.match(out, /serviceaccount\/extdns (created|configured|unchanged)/, overlay);
    assert.match(out, /clusterrolebinding\.rbac\.authorization\.k8s\.io\/extdns-viewer (created|configured|unchanged)/, overlay);
  }
  await kube.kubectl(['wait', '--for=condition=Established', 'crd/dnsendpoints.externaldns.k8s.io', '--timeout=60s']);
  // What the server stored is what the overlays asked for (the last one applied wins for the Deployment).
  const pdb = JSON.parse(await kube.kubectl(['get', 'pdb', 'extdns', '-n', 'extdns', '-o', 'json'])) as { spec: { maxUnavailable: number } };
  assert.equal(pdb.spec.maxUnavailable, 1);
  const deployment = JSON.parse(await kube.kubectl(['get', 'deployment', 'extdns', '-n', 'extdns', '-o', 'json'])) as {
    spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } };
  };
  assert.equal(deployment.spec.template.spec.serviceAccountName, 'extdns');
  assert.ok(deployment.spec.template.spec.containers[0]!.args.includes('--tls-ca=/etc/extdns/trusted-ca/ca.crt'));
  // A DNSEndpoint that breaks the CRD's schema is refused by the server, one that follows it is stored.
  const bad = await kube.kubectlResult(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'bad', namespace: 'default' },
    spec: { endpoints: [{ dnsName: 'x.example.org', recordTTL: 'sixty', targets: ['192.0.2.1'] }] },
  }));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /recordTTL/);
  await kube.kubectl(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'good', namespace: 'default' },
    spec: { endpoints: [{ dnsName: 'x.example.org', recordType: 'A', recordTTL: 60, targets: ['192.0.2.1'] }] },
  }));
});

test('least privilege: the ServiceAccount may read what the sources read and write DNSEndpoint status, nothing else', { skip }, async () => {
  // Every verb of every rule the sources need is granted (cluster-wide)…
  for (const rule of SOURCE_RULES) {
    // ListenerSets (--gateway-listener-sets) are in no channel of the Gateway API release applied here: can-i cannot resolve them.
    for (const resource of rule.resources.filter((r) => r !== 'listenersets')) {
      const group = rule.apiGroups.find((g) => g !== 'extensions') ?? '';
      const [plural, sub] = resource.split('/');
      const args = [`${plural}${group === '' ? '' : `.${group}`}`, ...(sub === undefined ? [] : [`--subresource=${sub}`])];
      for (const verb of rule.verbs) {
        const r = await kube.kubectlResult(['auth', 'can-i', verb, ...args, `--as=${SA}`, '--all-namespaces']);
        assert.equal(r.stdout.trim(), 'yes', `${verb} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      }
    }
  }
  // …and leases only in its own namespace (the ha overlay's Role).
  assert.equal(await canI('update', 'leases.coordination.k8s.io', 'extdns'), true);
  assert.equal(await canI('update', 'leases.coordination.k8s.io', 'kube-system'), false);
  // Nothing else: no Secrets, no ConfigMaps, no writes to the objects it reads.
  for (const verb of ['get', 'list', 'watch']) assert.equal(await canI(verb, 'secrets'), false, `${verb} secrets`);
  assert.equal(await canI('list', 'configmaps'), false);
  for (const resource of ['services', 'ingresses.networking.k8s.io', 'pods', 'nodes', 'dnsendpoints.externaldns.k8s.io', 'httproutes.gateway.networking.k8s.io']) {
    for (const verb of ['create', 'update', 'patch', 'delete']) assert.equal(await canI(verb, resource), false, `${verb} ${resource}`);
  }
  // Events only with deploy/components/events (for --events-emit); see test/kube-real/sources.test.ts.
  assert.equal(await canI('create', 'events.events.k8s.io'), false);
  assert.equal(await canI('create', 'serviceaccounts/token'), false);
  assert.equal(await canI('impersonate', 'users'), false);
  assert.equal(await canI('*', '*'), false);
});

/** What every authenticated user may do (the API server's bootstrap roles system:basic-user and system:discovery). */
const EVERYONE = new Set(['selfsubjectreviews.authentication.k8s.io', 'selfsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectrulesreviews.authorization.k8s.io']);

test('nothing more: every rule `kubectl auth can-i --list` shows for the ServiceAccount is one the sources or the Lease Role need', { skip }, async () => {
  const granted = new Map<string, Set<string>>();
  for (const rule of SOURCE_RULES) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const key = group === '' ? resource : `${resource.split('/')[0]}.${group}${resource.includes('/') ? `/${resource.split('/')[1]}` : ''}`;
        granted.set(key, new Set([...(granted.get(key) ?? []), ...rule.verbs]));
      }
    }
  }
  const lease = new Set(['get', 'list', 'watch', 'create', 'update', 'patch']);
  for (const namespace of ['default', 'extdns']) {
    const out = await kube.kubectl(['auth', 'can-i', '--list', `--as=${SA}`, '-n', namespace]);
    const rows = out.split('\n').slice(1).map((l) => l.trim().split(/\s{2,}/)).filter((cols) => cols.length >= 4 && cols[0] !== '');
    assert.ok(rows.length > 10, out);
    for (const [resource, , names, verbsText] of rows) {
      const verbs = (verbsText ?? '').replace(/^\[|\]$/g, '').split(' ').filter((v) => v !== '');
      if (EVERYONE.has(resource!)) continue;
      assert.equal(names, '[]', `${resource} is limited to names ${names}`);
      const allowed = resource === 'leases.coordination.k8s.io' && namespace === 'extdns' ? lease : granted.get(resource!);
      assert.ok(allowed !== undefined, `-n ${namespace}: ${resource} ${verbsText} is granted but no source needs it`);
      for (const verb of verbs) assert.ok(allowed.has(verb), `-n ${namespace}: ${verb} ${resource} is granted but no source needs it`);
    }
  }
});

test('without deploy/components/events, --events-emit is refused by the real RBAC: the sync succeeds and one warning names the rule', { skip }, async () => {
  await kube.kubectl(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'ev', namespace: 'default' },
    spec: { endpoints: [{ dnsName: `ev.${ZONE}`, recordType: 'A', targets: ['192.0.2.7'] }, { dnsName: `ev2.${ZONE}`, recordType: 'A', targets: ['192.0.2.8'] }] },
  }));
  const kubeconfig = await kube.tokenKubeconfig(await kube.serviceAccountToken('extdns', 'extdns'), 'no-events');
  const zones = await makeZoneDir([ZONE]);
  try {
    // The run's FakeClock does not advance during --once, so the client's token bucket never refills: a burst
    // above the run's request count (lists, the DNSEndpoint status and conditions, event UIDs and creates) keeps
    // the second event from waiting on it until its 10 s real-time limit.
    const once = startExtdns([`--kubeconfig=${kubeconfig}`, '--provider=zonefile', `--zonefile-dir=${zones.dir}`, `--domain-filter=${ZONE}`,
      '--txt-owner-id=e2e', '--policy=sync', '--source=crd', '--once', '--events-emit=RecordReady', '--metrics-address=127.0.0.1:0', '--kube-api-burst=100']);
    assert.equal(await once.done, 0, once.log.text());
    assert.match(await zoneText(zones), recordLine('ev', 'A', '192.0.2.7'));
    const warnings = once.log.lines(/Could not create a Kubernetes event/);
    assert.equal(warnings.length, 1, once.log.text());
    assert.match(warnings[0]!, /403 Forbidden/);
    assert.match(warnings[0]!, /apiGroups: \[\\?"events\.k8s\.io\\?"\], resources: \[\\?"events\\?"\], verbs: \[\\?"create\\?"\]/);
    const events = JSON.parse(await kube.kubectl(['get', 'events.events.k8s.io', '-n', 'default', '-o', 'json'])) as { items: { reason: string }[] };
    assert.equal(events.items.filter((e) => e.reason === 'RecordReady').length, 0);
  } finally {
    await zones.cleanup();
  }
});
