import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './kube.ts';
import { translateNode } from './kinds/node.ts';
import { translateDnsEndpoint } from './kinds/dnsendpoint.ts';
import { cloneEndpoint } from '../endpoint/endpoint.ts';
import { DEFAULT_TRANSLATE_OPTIONS } from './shapes.ts';
import { originOf, recordingOrigins } from './origin.ts';

const node: KubeObject = {
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1.example.org' },
  status: { addresses: [{ type: 'ExternalIP', address: '203.0.113.1' }] },
};
const records: KubeObject = {
  apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'r', namespace: 'default' },
  spec: { endpoints: [{ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1'] }, { dnsName: 'b.example.org', recordType: 'A', targets: ['192.0.2.2'] }] },
};

test('while explain records origins, each endpoint says where its name came from, through copies', async () => {
  const [fromNode] = await recordingOrigins(() => Promise.resolve(translateNode(node, DEFAULT_TRANSLATE_OPTIONS).endpoints));
  assert.equal(originOf(fromNode!), 'metadata.name');
  const fromCrd = await recordingOrigins(() => Promise.resolve(translateDnsEndpoint(records).endpoints));
  assert.deepEqual(fromCrd.map(cloneEndpoint).map(originOf), ['spec.endpoints[0]', 'spec.endpoints[1]']);
  assert.deepEqual(fromCrd.map((e) => ({ ...e, targets: [] })).map(originOf), ['spec.endpoints[0]', 'spec.endpoints[1]']);
  assert.equal(JSON.stringify(fromCrd[0]).includes('spec.endpoints'), false, 'never in JSON (the webhook wire, TXT values)');
});

test('outside explain nothing is added to an endpoint', () => {
  const [plain] = translateDnsEndpoint(records).endpoints;
  assert.equal(originOf(plain!), undefined);
  assert.deepEqual(Object.getOwnPropertySymbols(plain), []);
});
