/**
 * One problem found in a spec: what is wrong, where, with which value, and how to fix it.
 */
export interface SpecIssue {
  /** Stable, machine-readable code (for example `gpu-count-invalid`). */
  readonly code: string;
  /** Dotted path of the offending field, rooted at the construct (for example `service.gpusPerReplica`). */
  readonly path: string;
  /** The value received. */
  readonly value: unknown;
  /** Why the value is wrong. */
  readonly problem: string;
  /** What to do instead. */
  readonly fix: string;
}

/** Renders a value the way it appears in messages: strings quoted, objects as compact JSON. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'unset';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}

/** Renders one issue in the house style: `` `path` is value, but problem: fix [code] ``. */
export function formatIssue(issue: SpecIssue): string {
  return `\`${issue.path}\` is ${renderValue(issue.value)}, but ${issue.problem}: ${issue.fix} [${issue.code}]`;
}

/**
 * The one error type of tokenscale. It carries every problem found in a spec, so a user fixes them all
 * in one pass instead of one per run.
 */
export class TokenscaleError extends Error {
  public readonly issues: readonly SpecIssue[];

  public constructor(issues: readonly SpecIssue[], context?: string) {
    if (issues.length === 0) {
      throw new RangeError('TokenscaleError needs at least one issue');
    }
    const header = context ? `${context}: validation failed` : 'Validation failed';
    super(
      issues.length === 1
        ? `${header}: ${formatIssue(issues[0])}`
        : `${header} with the following errors:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`,
    );
    this.name = 'TokenscaleError';
    this.issues = issues;
  }

  /** The codes of all issues, in the order they were found. */
  public get codes(): string[] {
    return this.issues.map((i) => i.code);
  }

  /** The field paths of all issues, in the order they were found. */
  public get paths(): string[] {
    return this.issues.map((i) => i.path);
  }
}

/** Collects issues while a spec is checked; `throwIfAny` raises them together. */
export class IssueCollector {
  private readonly found: SpecIssue[] = [];

  public add(issue: SpecIssue): void {
    this.found.push(issue);
  }

  public addAll(issues: readonly SpecIssue[]): void {
    this.found.push(...issues);
  }

  public get issues(): readonly SpecIssue[] {
    return this.found;
  }

  public throwIfAny(context?: string): void {
    if (this.found.length > 0) {
      throw new TokenscaleError(this.found, context);
    }
  }
}
