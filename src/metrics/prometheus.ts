/**
 * A small Prometheus registry: counters, gauges, summaries and histograms
 * with labels, plus collectors whose samples are computed at scrape time
 * (trust stores, provider stats). expose() renders text format 0.0.4.
 *
 * Like the Go client, an unlabelled metric is always exposed (0 until set),
 * and a labelled one shows only the series that have been set.
 */
import { formatLabels, formatValue, isValidLabelName, isValidMetricName, type Labels } from './exposition.ts';
import { escapeHelp } from './exposition.ts';
import { compareCodeUnits } from '../util/compare.ts';

export type MetricType = 'counter' | 'gauge' | 'summary' | 'histogram';

export interface MetricOptions {
  name: string;
  help: string;
  /** Label names every sample must carry, in exposition order. */
  labelNames?: readonly string[];
  /** Labels with one fixed value (e.g. build_info's version). */
  constLabels?: Labels;
}

/** A metric family as scrapers see it: name, type and every label name (const labels first). */
export interface MetricDescriptor {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labelNames: readonly string[];
}

export interface Sample {
  labels: Labels;
  value: number;
}

interface Family {
  descriptor: MetricDescriptor;
  render(): string[];
}

type LabelPairs = (readonly [string, string])[];

/** Series of one family, keyed by their label values. */
class SeriesMap<T> {
  readonly #names: readonly string[];
  readonly #metric: string;
  readonly #series = new Map<string, { pairs: LabelPairs; value: T }>();

  constructor(metric: string, names: readonly string[]) {
    this.#metric = metric;
    this.#names = names;
  }

  get(labels: Labels | undefined, init: () => T): T {
    const pairs = this.#pairs(labels ?? {});
    const key = pairs.map(([, v]) => v).join('\u0000');
    let entry = this.#series.get(key);
    if (entry === undefined) {
      entry = { pairs, value: init() };
      this.#series.set(key, entry);
    }
    return entry.value;
  }

  /** Series in a stable order (by label values). */
  entries(): { pairs: LabelPairs; value: T }[] {
    return [...this.#series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  }

  clear(): void {
    this.#series.clear();
  }

  get size(): number {
    return this.#series.size;
  }

  #pairs(labels: Labels): LabelPairs {
    const given = Object.keys(labels);
    if (given.length !== this.#names.length || !this.#names.every((n) => n in labels)) {
      throw new Error(`internal: metric ${this.#metric} takes labels [${this.#names.join(', ')}], got [${given.join(', ')}]`);
    }
    return this.#names.map((n) => [n, labels[n] ?? ''] as const);
  }
}

abstract class Metric<T> implements Family {
  readonly descriptor: MetricDescriptor;
  protected readonly series: SeriesMap<T>;
  protected readonly constPairs: LabelPairs;

  constructor(type: MetricType, options: MetricOptions) {
    const labelNames = options.labelNames ?? [];
    const constPairs = Object.entries(options.constLabels ?? {});
    this.descriptor = { name: options.name, type, help: options.help, labelNames: [...constPairs.map(([k]) => k), ...labelNames] };
    this.constPairs = constPairs;
    this.series = new SeriesMap<T>(options.name, labelNames);
  }

  /** Drops every series (gauges that describe "this sync" start over each sync). */
  reset(): void {
    this.series.clear();
  }

  abstract render(): string[];
}

class ValueMetric extends Metric<{ v: number }> {
  readonly #alwaysShown: boolean;

  constructor(type: 'counter' | 'gauge', options: MetricOptions) {
    super(type, options);
    this.#alwaysShown = (options.labelNames ?? []).length === 0;
  }

  protected cell(labels?: Labels): { v: number } {
    return this.series.get(labels, () => ({ v: 0 }));
  }

  /** The current value (0 for a series never set). */
  value(labels?: Labels): number {
    return this.cell(labels).v;
  }

  render(): string[] {
    if (this.#alwaysShown) this.cell();
    const name = this.descriptor.name;
    return this.series.entries().map((e) => `${name}${formatLabels([...this.constPairs, ...e.pairs])} ${formatValue(e.value.v)}`);
  }
}

export class Counter extends ValueMetric {
  constructor(options: MetricOptions) {
    super('counter', options);
  }

  inc(labels?: Labels, by = 1): void {
    if (!(by >= 0)) throw new Error(`internal: counter ${this.descriptor.name} can only go up (got ${by})`);
    this.cell(labels).v += by;
  }
}

export class Gauge extends ValueMetric {
  constructor(options: MetricOptions) {
    super('gauge', options);
  }

  set(value: number, labels?: Labels): void {
    this.cell(labels).v = value;
  }

  add(by: number, labels?: Labels): void {
    this.cell(labels).v += by;
  }
}

interface SummaryState {
  /** Observations of the head age bucket onwards: [time ms, value], oldest first. */
  recent: Array<[number, number]>;
  sum: number;
  count: number;
}

export interface SummaryOptions extends MetricOptions {
  quantiles?: readonly number[];
  /** The clock that ages observations out (Go's MaxAge/AgeBuckets window). */
  now: () => number;
  /** Go's SummaryOpts.MaxAge (default 10 minutes) and AgeBuckets (default 5). */
  maxAgeMs?: number;
  ageBuckets?: number;
}

/**
 * The Go client's Summary window: observations go into AgeBuckets streams,
 * one of them reset every MaxAge/AgeBuckets and the oldest answering, so the
 * quantiles cover what was observed since the head stream's last reset:
 * everything for the first MaxAge, then the last (AgeBuckets-1 .. AgeBuckets)
 * bucket lengths. Sum and count cover all time.
 */
export class Summary extends Metric<SummaryState> {
  readonly #quantiles: readonly number[];
  readonly #now: () => number;
  readonly #bucketMs: number;
  readonly #ageBuckets: number;
  readonly #start: number;

  constructor(options: SummaryOptions) {
    super('summary', { ...options, labelNames: options.labelNames ?? [] });
    this.#quantiles = options.quantiles ?? [0.5, 0.9, 0.99];
    this.#now = options.now;
    this.#ageBuckets = options.ageBuckets ?? 5;
    this.#bucketMs = (options.maxAgeMs ?? 600_000) / this.#ageBuckets;
    this.#start = this.#now();
  }

  observe(value: number, labels?: Labels): void {
    const s = this.series.get(labels, () => ({ recent: [], sum: 0, count: 0 }));
    const at = this.#now();
    this.#expire(s, at);
    s.recent.push([at, value]);
    s.sum += value;
    s.count++;
  }

  render(): string[] {
    const name = this.descriptor.name;
    const out: string[] = [];
    const at = this.#now();
    for (const { pairs, value: s } of this.series.entries()) {
      this.#expire(s, at);
      const sorted = s.recent.map(([, v]) => v).sort((a, b) => a - b);
      const base = [...this.constPairs, ...pairs];
      for (const q of this.#quantiles) out.push(`${name}${formatLabels([...base, ['quantile', String(q)]])} ${formatValue(quantile(sorted, q))}`);
      out.push(`${name}_sum${formatLabels(base)} ${formatValue(s.sum)}`, `${name}_count${formatLabels(base)} ${formatValue(s.count)}`);
    }
    return out;
  }

  /** Drops what the head stream no longer holds: it was last reset (rotations - AgeBuckets + 1) buckets after start. */
  #expire(s: SummaryState, at: number): void {
    const rotations = Math.floor((at - this.#start) / this.#bucketMs);
    const since = this.#start + this.#bucketMs * Math.max(0, rotations - this.#ageBuckets + 1);
    const keep = s.recent.findIndex(([t]) => t >= since);
    if (keep !== 0) s.recent.splice(0, keep === -1 ? s.recent.length : keep);
  }
}

/** Nearest-rank quantile of sorted values; NaN when there are none (as the Go client reports). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(0, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.min(rank, sorted.length - 1)] ?? NaN;
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export interface HistogramOptions extends MetricOptions {
  buckets: readonly number[];
}

export class Histogram extends Metric<HistogramState> {
  readonly #buckets: readonly number[];

  constructor(options: HistogramOptions) {
    super('histogram', options);
    this.#buckets = [...options.buckets].sort((a, b) => a - b);
  }

  observe(value: number, labels?: Labels): void {
    const s = this.series.get(labels, () => ({ counts: this.#buckets.map(() => 0), sum: 0, count: 0 }));
    this.#buckets.forEach((le, i) => {
      if (value <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += value;
    s.count++;
  }

  render(): string[] {
    const name = this.descriptor.name;
    const out: string[] = [];
    for (const { pairs, value: s } of this.series.entries()) {
      const base = [...this.constPairs, ...pairs];
      this.#buckets.forEach((le, i) => out.push(`${name}_bucket${formatLabels([...base, ['le', formatValue(le)]])} ${s.counts[i] ?? 0}`));
      out.push(`${name}_bucket${formatLabels([...base, ['le', '+Inf']])} ${s.count}`);
      out.push(`${name}_sum${formatLabels(base)} ${formatValue(s.sum)}`, `${name}_count${formatLabels(base)} ${s.count}`);
    }
    return out;
  }
}

/** A counter or gauge whose samples are read from somewhere else when scraped. */
class CollectedMetric implements Family {
  readonly descriptor: MetricDescriptor;
  readonly #collect: () => readonly Sample[];

  constructor(type: 'counter' | 'gauge', options: MetricOptions, collect: () => readonly Sample[]) {
    this.descriptor = { name: options.name, type, help: options.help, labelNames: options.labelNames ?? [] };
    this.#collect = collect;
  }

  render(): string[] {
    const names = this.descriptor.labelNames;
    const series = new SeriesMap<{ v: number }>(this.descriptor.name, names);
    for (const s of this.#collect()) series.get(s.labels, () => ({ v: 0 })).v += s.value;
    return series.entries().map((e) => `${this.descriptor.name}${formatLabels(e.pairs)} ${formatValue(e.value.v)}`);
  }
}

export class MetricsRegistry {
  readonly #families = new Map<string, Family>();

  counter(options: MetricOptions): Counter {
    return this.#add(new Counter(options));
  }

  gauge(options: MetricOptions): Gauge {
    return this.#add(new Gauge(options));
  }

  summary(options: SummaryOptions): Summary {
    return this.#add(new Summary(options));
  }

  histogram(options: HistogramOptions): Histogram {
    return this.#add(new Histogram(options));
  }

  /** A family whose samples `collect` returns at each scrape (samples with equal labels are added up). */
  collected(type: 'counter' | 'gauge', options: MetricOptions, collect: () => readonly Sample[]): void {
    this.#add(new CollectedMetric(type, options, collect));
  }

  descriptors(): MetricDescriptor[] {
    return [...this.#families.values()].map((f) => f.descriptor).sort((a, b) => compareCodeUnits(a.name, b.name));
  }

  /** The text exposition: families sorted by name, HELP and TYPE before each; families without samples are left out. */
  expose(): string {
    const out: string[] = [];
    for (const name of [...this.#families.keys()].sort()) {
      const family = this.#families.get(name);
      if (family === undefined) continue;
      const lines = family.render();
      if (lines.length === 0) continue;
      out.push(`# HELP ${name} ${escapeHelp(family.descriptor.help)}`, `# TYPE ${name} ${family.descriptor.type}`, ...lines);
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }

  #add<F extends Family>(family: F): F {
    const { name, labelNames } = family.descriptor;
    if (!isValidMetricName(name)) throw new Error(`internal: invalid metric name ${JSON.stringify(name)}`);
    for (const l of labelNames) if (!isValidLabelName(l)) throw new Error(`internal: metric ${name} has an invalid label name ${JSON.stringify(l)}`);
    if (this.#families.has(name)) throw new Error(`internal: metric ${name} registered twice`);
    this.#families.set(name, family);
    return family;
  }
}
