/**
 * A tiny metrics registry: counters, gauges and histograms with labels, rendered in the Prometheus
 * text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
 * No dependency: Heed needs a dozen series, not a client library.
 */

/** Label values of one series, keyed by label name. */
export type Labels = Readonly<Record<string, string>>;

/** The `Content-Type` of {@link MetricsRegistry.render}'s output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** What every metric is declared with. */
export interface MetricOptions {
  readonly name: string;
  readonly help: string;
  /** Label names, in the order they are rendered. */
  readonly labelNames?: readonly string[];
}

/** A sample value as the text format spells it: `+Inf`, `-Inf`, `NaN` or a Go-parsable float. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** A label value escaped for the text format: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** `# HELP` text escaped for the text format: backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function renderLabels(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

// The series of one metric, keyed by their label values (in label-name order).
abstract class Metric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  protected readonly series = new Map<string, { values: readonly string[]; state: S }>();

  constructor(
    readonly type: 'counter' | 'gauge' | 'histogram',
    options: MetricOptions,
  ) {
    if (!METRIC_NAME.test(options.name)) throw new Error(`invalid metric name "${options.name}"`);
    const labelNames = options.labelNames ?? [];
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) {
        throw new Error(`invalid label name "${label}" on ${options.name}`);
      }
    }
    this.name = options.name;
    this.help = options.help;
    this.labelNames = labelNames;
  }

  protected abstract initial(): S;

  protected stateFor(labels: Labels): S {
    const given = Object.keys(labels);
    if (given.length !== this.labelNames.length || given.some((name) => !this.labelNames.includes(name))) {
      throw new Error(
        `${this.name} takes the labels [${this.labelNames.join(', ')}], got [${given.join(', ')}]`,
      );
    }
    const values = this.labelNames.map((name) => labels[name]!);
    const key = JSON.stringify(values);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { values, state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  /** Drops every series (a gauge refilled at each scrape). */
  reset(): void {
    this.series.clear();
  }

  /** Series in a stable order: by label values. */
  protected sortedSeries(): { pairs: [string, string][]; state: S }[] {
    return [...this.series.values()]
      .sort((a, b) => compareValues(a.values, b.values))
      .map(({ values, state }) => ({
        pairs: values.map((value, index) => [this.labelNames[index]!, value] as [string, string]),
        state,
      }));
  }

  protected abstract samples(): string[];

  /** The metric family in the text format, with its `# HELP` and `# TYPE` lines. */
  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    lines.push(...this.samples());
    return `${lines.join('\n')}\n`;
  }
}

function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const left = a[index]!;
    const right = b[index]!;
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

/** A value that only goes up (restarts reset it; Prometheus' `rate()` copes). */
export class Counter extends Metric<{ value: number }> {
  constructor(options: MetricOptions) {
    super('counter', options);
  }

  protected initial() {
    return { value: 0 };
  }

  /** Adds `by` (default 1; 0 makes the series appear with 0). */
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0 || Number.isNaN(by)) throw new Error(`${this.name}: a counter cannot go down`);
    this.stateFor(labels).value += by;
  }

  /** The current value of one series (tests). */
  get(labels: Labels = {}): number {
    return this.series.get(JSON.stringify(this.labelNames.map((name) => labels[name])))?.state.value ?? 0;
  }

  protected samples(): string[] {
    return this.sortedSeries().map(
      ({ pairs, state }) => `${this.name}${renderLabels(pairs)} ${formatValue(state.value)}`,
    );
  }
}

/** A value that goes up and down; `collect` refills it at every scrape. */
export class Gauge extends Metric<{ value: number }> {
  private collector: ((gauge: Gauge) => void) | undefined;

  constructor(options: MetricOptions & { readonly collect?: (gauge: Gauge) => void }) {
    super('gauge', options);
    this.collector = options.collect;
  }

  protected initial() {
    return { value: 0 };
  }

  set(labels: Labels, value: number): void {
    this.stateFor(labels).value = value;
  }

  /** Replaces the scrape-time collector: the gauge is emptied and `collect` sets every series. */
  collectWith(collect: (gauge: Gauge) => void): void {
    this.collector = collect;
  }

  override render(): string {
    if (this.collector) {
      this.reset();
      this.collector(this);
    }
    return super.render();
  }

  protected samples(): string[] {
    return this.sortedSeries().map(
      ({ pairs, state }) => `${this.name}${renderLabels(pairs)} ${formatValue(state.value)}`,
    );
  }
}

interface HistogramState {
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into cumulative `le` buckets, with their sum and count. */
export class Histogram extends Metric<HistogramState> {
  readonly buckets: readonly number[];

  constructor(options: MetricOptions & { readonly buckets: readonly number[] }) {
    super('histogram', options);
    if (this.labelNames.includes('le')) throw new Error(`${options.name}: "le" is reserved for buckets`);
    const buckets = [...new Set(options.buckets)].filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
    if (buckets.length === 0) throw new Error(`${options.name}: a histogram needs buckets`);
    this.buckets = buckets;
  }

  protected initial(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(labels: Labels, value: number): void {
    const state = this.stateFor(labels);
    this.buckets.forEach((bound, index) => {
      if (value <= bound) state.counts[index]! += 1;
    });
    state.sum += value;
    state.count += 1;
  }

  protected samples(): string[] {
    const lines: string[] = [];
    for (const { pairs, state } of this.sortedSeries()) {
      this.buckets.forEach((bound, index) => {
        const labels = renderLabels([...pairs, ['le', formatValue(bound)]]);
        lines.push(`${this.name}_bucket${labels} ${formatValue(state.counts[index]!)}`);
      });
      lines.push(
        `${this.name}_bucket${renderLabels([...pairs, ['le', '+Inf']])} ${formatValue(state.count)}`,
      );
      lines.push(`${this.name}_sum${renderLabels(pairs)} ${formatValue(state.sum)}`);
      lines.push(`${this.name}_count${renderLabels(pairs)} ${formatValue(state.count)}`);
    }
    return lines;
  }
}

/** The metrics of one process, rendered together in the order they were registered. */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Counter | Gauge | Histogram>();

  private add<M extends Counter | Gauge | Histogram>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter(options: MetricOptions): Counter {
    return this.add(new Counter(options));
  }

  gauge(options: MetricOptions & { readonly collect?: (gauge: Gauge) => void }): Gauge {
    return this.add(new Gauge(options));
  }

  histogram(options: MetricOptions & { readonly buckets: readonly number[] }): Histogram {
    return this.add(new Histogram(options));
  }

  /** Every metric in the text exposition format 0.0.4. */
  render(): string {
    return [...this.metrics.values()].map((metric) => metric.render()).join('');
  }
}
