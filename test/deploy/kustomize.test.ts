/**
 * deploy/ rendered offline with `kubectl kustomize`, every overlay: the
 * security settings, probes and ports, RBAC bindings, and the container's
 * args and EXTERNAL_DNS_* env read by extdns's own parser, so a manifest
 * cannot ship a flag extdns would refuse at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config/parse.ts';
import { EXTERNAL_DNS_SOURCES } from '../../src/config/flags/sources.ts';
import type { Config } from '../../src/config/schema.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPLOY = join(ROOT, 'deploy');
const CLUSTER_ROLE = join(DEPLOY, 'base', 'clusterrole.yaml');
const CRD = join(DEPLOY, 'crd', 'dnsendpoints.externaldns.k8s.io.yaml');
const OVERLAYS = ['base', 'overlays/ha', 'overlays/private-ca', 'overlays/govcloud'] as const;

type Labels = Record<string, string>;
interface Meta { name: string; namespace?: string; labels?: Labels }
interface Obj { kind: string; metadata: Meta }
interface EnvVar { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }
interface Probe { httpGet: { path: string; port: string | number } }
interface Container {
  name: string;
  image: string;
  args: string[];
  env?: EnvVar[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  securityContext: {
    runAsNonRoot: boolean; runAsUser: number; allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; privileged: boolean;
    capabilities: { drop: string[]; add?: string[] };
  };
}
interface AffinityTerm { topologyKey: string; labelSelector: { matchLabels: Labels } }
interface PodSpec {
  serviceAccountName: string;
  securityContext: { runAsNonRoot: boolean; seccompProfile: { type: string } };
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
  affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { podAffinityTerm: AffinityTerm }[] } };
}
interface Deployment extends Obj {
  spec: { replicas: number; strategy: { type: string }; template: { metadata: { labels: Labels }; spec: PodSpec } };
}
interface Subject { kind: string; name: string; namespace?: string }
interface Binding extends Obj { roleRef: { apiGroup: string; kind: string; name: string }; subjects: Subject[] }
interface Role extends Obj { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }
interface Service extends Obj { spec: { ports: { targetPort: string }[]; selector: Labels } }
interface Pdb extends Obj { spec: { maxUnavailable: number; selector: { matchLabels: Labels } } }

/**
 * The ClusterRole and the CRD are written alongside (issue 5). Until both
 * exist, rendering runs on a copy with minimal stand-ins for the missing
 * ones; the first test fails meanwhile, so a missing file never goes unseen.
 */
let renderRoot: string | undefined;
function deployRoot(): string {
  if (existsSync(CLUSTER_ROLE) && existsSync(CRD)) return DEPLOY;
  if (renderRoot !== undefined) return renderRoot;
  const copy = mkdtempSync(join(tmpdir(), 'extdns-deploy-'));
  cpSync(DEPLOY, copy, { recursive: true });
  if (!existsSync(CLUSTER_ROLE)) writeFileSync(join(copy, 'base', 'clusterrole.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: extdns }\nrules: []\n');
  if (!existsSync(CRD)) writeFileSync(join(copy, 'crd', 'dnsendpoints.externaldns.k8s.io.yaml'), 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: dnsendpoints.externaldns.k8s.io }\n');
  process.on('exit', () => { rmSync(copy, { recursive: true, force: true }); });
  renderRoot = copy;
  return copy;
}

const rendered = new Map<string, Obj[]>();
function render(overlay: string): Obj[] {
  const cached = rendered.get(overlay);
  if (cached !== undefined) return cached;
  const out = execFileSync('kubectl', ['kustomize', join(deployRoot(), overlay)], { encoding: 'utf8' });
  const objs = parseAllDocuments(out).map((d) => d.toJS() as Obj).filter((o) => o !== null);
  rendered.set(overlay, objs);
  return objs;
}

interface Kinds {
  Deployment: Deployment;
  Service: Service;
  ServiceAccount: Obj;
  ClusterRole: Obj;
  CustomResourceDefinition: Obj;
  ClusterRoleBinding: Binding;
  RoleBinding: Binding;
  Role: Role;
  PodDisruptionBudget: Pdb;
}

function one<K extends keyof Kinds>(objs: Obj[], kind: K, name?: string): Kinds[K] {
  const found = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `exactly one ${kind}${name === undefined ? '' : ` ${name}`}`);
  return found[0] as Kinds[K];
}

function firstContainer(d: Deployment): Container {
  const c = d.spec.template.spec.containers[0];
  assert.ok(c, 'the Deployment has a container');
  return c;
}

const deploymentOf = (objs: Obj[]): Deployment => one(objs, 'Deployment', 'extdns');

/** The container's args as the kubelet passes them ($(VAR) from its env) and its EXTERNAL_DNS_* env, through extdns's parser. */
function containerConfig(container: Container, namespace: string): Config {
  const env: Record<string, string> = {};
  const downward: Record<string, string> = { 'metadata.namespace': namespace, 'metadata.name': 'extdns-0' };
  for (const e of container.env ?? []) env[e.name] = e.value ?? downward[e.valueFrom?.fieldRef?.fieldPath ?? ''] ?? '';
  const args = container.args.map((a) => a.replace(/\$\((\w+)\)/g, (_, v: string) => env[v] ?? `$(${v})`));
  // service and ingress are read from the Kubernetes API (issue 5); accept every v0.22 source name alongside the registered ones.
  const sources = [...new Set([...SUPPORTED_SOURCES, ...EXTERNAL_DNS_SOURCES])];
  return parseConfig(args, env, { sources, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES });
}

test('the ClusterRole and the DNSEndpoint CRD that the kustomizations list exist', () => {
  assert.ok(existsSync(CLUSTER_ROLE), `${CLUSTER_ROLE} is missing (written with the Kubernetes sources)`);
  assert.ok(existsSync(CRD), `${CRD} is missing (written with the Kubernetes sources)`);
});

for (const overlay of OVERLAYS) {
  test(`${overlay}: non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp`, () => {
    const pod = deploymentOf(render(overlay)).spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.equal(pod.serviceAccountName, 'extdns');
    for (const c of pod.containers) {
      assert.equal(c.securityContext.runAsNonRoot, true);
      assert.ok(c.securityContext.runAsUser > 0, 'a numeric non-root uid (the image\'s 65532)');
      assert.equal(c.securityContext.allowPrivilegeEscalation, false);
      assert.equal(c.securityContext.readOnlyRootFilesystem, true);
      assert.equal(c.securityContext.privileged, false);
      assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
      assert.equal(c.securityContext.capabilities.add, undefined);
    }
  });

  test(`${overlay}: liveness /healthz and readiness /readyz on the --metrics-address port; args parse with extdns's parser`, () => {
    const objs = render(overlay);
    const deployment = deploymentOf(objs);
    const namespace = deployment.metadata.namespace ?? 'default';
    const c = firstContainer(deployment);
    const config = containerConfig(c, namespace);
    const port = Number(config.metricsAddress.split(':').pop());
    assert.equal(port, 7979);
    const named = c.ports.find((p) => p.name === 'http');
    assert.equal(named?.containerPort, port);
    assert.deepEqual([c.livenessProbe.httpGet.path, c.livenessProbe.httpGet.port], ['/healthz', 'http']);
    assert.deepEqual([c.readinessProbe.httpGet.path, c.readinessProbe.httpGet.port], ['/readyz', 'http']);
    assert.deepEqual(config.source, ['service', 'ingress']);
    assert.equal(config.registry, 'txt');
    assert.equal(config.provider, 'aws');
    assert.equal(config.policy, 'upsert-only');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(c.image, `extdns:${pkg.version}`, 'the image tag follows package.json');
    const service = one(objs, 'Service', 'extdns');
    assert.equal(service.spec.ports[0]?.targetPort, 'http');
    assert.deepEqual(service.spec.selector, deployment.spec.template.metadata.labels);
  });

  test(`${overlay}: the ClusterRoleBinding gives the ClusterRole to the ServiceAccount in the namespace it runs in`, () => {
    const objs = render(overlay);
    const binding = one(objs, 'ClusterRoleBinding');
    const sa = one(objs, 'ServiceAccount', 'extdns');
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'extdns' });
    one(objs, 'ClusterRole', 'extdns');
    one(objs, 'CustomResourceDefinition', 'dnsendpoints.externaldns.k8s.io');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'extdns', namespace: sa.metadata.namespace ?? 'default' }]);
  });
}

test('base is namespace-agnostic; the overlays put everything namespaced into extdns', () => {
  for (const o of render('base')) assert.equal(o.metadata.namespace, undefined, `${o.kind} ${o.metadata.name}`);
  for (const overlay of OVERLAYS.slice(1)) {
    for (const o of render(overlay)) {
      if (['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'].includes(o.kind)) continue;
      assert.equal(o.metadata.namespace, 'extdns', `${overlay}: ${o.kind} ${o.metadata.name}`);
    }
  }
  assert.equal(deploymentOf(render('base')).spec.replicas, 1);
  assert.equal(deploymentOf(render('base')).spec.strategy.type, 'Recreate', 'one writer: no overlap during rollouts without leader election');
});

test('ha: 3 replicas with leader election in their namespace, a PDB, spread over nodes, and a Role for Leases only', () => {
  const objs = render('overlays/ha');
  const deployment = deploymentOf(objs);
  assert.equal(deployment.spec.replicas, 3);
  const pod = deployment.spec.template.spec;
  const config = containerConfig(firstContainer(deployment), 'extdns');
  assert.equal(config.leaderElect, true);
  assert.equal(config.leaderElectionNamespace, 'extdns');
  const podLabels = deployment.spec.template.metadata.labels;
  const pdb = one(objs, 'PodDisruptionBudget', 'extdns');
  assert.equal(pdb.spec.maxUnavailable, 1);
  for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) assert.equal(podLabels[k], v, 'the PDB selects the pods');
  const anti = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]?.podAffinityTerm;
  assert.equal(anti?.topologyKey, 'kubernetes.io/hostname');
  for (const [k, v] of Object.entries(anti?.labelSelector.matchLabels ?? {})) assert.equal(podLabels[k], v);
  const role = one(objs, 'Role', 'extdns-leader-election');
  assert.equal(role.metadata.namespace, 'extdns');
  assert.deepEqual(role.rules.map((r) => [r.apiGroups, r.resources]), [[['coordination.k8s.io'], ['leases']]]);
  for (const verb of ['get', 'create', 'update']) assert.ok(role.rules[0]?.verbs.includes(verb), verb);
  const binding = one(objs, 'RoleBinding', 'extdns-leader-election');
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'extdns', namespace: 'extdns' }]);
  assert.equal(binding.roleRef.name, 'extdns-leader-election');
});

for (const overlay of ['overlays/private-ca', 'overlays/govcloud']) {
  test(`${overlay}: the CA Secret is mounted as a directory (rotation reaches it) and --tls-ca names the file in it`, () => {
    const deployment = deploymentOf(render(overlay));
    const pod = deployment.spec.template.spec;
    const c = firstContainer(deployment);
    const volume = (pod.volumes ?? []).find((v) => v.secret?.secretName === 'extdns-trusted-ca');
    assert.ok(volume, 'a Secret volume');
    const mount = (c.volumeMounts ?? []).find((m) => m.name === volume.name);
    assert.ok(mount, 'mounted in the container');
    assert.equal(mount.subPath, undefined, 'no subPath: a subPath mount never sees a rotated Secret');
    assert.equal(mount.readOnly, true);
    const config = containerConfig(c, 'extdns');
    assert.deepEqual(config.tlsCa, [`${mount.mountPath}/ca.crt`]);
    const env = c.env ?? [];
    assert.ok(!env.some((e) => ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS', 'AWS_CA_BUNDLE'].includes(e.name)), 'trust comes from --tls-ca only');
  });
}

test('govcloud: the aws provider in us-gov-west-1, on top of the private CA', () => {
  const c = firstContainer(deploymentOf(render('overlays/govcloud')));
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
  assert.equal(env.AWS_REGION, 'us-gov-west-1');
  assert.equal(containerConfig(c, 'extdns').provider, 'aws');
});
