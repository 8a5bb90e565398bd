/**
 * Property-based tests (fast-check, seeded) over generated valid fleets: every emitted object is strictly
 * schema-valid, the fleet passes its own envelope, the cost envelope's spot estimates stay within its
 * on-demand months, the YAML form reads back to the same fleet, and cdk8s and Pulumi emit identical objects.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { PULUMI_RUNS, RUNS, SEED, validFleet } from './arbitraries';
import { synthInMemory } from './synth-in-memory';
import { installMocks, recorded, settle } from '../support/pulumi-mocks';
import { allSchemaErrors } from '../support/schema';
import { FleetSpec, KubeObject, parseFleet } from 'tokenscale';
import { appCostEnvelope, buildFleetApp } from 'tokenscale/cdk8s';

beforeAll(installMocks);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tp = () => require('tokenscale/pulumi') as typeof import('tokenscale/pulumi');

const key = (o: KubeObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const sorted = (objects: readonly KubeObject[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));

let run = 0;

describe('generated valid fleets', () => {
  test('emit strictly schema-valid objects that pass their own envelope, and read back from their YAML form', () => {
    fc.assert(fc.property(validFleet, (fleet: FleetSpec) => {
      const { app } = buildFleetApp(fleet);
      const { objects, violations } = synthInMemory(app);
      expect(violations).toEqual([]);
      // A spot estimate, where the pool prices spot, stays within the on-demand months, which bound it.
      for (const s of appCostEnvelope(app)?.services ?? []) {
        if (!s.withSpot) continue;
        expect(s.withSpot.monthlyUsdAtMin).toBeLessThanOrEqual(s.monthlyUsdAtMin);
        expect(s.withSpot.monthlyUsdAtMax).toBeLessThanOrEqual(s.monthlyUsdAtMax);
        expect(s.withSpot.monthlyUsdAtMin).toBeLessThanOrEqual(s.withSpot.monthlyUsdAtMax);
      }
      expect(objects.length).toBeGreaterThanOrEqual(6 * fleet.services.length);
      expect(allSchemaErrors(objects)).toEqual([]);
      expect(parseFleet(stringify(fleet), 'generated.yaml')).toEqual(fleet);
    }), { numRuns: RUNS * 3, seed: SEED });
  }, 900_000);

  test('give identical objects through cdk8s and Pulumi', async () => {
    await fc.assert(fc.asyncProperty(validFleet, async (fleet: FleetSpec) => {
      const { objects } = synthInMemory(buildFleetApp(fleet).app);
      const before = recorded.length;
      tp().deployFleet(fleet, { namePrefix: `r${run++}-`, interruptionQueues: false });
      await settle();
      const fromPulumi = recorded.slice(before).filter((r) => r.type.startsWith('kubernetes:')).map((r) => r.inputs as KubeObject);
      expect(sorted(fromPulumi)).toEqual(sorted(objects));
    }), { numRuns: PULUMI_RUNS, seed: SEED + 1 });
  }, 1_800_000);
});

