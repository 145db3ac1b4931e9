/**
 * One logger, created in src/cli and passed down; stages add context with
 * child(). Output is ExternalDNS's (logrus's default formatters): `text` is
 * `time="…" level=info msg="…" key=value` with the fields sorted and quoted as
 * logrus quotes them, `json` is one encoding/json object per line.
 * Secrets never reach it: config values are masked before logging (src/config).
 */
import type { Clock } from '../util/clock.ts';
import { redactUrls } from '../util/url-secrets.ts';
import { goFloatG, goQuote } from '../util/go-format.ts';

export const LOG_LEVELS = ['panic', 'fatal', 'error', 'warning', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface LogEntry {
  level: LogLevel;
  msg: string;
  time: number;
  fields: LogFields;
}

export interface Logger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  trace(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  format: 'text' | 'json';
  clock: Clock;
  write: (line: string) => void;
}

const rank = (l: LogLevel): number => LOG_LEVELS.indexOf(l);

/** Builds a logger writing formatted lines. */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format === 'json' ? formatJson : formatText;
  return sinkLogger((entry) => {
    // Last line of defence: a URL's password never reaches the log, whichever field or message carries it.
    if (rank(entry.level) <= rank(options.level)) options.write(redactUrls(format(entry)));
  }, options.clock, {});
}

/** A logger that hands entries to a sink (tests collect them this way). */
export function sinkLogger(sink: (e: LogEntry) => void, clock: Clock, bound: LogFields): Logger {
  const emit = (level: LogLevel) => (msg: string, fields: LogFields = {}): void => {
    sink({ level, msg, time: clock.now(), fields: { ...bound, ...fields } });
  };
  return {
    error: emit('error'),
    warn: emit('warning'),
    info: emit('info'),
    debug: emit('debug'),
    trace: emit('trace'),
    child: (fields) => sinkLogger(sink, clock, { ...bound, ...fields }),
  };
}

export const silentLogger: Logger = sinkLogger(() => undefined, { now: () => 0, sleep: () => Promise.resolve() }, {});

function formatText(e: LogEntry): string {
  const fields = unclash(e.fields);
  const parts = [`time=${logrusString(rfc3339(e.time))}`, `level=${e.level}`];
  if (e.msg !== '') parts.push(`msg=${logrusString(e.msg)}`);
  for (const k of Object.keys(fields).sort()) parts.push(`${k}=${logrusValue(fields[k])}`);
  return parts.join(' ');
}

/** logrus's JSONFormatter: encoding/json of a map, so keys sorted and <, >, & escaped. */
function formatJson(e: LogEntry): string {
  const data: LogFields = unclash(e.fields);
  data.time = rfc3339(e.time);
  data.msg = e.msg;
  data.level = e.level;
  return goJson(data);
}

/** logrus keeps time, msg and level for itself: a field of that name is renamed fields.<name>. */
function unclash(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[RESERVED.has(k) ? `fields.${k}` : k] = v;
  return out;
}

const RESERVED = new Set(['time', 'msg', 'level', 'logrus_error']);

/** logrus's default timestamp: time.RFC3339, whole seconds (extdns writes UTC). */
function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function logrusValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloatG(v);
  if (typeof v === 'boolean') return String(v);
  return logrusString(stringify(v));
}

/** Unquoted only when every byte is one of logrus's safe bytes; otherwise strconv.Quote. */
function logrusString(s: string): string {
  return /^[A-Za-z0-9\-._/@^+]*$/.test(s) ? s : goQuote(s);
}

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.message;
  return JSON.stringify(v) ?? String(v);
}

function goJson(v: unknown): string {
  const text = JSON.stringify(sortedForJson(v)) ?? 'null';
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

function sortedForJson(v: unknown): unknown {
  if (v instanceof Error) return v.message;
  if (typeof v === 'string') return v.toWellFormed();
  if (Array.isArray(v)) return v.map(sortedForJson);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedForJson((v as Record<string, unknown>)[k]);
  return out;
}
