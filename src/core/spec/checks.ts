/**
 * Small checks on plain values, each returning the issues it finds. They keep type and range checks on
 * user input in one style, so YAML and TypeScript users get the same messages.
 */
import type { SpecIssue } from '../errors';

/** Checks that `value`, when set, is an integer within [min, max]. */
export function checkInteger(
  path: string,
  value: unknown,
  bounds: { min?: number; max?: number; code: string; fix: string; why?: string },
): SpecIssue[] {
  if (value === undefined) return [];
  const ok = typeof value === 'number' && Number.isInteger(value)
    && (bounds.min === undefined || value >= bounds.min)
    && (bounds.max === undefined || value <= bounds.max);
  if (ok) return [];
  const range = bounds.max === undefined ? `>= ${bounds.min}` : `between ${bounds.min} and ${bounds.max}`;
  return [{
    code: bounds.code,
    path,
    value,
    problem: bounds.why ?? `it must be an integer ${range}`,
    fix: bounds.fix,
  }];
}

/** Checks that `value`, when set, is a finite number in the open/closed interval described. */
export function checkNumber(
  path: string,
  value: unknown,
  bounds: { above?: number; atMost?: number; code: string; fix: string; why: string },
): SpecIssue[] {
  if (value === undefined) return [];
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (bounds.above === undefined || value > bounds.above)
    && (bounds.atMost === undefined || value <= bounds.atMost);
  return ok ? [] : [{ code: bounds.code, path, value, problem: bounds.why, fix: bounds.fix }];
}

/** Checks that `value`, when set, is one of `choices`. */
export function checkChoice(path: string, value: unknown, choices: readonly string[], code: string): SpecIssue[] {
  if (value === undefined || (typeof value === 'string' && choices.includes(value))) return [];
  return [{
    code,
    path,
    value,
    problem: `it must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`,
    fix: `set it to one of ${choices.join(' | ')}`,
  }];
}

/** Checks that `value`, when set, is a non-empty string. */
export function checkString(path: string, value: unknown, code: string, fix: string): SpecIssue[] {
  if (value === undefined || (typeof value === 'string' && value.trim().length > 0)) return [];
  return [{ code, path, value, problem: 'it must be a non-empty string', fix }];
}

/**
 * Reports keys of `obj` not in `known`: a misspelt field must not be silently ignored
 * (`gpuPerReplica` instead of `gpusPerReplica`).
 */
export function checkKnownKeys(path: string, obj: unknown, known: readonly string[]): SpecIssue[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [];
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k) => ({
      code: 'field-unknown',
      path: `${path}.${k}`,
      value: (obj as Record<string, unknown>)[k],
      problem: 'it is not a field of this spec',
      fix: nearest(k, known) ? `did you mean \`${nearest(k, known)}\`?` : `remove it; known fields are ${known.join(', ')}`,
    }));
}

/** Checks that `value`, when set, is a plain object; returns an issue otherwise. */
export function checkObject(path: string, value: unknown, code: string, fix: string): SpecIssue[] {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) return [];
  return [{ code, path, value, problem: 'it must be an object', fix }];
}

/** The known key closest to `key` by edit distance, when close enough to be a typo. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Checks that `value`, when set, is a list; returns an issue otherwise. */
export function checkList(path: string, value: unknown, code: string, fix: string): SpecIssue[] {
  if (value === undefined || Array.isArray(value)) return [];
  return [{ code, path, value, problem: 'it must be a list', fix }];
}

/** Checks that `value`, when set, is true or false. */
export function checkBoolean(path: string, value: unknown, code: string): SpecIssue[] {
  if (value === undefined || typeof value === 'boolean') return [];
  return [{ code, path, value, problem: 'it must be true or false', fix: 'write true or false (unquoted in YAML)' }];
}

/** A mapping of fields (not null, not a list): specs typed in TypeScript may still hold anything at run time. */
export function isPlainObject<T extends object>(value: T | null | undefined): value is T;
export function isPlainObject(value: unknown): value is Record<string, unknown>;
export function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
