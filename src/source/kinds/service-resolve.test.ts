import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storeFromObjects, type KubeObject } from '../kube.ts';
import { translateKind } from '../translate.ts';
import { translateOptions } from '../shapes.ts';
import { resolveLoadBalancerHostnames, type HostnameResolver } from './service-resolve.ts';

const lbService = (name: string, ingress: unknown[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', annotations: { 'external-dns.kubernetes.io/hostname': `${name}.example.org` } },
  spec: { type: 'LoadBalancer' },
  status: { loadBalancer: { ingress } },
});

const zone: Record<string, string[]> = {
  'elb-1.example.net': ['192.0.2.1', '2001:db8::1'],
  'elb-2.example.net': ['192.0.2.2'],
};

test('load balancer hostnames become A/AAAA records of their addresses', async () => {
  const asked: string[] = [];
  const resolve: HostnameResolver = (name) => {
    asked.push(name);
    const found = zone[name];
    return found === undefined ? Promise.reject(new Error(`lookup ${name}: NXDOMAIN`)) : Promise.resolve(found);
  };
  const services = [
    lbService('a', [{ hostname: 'elb-1.example.net' }, { ip: '198.51.100.1' }]),
    lbService('b', [{ hostname: 'elb-1.example.net' }, { hostname: 'elb-2.example.net' }, { hostname: 'gone.example.net' }]),
  ];
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } };
  const { objects, warnings } = await resolveLoadBalancerHostnames([...services, node], resolve, AbortSignal.timeout(5000));
  assert.deepEqual(asked.sort(), ['elb-1.example.net', 'elb-2.example.net', 'gone.example.net'], 'each name resolved once');
  assert.equal(objects[2], node);
  assert.deepEqual(warnings.map((w) => w.resource), ['service/default/b']);
  assert.match(warnings[0]?.message ?? '', /gone\.example\.net: lookup gone\.example\.net: NXDOMAIN/);

  const eps = translateKind('service', objects, storeFromObjects(objects), translateOptions()).endpoints;
  assert.deepEqual(eps.map((e) => `${e.dnsName} ${e.recordType} ${e.targets.join(',')}`).sort(), [
    'a.example.org A 192.0.2.1,198.51.100.1',
    'a.example.org AAAA 2001:db8::1',
    'b.example.org A 192.0.2.1,192.0.2.2',
    'b.example.org AAAA 2001:db8::1',
  ]);
  assert.deepEqual(services[0]?.status, { loadBalancer: { ingress: [{ hostname: 'elb-1.example.net' }, { ip: '198.51.100.1' }] } }, 'inputs are not changed');
});
