/**
 * The objects of the kube rows of `npm run bench`, shaped as a busy cluster
 * holds them (Helm labels, last-applied annotations, managedFields, three
 * containers per Pod): filled into the test API server (kube-api-child.ts) and
 * into the real kube-apiserver (kube-real-child.ts).
 */
export const NODES = 50;
export const NAMESPACES = 20;


const ip = (i: number, net = 10): string => `${net}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const ns = (i: number): string => `team-${i % NAMESPACES}`;
const stamp = '2026-11-01T08:00:00Z';

/** managedFields as the API server keeps them: one entry per field manager, each a tree of the fields it owns. */
function managedFields(manager: string, fieldsV1: Record<string, unknown>, status?: Record<string, unknown>): unknown[] {
  const out: unknown[] = [{ manager, operation: 'Update', apiVersion: 'v1', time: stamp, fieldsType: 'FieldsV1', fieldsV1 }];
  if (status !== undefined) {
    out.push({ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: stamp, fieldsType: 'FieldsV1', fieldsV1: status, subresource: 'status' });
  }
  return out;
}

function fieldTree(keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [`f:${k}`, {}]));
}

/** What `kubectl apply` leaves on an object: its whole applied manifest as one annotation. */
function lastApplied(obj: Record<string, unknown>): string {
  return JSON.stringify(obj);
}

export function service(i: number): Record<string, unknown> {
  const name = `svc-${i}`;
  const namespace = ns(i);
  const annotated = i % 5 === 0; // one in five asks for a DNS name
  const spec = {
    type: 'LoadBalancer', selector: { app: name, tier: 'web' }, sessionAffinity: 'None', externalTrafficPolicy: 'Cluster',
    clusterIP: ip(i, 172), clusterIPs: [ip(i, 172)], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
    allocateLoadBalancerNodePorts: true,
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30000 + (i % 2000) },
      { name: 'https', protocol: 'TCP', port: 443, targetPort: 8443, nodePort: 32000 + (i % 700) }],
  };
  const labels = { app: name, tier: 'web', 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': `web-1.${i % 30}.0` };
  const annotations: Record<string, string> = { 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': namespace };
  if (annotated) annotations['external-dns.alpha.kubernetes.io/hostname'] = `${name}.${namespace}.bench.example`;
  annotations['kubectl.kubernetes.io/last-applied-configuration'] = lastApplied({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec });
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace, labels, annotations, finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
      managedFields: managedFields('kubectl-client-side-apply', { 'f:metadata': { 'f:labels': fieldTree(Object.keys(labels)) }, 'f:spec': fieldTree(Object.keys(spec)) },
        { 'f:status': { 'f:loadBalancer': { 'f:ingress': {} } } }) },
    spec,
    status: { loadBalancer: { ingress: [{ ip: ip(i, 203), ipMode: 'VIP' }] } },
  };
}

export function ingress(i: number): Record<string, unknown> {
  const name = `web-${i}`;
  const namespace = ns(i);
  const host = `${name}.${namespace}.bench.example`;
  const path = (p: string, port: number): unknown => ({ path: p, pathType: 'Prefix', backend: { service: { name: `svc-${i}`, port: { number: port } } } });
  const spec = { ingressClassName: 'nginx', tls: [{ hosts: [host], secretName: `${name}-tls` }],
    rules: [{ host, http: { paths: [path('/', 80), path('/api', 8080), path('/static', 80)] } }] };
  const annotations = {
    'nginx.ingress.kubernetes.io/proxy-body-size': '16m', 'cert-manager.io/cluster-issuer': 'letsencrypt',
    'kubectl.kubernetes.io/last-applied-configuration': lastApplied({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace }, spec }),
  };
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace, labels: { app: name }, annotations, generation: 1,
      managedFields: managedFields('kubectl-client-side-apply', { 'f:spec': fieldTree(Object.keys(spec)) }, { 'f:status': { 'f:loadBalancer': {} } }) },
    spec,
    status: { loadBalancer: { ingress: [{ ip: ip(i % 4, 198) }] } },
  };
}

function container(name: string, i: number): Record<string, unknown> {
  return {
    name, image: `registry.example/${name}:1.${i % 40}.3`, imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: Array.from({ length: 8 }, (_, e) => ({ name: `SETTING_${e}`, value: `value-${e}-${i}` }))
      .concat([{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } } as never]),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    volumeMounts: [{ name: 'config', mountPath: '/etc/app' }, { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
    readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
  };
}

export function pod(i: number): Record<string, unknown> {
  const name = `web-${i >> 2}-7d9f8c-${(i & 3).toString(36)}x${(i % 997).toString(36)}`;
  const names = ['app', 'sidecar', 'metrics'];
  const spec = {
    containers: names.map((n) => container(n, i)), nodeName: `node-${i % NODES}`, serviceAccountName: 'default',
    restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30,
    securityContext: {}, priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    volumes: [{ name: 'config', configMap: { name: 'app-config', defaultMode: 420 } },
      { name: 'kube-api-access', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
  };
  const conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']
    .map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: stamp }));
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: ns(i), generateName: `web-${i >> 2}-7d9f8c-`, labels: { app: `web-${i >> 2}`, 'pod-template-hash': '7d9f8c' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': stamp },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${i >> 2}-7d9f8c`, uid: `rs-${i >> 2}`, controller: true, blockOwnerDeletion: true }],
      managedFields: managedFields('kube-controller-manager', { 'f:metadata': { 'f:labels': {}, 'f:ownerReferences': {} }, 'f:spec': { 'f:containers': Object.fromEntries(names.map((n) => [`k:{"name":"${n}"}`, fieldTree(Object.keys(container(n, i)))])) } },
        { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:podIP': {}, 'f:podIPs': {} } }),
    },
    spec,
    status: {
      phase: 'Running', hostIP: ip(i % NODES, 192), hostIPs: [{ ip: ip(i % NODES, 192) }], podIP: ip(i, 100), podIPs: [{ ip: ip(i, 100) }],
      qosClass: 'Burstable', startTime: stamp, conditions,
      containerStatuses: names.map((n) => ({
        name: n, ready: true, started: true, restartCount: i % 3, image: `registry.example/${n}:1.${i % 40}.3`,
        imageID: `registry.example/${n}@sha256:${'0123456789abcdef'.repeat(4)}`, containerID: `containerd://${'fedcba9876543210'.repeat(4)}`,
        state: { running: { startedAt: stamp } }, lastState: {},
        volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
      })),
    },
  };
}

export function node(i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } },
    spec: { podCIDR: `100.${i}.0.0/24` },
    status: { addresses: [{ type: 'InternalIP', address: ip(i, 192) }, { type: 'ExternalIP', address: ip(i, 198) }, { type: 'Hostname', address: `node-${i}` }],
      conditions: [{ type: 'Ready', status: 'True' }] },
  };
}
