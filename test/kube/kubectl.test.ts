/**
 * Faithfulness of the test API server, judged by the real client: Debian's
 * kubectl must create, get, list and delete against it with no error or
 * discovery warning, and print the API server's own NotFound and Forbidden
 * messages. It tests the test API server itself (the fault suites of
 * test/kube rely on its wire format), so it has no real-server counterpart:
 * kubectl and the real kube-apiserver are the reference it is judged by.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPki, type Pki } from '../support/pki.ts';
import { ALLOW_ALL, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const kubectlPath = await new Promise<string | undefined>((resolve) => {
  execFile('sh', ['-c', 'command -v kubectl'], (err, out) => { resolve(err === null ? out.trim() : undefined); });
});
const skip = kubectlPath === undefined ? 'kubectl is not installed on this machine (Debian package kubectl)' : false;

let pki: Pki;
let api: KubeApiServer;
let dir: string;
let adminConfig: string;
let viewerConfig: string;

function kubectl(config: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(kubectlPath ?? 'kubectl', ['--kubeconfig', config, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  if (skip !== false) return;
  pki = await createPki();
  api = await startKubeApiServer({
    pki,
    users: [
      { name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL },
      { name: 'system:serviceaccount:external-dns:external-dns', tokens: ['viewer-token'],
        rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'externaldns.k8s.io'], resources: ['services', 'dnsendpoints'] }] },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'extdns-kubectl-'));
  adminConfig = await api.kubeconfig('admin-token', dir, 'admin');
  viewerConfig = await api.kubeconfig('viewer-token', dir, 'viewer');
  await writeFile(join(dir, 'objects.yaml'), [
    'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  annotations:', '    external-dns.kubernetes.io/hostname: web.example.com',
    'spec:', '  type: LoadBalancer', '  ports: [{port: 80}]', '---',
    'apiVersion: externaldns.k8s.io/v1alpha1', 'kind: DNSEndpoint', 'metadata:', '  name: records', '  namespace: default', 'spec:', '  endpoints:',
    '  - {dnsName: a.example.com, recordType: A, targets: [192.0.2.1]}', '',
  ].join('\n'));
});

after(async () => {
  if (skip !== false) return;
  await api.close();
  await rm(dir, { recursive: true, force: true });
  await pki.cleanup();
});

test('kubectl creates, lists, gets and deletes through the test API server without warnings', { skip }, async () => {
  const created = await kubectl(adminConfig, 'create', '-f', join(dir, 'objects.yaml'));
  assert.equal(created.stderr, '');
  assert.equal(created.code, 0);
  assert.match(created.stdout, /service\/web created/);
  assert.match(created.stdout, /dnsendpoint\.externaldns\.k8s\.io\/records created/);

  const services = await kubectl(adminConfig, 'get', 'services', '-o', 'json');
  assert.equal(services.stderr, '');
  const list = JSON.parse(services.stdout) as { kind: string; items: { metadata: { name: string; uid: string; resourceVersion: string; annotations: Record<string, string> } }[] };
  assert.equal(list.kind, 'List');
  const web = list.items.find((i) => i.metadata.name === 'web');
  assert.ok(web !== undefined);
  assert.equal(web.metadata.annotations['external-dns.kubernetes.io/hostname'], 'web.example.com');
  assert.match(web.metadata.uid, /^[0-9a-f-]{36}$/);

  const endpoints = await kubectl(adminConfig, 'get', 'dnsendpoints');
  assert.equal(endpoints.stderr, '');
  assert.match(endpoints.stdout, /^NAME\s+AGE\nrecords\s+\d+s\n$/);

  const one = await kubectl(adminConfig, 'get', 'dnsendpoint', 'records', '-o', 'jsonpath={.spec.endpoints[0].targets[0]}');
  assert.equal(one.stdout, '192.0.2.1');

  const deleted = await kubectl(adminConfig, 'delete', '-f', join(dir, 'objects.yaml'));
  assert.equal(deleted.stderr, '');
  assert.equal(deleted.code, 0);
  assert.match(deleted.stdout, /service "web" deleted/);
  assert.equal(api.get('v1', 'Service', 'default', 'web'), undefined);
});

test('kubectl prints the API server NotFound message for a missing object', { skip }, async () => {
  const missing = await kubectl(adminConfig, 'get', 'service', 'nothing-here');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), 'Error from server (NotFound): services "nothing-here" not found');
  const crMissing = await kubectl(adminConfig, 'get', 'dnsendpoints', 'gone');
  assert.equal(crMissing.stderr.trim(), 'Error from server (NotFound): dnsendpoints.externaldns.k8s.io "gone" not found');
});

test('kubectl prints the Forbidden message for a verb outside the user rules', { skip }, async () => {
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'keep', namespace: 'default' }, spec: {} });
  const listed = await kubectl(viewerConfig, 'get', 'services');
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /keep/);
  const del = await kubectl(viewerConfig, 'delete', 'service', 'keep');
  assert.equal(del.code, 1);
  assert.equal(del.stderr.trim(),
    'Error from server (Forbidden): services "keep" is forbidden: User "system:serviceaccount:external-dns:external-dns" cannot delete resource "services" in API group "" in the namespace "default"');
  const nodes = await kubectl(viewerConfig, 'get', 'nodes');
  assert.match(nodes.stderr, /nodes is forbidden: User "system:serviceaccount:external-dns:external-dns" cannot list resource "nodes" in API group "" at the cluster scope/);
});

test('kubectl reads discovery: api-resources lists core, group and custom resources with short names', { skip }, async () => {
  const res = await kubectl(adminConfig, 'api-resources', '-o', 'name');
  assert.equal(res.stderr, '');
  for (const name of ['services', 'endpointslices.discovery.k8s.io', 'ingresses.networking.k8s.io', 'dnsendpoints.externaldns.k8s.io', 'httproutes.gateway.networking.k8s.io', 'tcproutes.gateway.networking.k8s.io', 'leases.coordination.k8s.io']) {
    assert.ok(res.stdout.split('\n').includes(name), `${name} missing from api-resources`);
  }
  const short = await kubectl(adminConfig, 'get', 'svc', '-A');
  assert.equal(short.code, 0);
});

test('kubectl apply (strategic merge on a second apply), label and a status patch behave as on a real cluster', { skip }, async () => {
  const file = join(dir, 'apply.yaml');
  const manifest = (port: number): string => ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: applied', 'spec:', `  ports: [{port: ${port}}]`, ''].join('\n');
  await writeFile(file, manifest(80));
  const first = await kubectl(adminConfig, 'apply', '-f', file);
  assert.equal(first.stderr, '');
  assert.match(first.stdout, /service\/applied created/);
  await writeFile(file, manifest(8080));
  const second = await kubectl(adminConfig, 'apply', '-f', file);
  assert.equal(second.stderr, '');
  assert.match(second.stdout, /service\/applied configured/);
  const svc = api.get('v1', 'Service', 'default', 'applied');
  assert.deepEqual((svc?.spec as { ports: unknown }).ports, [{ port: 8080 }]);
  assert.equal(svc?.metadata.generation, 2);

  const labelled = await kubectl(adminConfig, 'label', 'service', 'applied', 'team=dns');
  assert.equal(labelled.code, 0);
  assert.deepEqual(api.get('v1', 'Service', 'default', 'applied')?.metadata.labels, { team: 'dns' });
  assert.equal(api.get('v1', 'Service', 'default', 'applied')?.metadata.generation, 2, 'labels do not bump generation');

  api.create({ apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'st', namespace: 'default' }, spec: { endpoints: [] } });
  const status = await kubectl(adminConfig, 'patch', 'dnsendpoint', 'st', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"observedGeneration":1}}');
  assert.equal(status.stderr, '');
  assert.deepEqual(api.get('externaldns.k8s.io/v1alpha1', 'DNSEndpoint', 'default', 'st')?.status, { observedGeneration: 1 });
});
