/**
 * Name, label and quantity checks shared by every spec. Rules follow Kubernetes' own validation
 * (k8s.io/apimachinery/pkg/util/validation): DNS-1035 labels for names that become Service names,
 * DNS-1123 subdomains for namespaces, qualified names for label keys.
 */
import type { SpecIssue } from '../errors';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes resource quantity (k8s.io/apimachinery/pkg/api/resource). */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[mkMGTPE])?$/;

/** Longest name tokenscale accepts for a service: leaves room for suffixes such as `-metrics`. */
export const MAX_NAME_LENGTH = 52;

/** Checks a name that becomes the name of a Service and other objects (a DNS-1035 label). */
export function checkObjectName(path: string, value: unknown): SpecIssue[] {
  if (typeof value !== 'string' || !DNS1035_LABEL.test(value) || value.length > MAX_NAME_LENGTH) {
    return [{
      code: 'name-invalid',
      path,
      value,
      problem: `names must be DNS-1035 labels of at most ${MAX_NAME_LENGTH} characters (lower-case letters, digits and '-', starting with a letter)`,
      fix: `use a name such as ${JSON.stringify(suggestName(value))}`,
    }];
  }
  return [];
}

/** Checks a namespace name (a DNS-1123 label of at most 63 characters). */
export function checkNamespace(path: string, value: unknown): SpecIssue[] {
  if (typeof value !== 'string' || !DNS1123_LABEL.test(value) || value.length > 63) {
    return [{
      code: 'namespace-invalid',
      path,
      value,
      problem: 'namespaces must be DNS-1123 labels of at most 63 characters',
      fix: `use a namespace such as ${JSON.stringify(suggestName(value))}`,
    }];
  }
  return [];
}

/** Checks a map of labels: qualified-name keys with an optional DNS-1123 prefix, valid values. */
export function checkLabels(path: string, labels: unknown): SpecIssue[] {
  if (labels === undefined) return [];
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    return [{ code: 'labels-invalid', path, value: labels, problem: 'labels must be a map of strings', fix: 'use { key: "value" }' }];
  }
  const issues: SpecIssue[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key)) {
      issues.push({
        code: 'label-key-invalid',
        path: `${path}.${key}`,
        value: key,
        problem: 'label keys are an optional DNS subdomain prefix and "/" followed by a name of at most 63 characters',
        fix: 'use keys such as "team" or "example.com/team"',
      });
    }
    issues.push(...checkLabelValue(`${path}.${key}`, value));
  }
  return issues;
}

/** Checks one label value: at most 63 characters, alphanumeric at both ends. */
export function checkLabelValue(path: string, value: unknown): SpecIssue[] {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    return [{
      code: 'label-value-invalid',
      path,
      value,
      problem: 'label values are at most 63 characters of letters, digits, "-", "_" and ".", starting and ending alphanumeric',
      fix: `use a value such as ${JSON.stringify(suggestName(value))}`,
    }];
  }
  return [];
}

/** True when `key` is a valid label or annotation key. */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** True when `value` is a Kubernetes resource quantity such as `4`, `500m` or `32Gi`. */
export function isQuantity(value: unknown): value is string {
  return typeof value === 'string' && QUANTITY.test(value);
}

/** Checks a quantity field. */
export function checkQuantity(path: string, value: unknown, example: string): SpecIssue[] {
  if (value === undefined || isQuantity(value)) return [];
  return [{
    code: 'quantity-invalid',
    path,
    value,
    problem: 'it is not a Kubernetes quantity',
    fix: `write it as a string such as ${JSON.stringify(example)}`,
  }];
}

/** A readable DNS-1035 name derived from anything, used in error fixes and as a default. */
export function suggestName(value: unknown): string {
  const base = String(value ?? 'name')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return base.length > 0 ? base : 'name';
}
