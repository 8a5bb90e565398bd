import { stringify } from 'yaml';

/** Serializes objects as a multi-document YAML stream, the form `kubectl apply -f` reads. */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
