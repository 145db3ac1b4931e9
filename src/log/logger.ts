/**
 * One logger, created in src/cli and passed down; stages add context with
 * child(). Output follows ExternalDNS (logrus): `text` is
 * `time="…" level=info msg="…" key=value`, `json` is one object per line.
 * Secrets never reach it: config values are masked before logging (src/config).
 */
import type { Clock } from '../util/clock.ts';
import { redactUrls } from '../util/url-secrets.ts';

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
  const parts = [`time="${new Date(e.time).toISOString()}"`, `level=${e.level}`, `msg=${quote(e.msg)}`];
  for (const [k, v] of Object.entries(e.fields)) parts.push(`${k}=${quoteIfNeeded(stringify(v))}`);
  return parts.join(' ');
}

function formatJson(e: LogEntry): string {
  return JSON.stringify({ level: e.level, msg: e.msg, time: new Date(e.time).toISOString(), ...e.fields });
}

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.message;
  return JSON.stringify(v) ?? String(v);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function quoteIfNeeded(s: string): string {
  return /^[\w./:@-]+$/.test(s) ? s : quote(s);
}
