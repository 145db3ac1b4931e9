/**
 * Prometheus text exposition format 0.0.4: escaping and number formatting.
 * Scrapers parse exactly this, so the rules are spelled out here once:
 * HELP text escapes backslash and newline; label values also escape the
 * double quote; values are Go-style floats with NaN, +Inf and -Inf.
 */

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `{a="1",b="2"}` in the given order; empty string for no labels. */
/** As Go's client writes them: sorted by name, with a summary's `quantile` or a histogram's `le` last. */
export function formatLabels(labels: readonly (readonly [string, string])[]): string {
  if (labels.length === 0) return '';
  const last = labels[labels.length - 1];
  const tail = last !== undefined && (last[0] === 'quantile' || last[0] === 'le') ? [last] : [];
  const sorted = labels.slice(0, labels.length - tail.length).toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${[...sorted, ...tail].map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

export function sampleLine(name: string, labels: readonly (readonly [string, string])[], value: number): string {
  return `${name}${formatLabels(labels)} ${formatValue(value)}`;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** Label names starting with `__` are reserved for Prometheus itself. */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}
