/**
 * Property-based hardening (fast-check, seeded) over generated invalid fleets (wrong types, out-of-range
 * numbers, missing fields, unknown keys, hostile strings in names and labels): tokenscale throws its own
 * error type with a field path, never a TypeError, and never emits an invalid object.
 */
import { App } from 'cdk8s';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { mutate, mutation, RUNS, SEED, validFleet } from './arbitraries';
import { synthInMemory } from './synth-in-memory';
import { allSchemaErrors } from '../support/schema';
import { FleetFileError, FleetSpec, parseFleet, TokenscaleError } from 'tokenscale';
import { buildFleetApp } from 'tokenscale/cdk8s';

/** The outcome of building a possibly invalid fleet: our own error with field paths, or valid objects. */
function outcome(build: () => App): 'rejected' | 'violations' | 'built' {
  let app: App;
  try {
    app = build();
  } catch (err) {
    expect(err).toBeInstanceOf(TokenscaleError);
    const issues = (err as TokenscaleError).issues;
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.path).toMatch(/\S/);
    return 'rejected';
  }
  const { objects, violations } = synthInMemory(app);
  if (violations.length > 0) return 'violations';
  expect(allSchemaErrors(objects)).toEqual([]);
  return 'built';
}

describe('generated invalid fleets', () => {
  test('through the TypeScript API: a TokenscaleError with field paths, or valid objects; never a TypeError', () => {
    const seen = new Map<string, number>();
    fc.assert(fc.property(validFleet, mutation, (fleet, m) => {
      const broken = mutate(fleet, m) as FleetSpec;
      const result = outcome(() => buildFleetApp(broken).app);
      seen.set(result, (seen.get(result) ?? 0) + 1);
    }), { numRuns: RUNS * 3, seed: SEED });
    expect(seen.get('rejected')).toBeGreaterThan(RUNS / 2);
  }, 600_000);

  test('through a fleet file: every problem at file:line:column with a field path; never a TypeError', () => {
    fc.assert(fc.property(validFleet, mutation, (fleet, m) => {
      const text = stringify(mutate(fleet, m));
      let parsed: FleetSpec;
      try {
        parsed = parseFleet(text, 'fleet.yaml');
      } catch (err) {
        expect(err).toBeInstanceOf(FleetFileError);
        for (const issue of (err as FleetFileError).located) {
          expect(issue.path).toMatch(/\S/);
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(text.split('\n').length);
          expect(issue.column).toBeGreaterThanOrEqual(1);
        }
        return;
      }
      expect(outcome(() => buildFleetApp(parsed).app)).not.toBe('rejected');
    }), { numRuns: RUNS * 3, seed: SEED });
  }, 600_000);
});
