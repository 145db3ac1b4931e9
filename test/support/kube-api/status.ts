/** `Status` bodies exactly as kube-apiserver writes them for failures (k8s.io/apimachinery/pkg/api/errors). */
import { qualifiedResource } from './resources.ts';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message: string; field?: string }[]; retryAfterSeconds?: number };
  code: number;
}

export interface Target {
  group: string;
  resource: string;
  name?: string | undefined;
}

function failure(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details === undefined ? {} : { details }), code };
}

function details(t: Target): NonNullable<StatusBody['details']> {
  return { ...(t.name === undefined ? {} : { name: t.name }), ...(t.group === '' ? {} : { group: t.group }), kind: t.resource };
}

function subject(t: Target): string {
  return t.name === undefined ? qualifiedResource(t) : `${qualifiedResource(t)} "${t.name}"`;
}

export const statuses = {
  notFound: (t: Target): StatusBody => failure(404, 'NotFound', `${subject(t)} not found`, details(t)),
  alreadyExists: (t: Target): StatusBody => failure(409, 'AlreadyExists', `${subject(t)} already exists`, details(t)),
  conflict: (t: Target): StatusBody => failure(409, 'Conflict',
    `Operation cannot be fulfilled on ${subject(t)}: the object has been modified; please apply your changes to the latest version and try again`,
    details(t)),
  forbidden: (t: Target & { user: string; verb: string; namespace?: string | undefined; subresource?: string | undefined }): StatusBody => {
    const res = t.subresource === undefined ? t.resource : `${t.resource}/${t.subresource}`;
    const scope = t.namespace === undefined ? 'at the cluster scope' : `in the namespace "${t.namespace}"`;
    return failure(403, 'Forbidden',
      `${subject(t)} is forbidden: User "${t.user}" cannot ${t.verb} resource "${res}" in API group "${t.group}" ${scope}`, details(t));
  },
  unauthorized: (): StatusBody => failure(401, 'Unauthorized', 'Unauthorized'),
  expired: (message: string): StatusBody => failure(410, 'Expired', message),
  tooOldResourceVersion: (asked: number, current: number): StatusBody =>
    failure(410, 'Expired', `too old resource version: ${asked} (${current})`),
  invalid: (kind: string, name: string, causes: { field: string; message: string }[]): StatusBody =>
    failure(422, 'Invalid', `${kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
      { name, kind, causes: causes.map((c) => ({ reason: 'FieldValueRequired', message: c.message, field: c.field })) }),
  badRequest: (message: string): StatusBody => failure(400, 'BadRequest', message),
  methodNotAllowed: (): StatusBody => failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
  unsupportedMediaType: (type: string): StatusBody => failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${type})`),
  pageNotFound: (): StatusBody => failure(404, 'NotFound', 'the server could not find the requested resource'),
  unavailable: (): StatusBody => failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request',
    { retryAfterSeconds: 1 }),
  tooManyRequests: (retryAfter: number): StatusBody => failure(429, 'TooManyRequests', 'Too many requests, please try again later.',
    { retryAfterSeconds: retryAfter }),
};
