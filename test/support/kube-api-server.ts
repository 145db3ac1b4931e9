/** The test Kubernetes API server (see test/support/kube-api/server.ts). */
export { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions, type RequestRecord, type DownMode } from './kube-api/server.ts';
export { ALLOW_ALL, type KubeUser, type Rule } from './kube-api/auth.ts';
export { DEFAULT_RESOURCES, type ResourceDef } from './kube-api/resources.ts';
export type { KubeObj } from './kube-api/store.ts';
