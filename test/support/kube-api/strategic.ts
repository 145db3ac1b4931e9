/**
 * Enough of strategic merge patch for what kubectl sends (apply, label,
 * annotate): lists of objects merge by a key (name, port…) and honour
 * `$patch: delete`; `$setElementOrder/…` and `$retainKeys` are accepted;
 * `$deleteFromPrimitiveList/…` removes values. Everything else is a JSON
 * merge patch. The real server takes the merge keys from Go struct tags; the
 * guess below covers the fields of the resources this server serves.
 */
const MERGE_KEYS = ['name', 'port', 'containerPort', 'type', 'mountPath', 'devicePath', 'ip', 'hostname'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function strategicMergePatch(base: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') || k === '$retainKeys' || k === '$patch') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(v) ? v : [];
      const cur = out[field];
      if (Array.isArray(cur)) out[field] = cur.filter((x) => !drop.includes(x));
      continue;
    }
    if (v === null) Reflect.deleteProperty(out, k);
    else if (Array.isArray(v)) out[k] = mergeList(out[k], v);
    else out[k] = strategicMergePatch(out[k], v);
  }
  return out;
}

function mergeList(base: unknown, patch: unknown[]): unknown[] {
  const objects = patch.filter(isObj);
  const key = objects.length === patch.length && objects.length > 0
    ? MERGE_KEYS.find((k) => objects.every((o) => o[k] !== undefined)) : undefined;
  if (key === undefined || !Array.isArray(base)) return patch.filter((p) => !(isObj(p) && p.$patch === 'delete'));
  const out: unknown[] = [...(base as unknown[])];
  for (const item of objects) {
    const at = out.findIndex((b) => isObj(b) && b[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = strategicMergePatch(out[at], item);
    else out.push(strategicMergePatch({}, item));
  }
  return out;
}
