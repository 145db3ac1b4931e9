/**
 * Valid objects for the real API server (it validates what the test API
 * server takes on trust: Pods need containers, Services ports, Gateway API
 * conditions every metav1.Condition field), each with the status a controller
 * would write.
 */
import type { Obj } from './deployed.ts';

export interface WithStatus {
  readonly object: Obj;
  readonly status?: Record<string, unknown>;
}

const HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';
/** A pod's name for its own IP (`hostname` names the addresses of the pod's node, as in v0.22). */
const INTERNAL_HOSTNAME = 'external-dns.alpha.kubernetes.io/internal-hostname';

export function loadBalancer(name: string, host: string, ip: string, annotations: Record<string, string> = {}): WithStatus {
  return {
    object: {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name, namespace: 'default', annotations: { [HOSTNAME]: host, ...annotations } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    },
    status: { loadBalancer: { ingress: [{ ip }] } },
  };
}

export function ingress(name: string, host: string, ip: string): WithStatus {
  return {
    object: {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default' },
      spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
    status: { loadBalancer: { ingress: [{ ip }] } },
  };
}

export function dnsEndpoint(name: string, dnsName: string, targets: string[], recordType = 'A'): WithStatus {
  return {
    object: {
      apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name, namespace: 'default' },
      spec: { endpoints: [{ dnsName, recordType, targets }] },
    },
  };
}

export function node(name: string, externalIp: string): WithStatus {
  return {
    object: { apiVersion: 'v1', kind: 'Node', metadata: { name } },
    status: { addresses: [{ type: 'InternalIP', address: '10.0.0.9' }, { type: 'ExternalIP', address: externalIp }] },
  };
}

export function pod(name: string, host: string, ip: string): WithStatus {
  return {
    object: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations: { [INTERNAL_HOSTNAME]: host } },
      spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] },
    },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

const ACCEPTED = {
  type: 'Accepted', status: 'True', reason: 'Accepted', message: 'accepted', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1,
};

export function gateway(name: string, ip: string): WithStatus {
  return {
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: 'default' },
      spec: {
        gatewayClassName: 'example',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'tls', protocol: 'TLS', port: 443, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'tcp', protocol: 'TCP', port: 5432, allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'udp', protocol: 'UDP', port: 5353, allowedRoutes: { namespaces: { from: 'All' } } },
        ],
      },
    },
    status: { addresses: [{ type: 'IPAddress', value: ip }] },
  };
}

function routeStatus(gatewayName: string, section: string): Record<string, unknown> {
  return {
    parents: [{ parentRef: { name: gatewayName, sectionName: section }, controllerName: 'example.net/gateway-controller', conditions: [ACCEPTED] }],
  };
}

const BACKEND = [{ backendRefs: [{ name: 'web', port: 80 }] }];

/** An HTTPRoute, GRPCRoute or TLSRoute (all v1) named by its hostnames. */
export function hostnameRoute(kind: 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute', name: string, host: string, gatewayName: string): WithStatus {
  const section = kind === 'TLSRoute' ? 'tls' : 'http';
  return {
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name, namespace: 'default' },
      spec: { parentRefs: [{ name: gatewayName, sectionName: section }], hostnames: [host], ...(kind === 'TLSRoute' ? { rules: BACKEND } : {}) },
    },
    status: routeStatus(gatewayName, section),
  };
}

/** A TCPRoute or UDPRoute (v1alpha2): no hostnames of their own, named by the annotation. */
export function annotatedRoute(kind: 'TCPRoute' | 'UDPRoute', name: string, host: string, gatewayName: string): WithStatus {
  const section = kind === 'TCPRoute' ? 'tcp' : 'udp';
  return {
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind, metadata: { name, namespace: 'default', annotations: { [HOSTNAME]: host } },
      spec: { parentRefs: [{ name: gatewayName, sectionName: section }], rules: BACKEND },
    },
    status: routeStatus(gatewayName, section),
  };
}
