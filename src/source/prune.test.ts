import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { KeptText } from '../kube/kept-text.ts';
import { storeFromObjects, type KubeObject } from './kube.ts';
import { intern, internStrings } from './intern.ts';
import { pick, PRUNERS } from './prune.ts';
import { ENDPOINT_KINDS, LOOKUP_RESOURCES, SOURCE_KINDS, translateKind, translateObjects, type EndpointKind } from './translate.ts';
import { translateOptions } from './shapes.ts';

const scenarioDir = join(import.meta.dirname, '..', '..', 'test', 'scenarios');

async function scenarioObjects(): Promise<{ title: string; objects: KubeObject[] }[]> {
  const out: { title: string; objects: KubeObject[] }[] = [];
  for (const file of (await readdir(scenarioDir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const doc = parse(await readFile(join(scenarioDir, file), 'utf8')) as { scenarios: { title: string; objects?: KubeObject[] }[] };
    for (const s of doc.scenarios) {
      const objects = (s.objects ?? []).filter((o) => Object.hasOwn(PRUNERS, o.kind));
      if (objects.length > 0) out.push({ title: `${file}: ${s.title}`, objects });
    }
  }
  return out;
}

const prune = (o: KubeObject): KubeObject => PRUNERS[o.kind as keyof typeof PRUNERS](o);
const ALL_KINDS = Object.keys(ENDPOINT_KINDS) as EndpointKind[];
const OPTION_SETS = [
  translateOptions(),
  translateOptions({ publishInternalServices: true, exposeInternalIpv6: true, podSourceDomain: 'pods.test', gatewayListenerSets: true, alwaysPublishNotReadyAddresses: true, excludeUnschedulable: false }),
];

describe('pruned objects translate like the originals', async () => {
  for (const { title, objects } of await scenarioObjects()) {
    test(title, () => {
      const pruned = objects.map(prune);
      for (const options of OPTION_SETS) {
        assert.deepEqual(
          translateObjects(pruned, storeFromObjects(pruned), options, ALL_KINDS),
          translateObjects(objects, storeFromObjects(objects), options, ALL_KINDS),
        );
      }
    });
  }
});

describe('the list parser keeps every field the pruners read (Pruner.keep)', async () => {
  for (const { title, objects } of await scenarioObjects()) {
    test(title, () => {
      for (const o of objects) {
        const p = PRUNERS[o.kind as keyof typeof PRUNERS];
        const parsed = JSON.parse(new KeptText(p.keep).of(Buffer.from(JSON.stringify(o)))) as KubeObject;
        assert.deepEqual(p(parsed), p(o), `${o.kind} ${o.metadata.name}`);
      }
    });
  }
});

describe('prune', () => {
  test('drops what no translation reads, keeps what the watch cache needs', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', resourceVersion: '42', uid: 'u-1', managedFields: [{ manager: 'kubectl' }], ownerReferences: [{}] } as KubeObject['metadata'],
      spec: { nodeName: 'n', containers: [{ name: 'c', image: 'nginx', env: [{ name: 'SECRET', value: 'x' }] }], volumes: [] },
      status: { podIP: '10.0.0.1', phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 't', message: 'long' }], containerStatuses: [{}] },
    };
    assert.deepEqual(SOURCE_KINDS.pod.prune(pod), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', resourceVersion: '42' },
      spec: { nodeName: 'n' },
      status: { podIP: '10.0.0.1', phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    assert.deepEqual(SOURCE_KINDS.pod.prune(pod, { keepSpecAndStatus: true }).spec, pod.spec, '--fqdn-template may read any field');
    assert.equal(SOURCE_KINDS.pod.prune(pod, { keepSpecAndStatus: true }).metadata.uid, 'u-1', 'a template may read .UID');
  });

  test('pick applies a shape to each element of a list', () => {
    assert.deepEqual(pick({ a: [{ x: 1, y: 2 }, { x: 3 }], b: 1 }, { a: { x: true } }), { a: [{ x: 1 }, { x: 3 }] });
  });
});

describe('SOURCE_KINDS', () => {
  test('each --source name maps to an endpoint kind with its API coordinates', () => {
    for (const [name, k] of Object.entries(SOURCE_KINDS)) {
      const apiVersion = k.group === '' ? k.version : `${k.group}/${k.version}`;
      assert.equal(apiVersion, ENDPOINT_KINDS[k.kind].apiVersion, name);
      assert.match(k.resource, /^[a-z]+s$/, name);
    }
    assert.deepEqual(SOURCE_KINDS.service.lookups.map((l) => l.resource), ['nodes', 'pods', 'endpointslices']);
    assert.deepEqual(SOURCE_KINDS['gateway-httproute'].lookups, [LOOKUP_RESOURCES.Gateway, LOOKUP_RESOURCES.Namespace, LOOKUP_RESOURCES.ListenerSet]);
    assert.equal(SOURCE_KINDS.node.namespaced, false);
    assert.equal(SOURCE_KINDS['gateway-tcproute'].version, 'v1alpha2');
  });

  test('translateKind translates only the named source kind', () => {
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1.example.org' }, status: { addresses: [{ type: 'ExternalIP', address: '203.0.113.1' }] } };
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd', annotations: { 'external-dns.kubernetes.io/hostname': 'p.example.org' } }, spec: { nodeName: 'n1.example.org' }, status: { podIP: '10.0.0.1' } };
    const store = storeFromObjects([node, pod]);
    assert.deepEqual(translateKind('node', [node, pod], store, translateOptions()).endpoints.map((e) => e.dnsName), ['n1.example.org']);
    assert.deepEqual(translateKind('pod', [node, pod], store, translateOptions()).endpoints.map((e) => e.dnsName), ['p.example.org']);
    assert.deepEqual(translateKind('service', [node, pod], store, translateOptions()).endpoints, []);
  });
});

test("kubectl's last-applied-configuration copy is not cached, other annotations are", () => {
  const svc = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'web', namespace: 'default', annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"huge":"copy"}', 'external-dns.kubernetes.io/hostname': 'web.example.org',
    } },
  };
  assert.deepEqual(PRUNERS.Service(svc).metadata.annotations, { 'external-dns.kubernetes.io/hostname': 'web.example.org' });
  assert.equal(Object.keys(PRUNERS.Service(svc, { keepSpecAndStatus: true }).metadata.annotations ?? {}).length, 2, 'templates may read anything');
});

describe('pruning keeps parsed objects and shares strings', () => {
  test('pick returns a value holding nothing outside the shape itself, and copies one that does', () => {
    const cut = { rules: [{ host: 'a.example.org' }], tls: [{ hosts: ['a.example.org'] }] };
    assert.equal(pick(cut, { rules: { host: true }, tls: { hosts: true } }), cut);
    const whole = { rules: [{ host: 'a.example.org', http: {} }], tls: [{ hosts: ['a.example.org'] }] };
    const picked = pick(whole, { rules: { host: true }, tls: { hosts: true } }) as typeof cut;
    assert.deepEqual(picked, cut);
    assert.notEqual(picked.rules, whole.rules);
    assert.equal(picked.tls, whole.tls, 'an untouched part is kept, not copied');
    assert.deepEqual(whole.rules[0], { host: 'a.example.org', http: {} }, 'the input is left as it was');
  });

  test('a shape field the value only inherits (constructor) is not picked', () => {
    assert.deepEqual(pick({ a: 1 }, Object.fromEntries<true>([['constructor', true], ['a', true]])), { a: 1 });
  });

  test('a list item already cut to the kept fields: its metadata kept, the last-applied copy cloned away, the input untouched', () => {
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'external-dns.kubernetes.io/hostname': 'web.example.org' };
    const metadata = { name: 'web', namespace: 'default', resourceVersion: '7', labels: { app: 'web-frontend-blue' } };
    const plain = PRUNERS.Service({ apiVersion: 'v1', kind: 'Service', metadata });
    assert.equal(plain.metadata, metadata);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { ...metadata, annotations } };
    assert.deepEqual(PRUNERS.Service(svc).metadata, { ...metadata, annotations: { 'external-dns.kubernetes.io/hostname': 'web.example.org' } });
    assert.equal(Object.keys(svc.metadata.annotations).length, 2);
  });

  test('intern gives an equal string; internStrings leaves every value equal', () => {
    const long = JSON.parse('"PodReadyToStartContainers"') as string;
    assert.equal(intern(long), 'PodReadyToStartContainers');
    assert.equal(intern('True'), 'True');
    const value = JSON.parse('{"a":["ContainersReady",1,null,{"b":"networking.k8s.io/v1","c":true}],"d":"0123456789"}') as unknown;
    const copy = structuredClone(value);
    assert.equal(internStrings(value), value);
    assert.deepEqual(value, copy);
  });
});
