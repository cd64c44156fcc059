/**
 * Reading a /api/metrics answer the way Prometheus does: parsed by a Prometheus text parser
 * (parse-prometheus-text-format), not by regular expressions. That parser merges every series of
 * a labelled histogram into one (it keeps the `le` buckets of the last series and drops the other
 * labels), so histograms are read per series from a second parse without their TYPE lines, where
 * `_bucket`, `_sum` and `_count` are families of their own with all their labels.
 */
import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';

export interface HistogramSeries {
  /** Cumulative count per upper bound, in the order of the text ("0.01", …, "+Inf"). */
  buckets: [string, number][];
  sum: number;
  count: number;
}

export interface Scrape {
  text: string;
  families: Map<string, ParsedFamily>;
  /** The sample of `name` whose labels include `labels`; throws when the family or sample is missing. */
  sample(name: string, labels?: Record<string, string>): ParsedSample;
  /** Its value as a number. */
  value(name: string, labels?: Record<string, string>): number;
  histogram(name: string, labels: Record<string, string>): HistogramSeries;
}

const matches = (sample: ParsedSample, labels: Record<string, string>) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value);

export function parseScrape(text: string): Scrape {
  const families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
  // Untyped, the series interleave (one destination's _bucket, _sum, _count, then the next's), so
  // each name comes back as several families: merged here.
  const untyped = new Map<string, ParsedFamily>();
  const withoutHistogramTypes = text
    .split('\n')
    .filter((line) => !/^# TYPE \S+ histogram$/.test(line))
    .join('\n');
  for (const family of parsePrometheusTextFormat(withoutHistogramTypes)) {
    const seen = untyped.get(family.name);
    if (seen) seen.metrics.push(...family.metrics);
    else untyped.set(family.name, { ...family, metrics: [...family.metrics] });
  }
  const find = (from: Map<string, ParsedFamily>, name: string, labels: Record<string, string>) => {
    const family = from.get(name);
    if (!family) throw new Error(`no metric ${name} in the scrape`);
    const found = family.metrics.filter((metric) => matches(metric, labels));
    if (found.length === 0) throw new Error(`no sample ${name}${JSON.stringify(labels)} in the scrape`);
    return found;
  };
  const sample = (name: string, labels: Record<string, string> = {}) => find(families, name, labels)[0]!;
  return {
    text,
    families,
    sample,
    value: (name, labels) => Number(sample(name, labels).value),
    histogram: (name, labels) => ({
      buckets: find(untyped, `${name}_bucket`, labels).map((bucket) => [bucket.labels!.le!, Number(bucket.value)]),
      sum: Number(find(untyped, `${name}_sum`, labels)[0]!.value),
      count: Number(find(untyped, `${name}_count`, labels)[0]!.value),
    }),
  };
}
