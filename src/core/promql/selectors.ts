/** PromQL label selectors with escaped values. */

/** Quotes a label value as a PromQL string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `{k1="v1",k2="v2"}` from a map, in the given key order, then any further matchers as written (`k!~"re"`). */
export function selector(labels: Readonly<Record<string, string>>, matchers: readonly string[] = []): string {
  return `{${[...Object.entries(labels).map(([k, v]) => `${k}=${quote(v)}`), ...matchers].join(',')}}`;
}

/** A regex alternation of the values, metacharacters escaped: PromQL anchors it, so it matches those values only. */
export function anyOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
