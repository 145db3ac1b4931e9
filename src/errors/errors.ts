/**
 * extdns errors: every failure carries a stable `EXTDNS_…` code, a message in
 * plain words that names the fix, and a `transient` flag. The controller
 * decides between "retry at the next run" and "stop" from that flag alone,
 * never from message text.
 */

import { redactUrls } from '../util/url-secrets.ts';

export interface ErrorSpec {
  readonly code: `EXTDNS_${string}`;
  /** True when the same operation may succeed later without a change of input. */
  readonly transient: boolean;
  /** One line for docs/errors.md. */
  readonly summary: string;
  /** For permanent errors caused by data rather than configuration (see ErrorKind); absent = configuration. */
  readonly kind?: ErrorKind;
}

/**
 * What a permanent error says about the input, so the loop knows whether to
 * stop (issue 12 item 3: only configuration errors stop it):
 * - 'refused-change': the provider refused a batch of changes for its content
 *   and applied none of it; the controller isolates the culprit by splitting;
 * - 'data': bad data outside extdns's control (a record the provider refused
 *   after applying the rest, a malformed manifest); the loop goes on.
 */
export type ErrorKind = 'refused-change' | 'data';

type ErrorTable<K extends string> = { readonly [P in K]: { transient: boolean; summary: string; kind?: ErrorKind } };

const allSpecs = new Map<string, ErrorSpec>();

/**
 * Declares a module's error codes. Keys are the codes; registering one code
 * twice is a programming error.
 */
export function defineErrors<K extends `EXTDNS_${string}`>(table: ErrorTable<K>): { readonly [P in K]: ErrorSpec } {
  const out = {} as Record<K, ErrorSpec>;
  for (const code of Object.keys(table) as K[]) {
    if (allSpecs.has(code)) throw new Error(`error code ${code} defined twice`);
    const spec: ErrorSpec = { code, ...table[code] };
    allSpecs.set(code, spec);
    out[code] = spec;
  }
  return out;
}

/** Every code registered so far (the docs generator imports every module first). */
export function registeredErrors(): ErrorSpec[] {
  return [...allSpecs.values()].sort((a, b) => a.code.localeCompare(b.code));
}

const brand = Symbol.for('extdns.error');

export interface ErrorOptions {
  cause?: unknown;
  /** Overrides the spec's transient flag for this instance (e.g. a 5xx vs a 4xx of one API call). */
  transient?: boolean;
  /** Overrides the spec's kind for this instance (e.g. a 400 to an apply vs a 401). */
  kind?: ErrorKind;
}

export class ExtdnsError extends Error {
  readonly code: string;
  readonly transient: boolean;
  readonly kind: ErrorKind | undefined;

  constructor(spec: ErrorSpec, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExtdnsError';
    this.code = spec.code;
    this.transient = options.transient ?? spec.transient;
    this.kind = options.kind ?? spec.kind;
    Object.defineProperty(this, brand, { value: true });
  }

  static is(value: unknown): value is ExtdnsError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/** Transient unless proven otherwise? No: unknown errors are treated as fatal, like ExternalDNS. */
export function isTransient(err: unknown): boolean {
  return ExtdnsError.is(err) && err.transient;
}

/** A provider refused a batch for its content and applied none of it (split it to find the culprit). */
export function isRefusedChange(err: unknown): boolean {
  return ExtdnsError.is(err) && !err.transient && err.kind === 'refused-change';
}

/** A permanent error caused by data, not configuration: the loop logs it and goes on. */
export function isDataError(err: unknown): boolean {
  return ExtdnsError.is(err) && !err.transient && err.kind !== undefined;
}

/** The message as printed: with the code, and passwords in URLs masked. */
export function errorMessage(err: unknown): string {
  if (ExtdnsError.is(err)) return redactUrls(`${err.code}: ${err.message}`);
  if (err instanceof Error) return redactUrls(err.message);
  return redactUrls(String(err));
}
