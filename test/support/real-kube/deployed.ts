/**
 * extdns as a user deploys it into the real cluster: `kubectl apply -k` of
 * deploy/overlays/ha (CRD, ServiceAccount, ClusterRole and binding, Lease
 * Role), the Gateway API CRDs applied from the gateway-api module's manifests,
 * and a kubeconfig that holds only the deployed ServiceAccount's TokenRequest
 * token: extdns never runs as admin. Also: objects created as admin with their
 * status written through the status subresource, as controllers would.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { GATEWAY_API_CRDS, type RealKube } from './cluster.ts';

const DEPLOY = join(import.meta.dirname, '..', '..', '..', 'deploy');
export const EXTDNS_NAMESPACE = 'extdns';
export const SERVICE_ACCOUNT = `system:serviceaccount:${EXTDNS_NAMESPACE}:extdns`;

export interface Deployed {
  /** A kubeconfig with the extdns ServiceAccount's token. */
  readonly kubeconfig: string;
  readonly token: string;
}

export interface DeployOptions {
  /** Also the Gateway API CRDs. */
  readonly gatewayApi?: boolean;
  /** Also deploy/components/events (the permission --events-emit needs), as a user adds it to an overlay. */
  readonly events?: boolean;
}

/** The user's own overlay: deploy/overlays/ha plus the events component (kustomize wants relative paths). */
async function eventsOverlay(kube: RealKube): Promise<string> {
  const dir = join(kube.dir, 'overlay-with-events');
  await mkdir(dir, { recursive: true });
  const rel = relative(dir, DEPLOY);
  await writeFile(join(dir, 'kustomization.yaml'), ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization',
    `namespace: ${EXTDNS_NAMESPACE}`, 'resources:', `  - ${rel}/overlays/ha`, 'components:', `  - ${rel}/components/events`, ''].join('\n'));
  return dir;
}

export async function deployExtdns(kube: RealKube, options: DeployOptions = {}): Promise<Deployed> {
  await kube.kubectl(['create', 'namespace', EXTDNS_NAMESPACE]);
  await kube.kubectl(['apply', '-k', options.events === true ? await eventsOverlay(kube) : join(DEPLOY, 'overlays', 'ha')]);
  if (options.gatewayApi === true) await applyGatewayApiCrds(kube);
  await kube.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
  const token = await kube.serviceAccountToken(EXTDNS_NAMESPACE, 'extdns');
  return { token, kubeconfig: await kube.tokenKubeconfig(token, 'extdns-sa') };
}

export interface Obj {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

/** Creates `object` as admin, then writes `status` through its status subresource. */
export async function createWithStatus(kube: RealKube, object: Obj, status?: Record<string, unknown>): Promise<void> {
  const text = JSON.stringify(object);
  await kube.kubectl(['create', '-f', '-'], text);
  if (status !== undefined) await kube.kubectl(['patch', '-f', '-', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })], text);
}

/** Replaces the status of an existing object. */
export async function patchStatus(kube: RealKube, object: Obj, status: Record<string, unknown>): Promise<void> {
  await kube.kubectl(['patch', '-f', '-', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })], JSON.stringify(object));
}

/** The Gateway API CRDs as their docs say to install them (server-side apply: they outgrow the last-applied annotation). */
export async function applyGatewayApiCrds(kube: RealKube): Promise<void> {
  for (const channel of ['standard', 'experimental']) {
    const dir = join(GATEWAY_API_CRDS, channel);
    for (const file of await readdir(dir)) await kube.kubectl(['apply', '--server-side', '-f', join(dir, file)]);
  }
  await kube.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
}
