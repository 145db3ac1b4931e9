/**
 * Label and field selectors as kube-apiserver parses them. Written apart from
 * src/source/selector.ts on purpose: the test server must not share the
 * client's bugs.
 */

type Labels = Readonly<Record<string, string>>;
type Req = (labels: Labels) => boolean;

/** Returns a matcher, or a message when the selector cannot be parsed. */
export function parseLabelSelector(text: string): ((labels: Labels) => boolean) | string {
  const reqs: Req[] = [];
  for (const part of splitTopLevel(text)) {
    const req = parseRequirement(part.trim());
    if (typeof req === 'string') return req;
    reqs.push(req);
  }
  return (labels) => reqs.every((r) => r(labels));
}

function splitTopLevel(text: string): string[] {
  if (text.trim() === '') return [];
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

function parseRequirement(part: string): Req | string {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (m !== null) {
    const [, key = '', op, list = ''] = m;
    const values = list.split(',').map((v) => v.trim());
    if (op === 'in') return (l) => Object.hasOwn(l, key) && values.includes(l[key] ?? '');
    return (l) => !Object.hasOwn(l, key) || !values.includes(l[key] ?? '');
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (m !== null) {
    const [, key = '', op, value = ''] = m;
    if (op === '!=') return (l) => l[key] !== value;
    return (l) => Object.hasOwn(l, key) && l[key] === value;
  }
  if (part.startsWith('!') && KEY.test(part.slice(1))) {
    const key = part.slice(1);
    return (l) => !Object.hasOwn(l, key);
  }
  if (KEY.test(part)) return (l) => Object.hasOwn(l, part);
  return `unable to parse requirement: found '${part}', expected: identifier`;
}

export interface ObjectFields {
  name: string;
  namespace: string;
}

/** Supports metadata.name and metadata.namespace with =, == and !=. */
export function parseFieldSelector(text: string): ((o: ObjectFields) => boolean) | string {
  const reqs: ((o: ObjectFields) => boolean)[] = [];
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(\S*)\s*$/.exec(part);
    if (m === null) return `invalid selector: '${text}'; can't understand '${part}'`;
    const [, field = '', op, value = ''] = m;
    if (field !== 'metadata.name' && field !== 'metadata.namespace') return `field label not supported: ${field}`;
    const get = (o: ObjectFields): string => (field === 'metadata.name' ? o.name : o.namespace);
    reqs.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => reqs.every((r) => r(o));
}
