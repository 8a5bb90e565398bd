/** PromQL checks with the official grammar (@prometheus-io/lezer-promql). */
import { parser } from '@prometheus-io/lezer-promql';

/** Syntax errors of a query, as `offset: text` entries (empty when it parses). */
export function promqlErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`${node.from}: ${JSON.stringify(query.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}

/** Metric names a query references (identifiers in vector selectors). */
export function promqlMetricNames(query: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(query);
  tree.iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(query.slice(id.from, id.to));
      }
    },
  });
  return [...names];
}
