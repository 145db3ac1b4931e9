/** Authentication (bearer token, basic, client certificate CN) and RBAC-like authorization of the test API server. */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Like an RBAC PolicyRule; `*` matches anything. Resources name subresources as `dnsendpoints/status`. */
export interface Rule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  /** Limits the rule to these namespaces (a Role); absent: cluster-wide (a ClusterRole). */
  readonly namespaces?: readonly string[];
}

export interface KubeUser {
  /** e.g. system:serviceaccount:external-dns:external-dns; also the CN a client certificate must carry. */
  readonly name: string;
  readonly tokens?: readonly string[];
  readonly basic?: { readonly username: string; readonly password: string };
  readonly rules: readonly Rule[];
}

export const ALLOW_ALL: readonly Rule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];

export function authenticate(req: IncomingMessage, users: readonly KubeUser[]): KubeUser | undefined {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer !== null) return users.find((u) => u.tokens?.includes(bearer[1]?.trim() ?? '') === true);
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic !== null) {
    const [username, ...rest] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
    const password = rest.join(':');
    return users.find((u) => u.basic?.username === username && u.basic?.password === password);
  }
  const socket: unknown = req.socket;
  if (isTls(socket) && socket.authorized) {
    const cn = socket.getPeerCertificate().subject?.CN;
    if (typeof cn === 'string') return users.find((u) => u.name === cn);
  }
  return undefined;
}

export interface Access {
  verb: string;
  group: string;
  resource: string;
  namespace?: string | undefined;
}

const has = (list: readonly string[], v: string): boolean => list.includes('*') || list.includes(v);

export function allowed(user: KubeUser, a: Access): boolean {
  return user.rules.some((r) =>
    has(r.verbs, a.verb) && has(r.apiGroups, a.group) && has(r.resources, a.resource)
    && (r.namespaces === undefined || (a.namespace !== undefined && r.namespaces.includes(a.namespace))));
}

function isTls(s: unknown): s is TLSSocket {
  return typeof s === 'object' && s !== null && 'getPeerCertificate' in s;
}
