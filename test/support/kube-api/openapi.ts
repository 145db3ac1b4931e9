/**
 * The OpenAPI v3 documents kubectl reads before `create` / `apply`: it looks
 * for the `fieldValidation` query parameter on the PATCH operation of the
 * object's kind, and when found leaves validation to the server. Paths and
 * operations only; no schemas.
 */
import { groupVersion, type ResourceDef } from './resources.ts';

function gvPath(def: { group: string; version: string }): string {
  return def.group === '' ? `api/${def.version}` : `apis/${def.group}/${def.version}`;
}

export function openapiRoot(defs: readonly ResourceDef[]): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const d of defs) {
    const p = gvPath(d);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${Buffer.from(p).toString('hex').slice(0, 16).toUpperCase()}` };
  }
  return { paths };
}

const param = (name: string, where: 'query' | 'path'): Record<string, unknown> =>
  ({ name, in: where, ...(where === 'path' ? { required: true } : {}), schema: { type: 'string', uniqueItems: true } });

function operation(def: ResourceDef, action: string): Record<string, unknown> {
  return {
    operationId: `${action}${def.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: def.group, version: def.version, kind: def.kind },
    parameters: [param('dryRun', 'query'), param('fieldManager', 'query'), param('fieldValidation', 'query')],
    responses: { '200': { description: 'OK' } },
  };
}

/** The document of one group/version, or undefined. */
export function openapiGroupVersion(defs: readonly ResourceDef[], path: string): Record<string, unknown> | undefined {
  const mine = defs.filter((d) => gvPath(d) === path);
  if (mine.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const d of mine) {
    const base = `/${gvPath(d)}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}`;
    const pathParams = d.namespaced ? [param('namespace', 'path')] : [];
    paths[base] = { parameters: pathParams, post: operation(d, 'post'), get: operation(d, 'list') };
    paths[`${base}/{name}`] = {
      parameters: [...pathParams, param('name', 'path')],
      get: operation(d, 'get'), put: operation(d, 'put'), patch: operation(d, 'patch'), delete: operation(d, 'delete'),
    };
  }
  return {
    openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths,
    components: { schemas: Object.fromEntries(mine.map((d) => [`${groupVersion(d)}.${d.kind}`, { type: 'object', 'x-kubernetes-group-version-kind': [{ group: d.group, version: d.version, kind: d.kind }] }])) },
  };
}
