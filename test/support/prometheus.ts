// Reading Prometheus' text format in tests.

/** One sample's value: `name{labels} value`, labels given in the order Prometheus prints them; undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
