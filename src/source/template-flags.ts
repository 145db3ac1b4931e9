/**
 * The three template flags of ExternalDNS (`source/template/engine.go`):
 * --fqdn-template (host names), --target-template (targets) and
 * --fqdn-target-template (`host:target` pairs), each a Go text/template
 * (./gotemplate.ts) run over the object as Go sees it: `.Kind`,
 * `.APIVersion`, `.Name`, `.Namespace`, `.Labels`, `.Annotations`,
 * `.ObjectMeta`, `.Spec`, `.Status` (Go field names: `.Spec.ClusterIP` reads
 * spec.clusterIP). Several values of one flag are joined with ","; the output
 * is split on ",", trimmed, stripped of a trailing dot, de-duplicated and
 * sorted. A template that does not parse stops start-up with an error naming
 * the flag; one that fails on an object yields nothing for that object and a
 * warning.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { ExtdnsError } from '../errors/errors.ts';
import { SourceErrors } from './errors.ts';
import { isGoMap, markGoMap, parseGoTemplate, TemplateExecError, TemplateSyntaxError, type CompiledGoTemplate, type TemplateFunc } from './gotemplate.ts';
import type { KubeObject } from './kube.ts';
import type { FqdnTemplate, TemplateResult } from './shapes.ts';

export type TemplateFlag = '--fqdn-template' | '--target-template' | '--fqdn-target-template';

/** Go's SuitableType: IPv4-mapped IPv6 counts as IPv6. */
function ipv4(s: unknown): boolean {
  return typeof s === 'string' && isIPv4(s);
}

const FUNCS: Readonly<Record<string, TemplateFunc>> = {
  contains: (s, sub) => String(s).includes(String(sub)),
  trimPrefix: (prefix, s) => {
    const str = String(s);
    const p = String(prefix);
    return p !== '' && str.startsWith(p) ? str.slice(p.length) : str;
  },
  trimSuffix: (suffix, s) => {
    const str = String(s);
    const x = String(suffix);
    return x !== '' && str.endsWith(x) ? str.slice(0, -x.length) : str;
  },
  trim: (s) => String(s).trim(),
  toLower: (s) => String(s).toLowerCase(),
  replace: (from, to, s) => String(s).replaceAll(String(from), String(to)),
  isIPv4: (s) => ipv4(s),
  isIPv6: (s) => typeof s === 'string' && isIPv6(s),
  // ExternalDNS binds isSource per source in newer releases; unbound it is always false.
  isSource: (_name) => false,
  hasKey: (m, key) => m !== null && typeof m === 'object' && Object.hasOwn(m, String(key)),
  fromJson: (s) => {
    try {
      return goMaps(JSON.parse(String(s)) as unknown);
    } catch {
      return null;
    }
  },
};

/** Go field names over the JSON shape: exact key, else the key with a lower-case first letter. */
function lookupField(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TemplateExecError(`can't evaluate field ${name} in type ${Array.isArray(value) ? 'slice' : typeof value}`);
  }
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  if (Object.hasOwn(record, lower)) return record[lower];
  // Initialisms: Go's IP, PodIP, HostIPs are JSON's ip, podIP, hostIPs.
  const folded = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  if (folded !== undefined) return record[folded];
  // An absent map key is Go's invalid value (printed "<no value>"); an absent struct field is its zero value.
  return isGoMap(value) ? undefined : null;
}

function stringMap(m: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return markGoMap({ ...m });
}

/** fromJson's result is Go's map[string]any all the way down. */
function goMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goMaps);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = goMaps(x);
  return markGoMap(out);
}

/** spec.selector of a Service is map[string]string (a LabelSelector elsewhere, a struct). */
function specWithMaps(spec: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...(spec as Record<string, unknown> | undefined) };
  const selector = copy.selector;
  if (selector !== null && typeof selector === 'object' && Object.values(selector).every((x) => typeof x === 'string')) {
    copy.selector = markGoMap({ ...selector });
  }
  return copy;
}

/** The object as a Go template sees it: TypeMeta and ObjectMeta fields promoted to the top. */
export function templateData(obj: KubeObject): Record<string, unknown> {
  const meta = obj.metadata as unknown as Record<string, unknown>;
  const labels = stringMap(obj.metadata.labels);
  const annotations = stringMap(obj.metadata.annotations);
  const objectMeta: Record<string, unknown> = { ...meta, labels, annotations };
  const promoted: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(objectMeta)) promoted[k.charAt(0).toUpperCase() + k.slice(1)] = v;
  return {
    ...promoted,
    Kind: obj.kind,
    APIVersion: obj.apiVersion,
    TypeMeta: { Kind: obj.kind, APIVersion: obj.apiVersion },
    ObjectMeta: objectMeta,
    Spec: specWithMaps(obj.spec),
    Status: obj.status ?? {},
    Name: obj.metadata.name,
    Namespace: obj.metadata.namespace ?? '',
    Labels: labels,
    Annotations: annotations,
  };
}

/** One template's raw output over an object (no splitting); throws the parser's or executor's error. */
export function renderTemplateText(text: string, obj: KubeObject): string {
  return parseGoTemplate(text, FUNCS, lookupField).execute(templateData(obj));
}

/** Parses the values of one template flag; undefined when none is set. Throws ExtdnsError naming the flag. */
export function compileTemplate(flag: TemplateFlag, templates: readonly string[]): FqdnTemplate | undefined {
  const values = [...new Set(templates.filter((t) => t.trim() !== ''))];
  if (values.length === 0) return undefined;
  const text = values.join(',');
  let compiled: CompiledGoTemplate;
  try {
    compiled = parseGoTemplate(text, FUNCS, lookupField);
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    throw new ExtdnsError(
      SourceErrors.EXTDNS_SOURCE_OPTION_INVALID,
      `${flag} "${text}": ${e.message}. extdns supports the Go text/template actions (fields, variables, pipelines, if/else, range, with) with the functions and, or, not, eq, ne, lt, le, gt, ge, len, index, print, printf, println, ${Object.keys(FUNCS).join(', ')}`,
    );
  }
  const evaluate = (obj: KubeObject): TemplateResult => {
    let output: string;
    try {
      output = compiled.execute(templateData(obj));
    } catch (e) {
      if (!(e instanceof TemplateExecError)) throw e;
      return { values: [], error: `${flag} failed on ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: ${e.message}` };
    }
    const names = output.split(',').map((h) => h.trim().replace(/\.$/, '')).filter((h) => h !== '');
    return { values: [...new Set(names)].sort() };
  };
  return { flag, evaluate, hostnames: (obj) => evaluate(obj).values };
}

/** One `host:target` pair from --fqdn-target-template; undefined for a malformed or half-empty pair. */
export function splitHostTarget(pair: string): { host: string; target: string } | undefined {
  const colon = pair.indexOf(':');
  if (colon === -1) return undefined;
  const host = pair.slice(0, colon).trim().replace(/\.$/, '');
  const target = pair.slice(colon + 1).trim();
  return host === '' || target === '' ? undefined : { host, target };
}
