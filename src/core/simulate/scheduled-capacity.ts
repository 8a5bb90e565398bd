/**
 * The scaler's scheduled windows (KEDA cron triggers) as the controller sees them at a wall-clock time.
 * KEDA's cron scaler (pkg/scalers/cron_scaler.go, `IsActive`) takes the next start and the next end after
 * now in the window's time zone: the window is active when the end comes no later than the start (we are
 * between a start and its end). Active, the trigger reports `desiredReplicas` against an AverageValue
 * target of 1, so the HPA proposes that many replicas; outside, it reports 0 (reference.md, KEDA section).
 */
import { CronExpressionParser } from 'cron-parser';
import type { ScheduledCapacitySpec } from '../spec/token-aware-scaler';

/** The first time a cron expression fires strictly after `epochMs`, in the window's time zone. */
function nextFiring(expression: string, timezone: string, epochMs: number): number {
  return CronExpressionParser.parse(expression, { currentDate: new Date(epochMs), tz: timezone }).next().getTime();
}

/** Whether a scheduled window is active at `epochMs`, as KEDA's cron scaler decides it. */
export function scheduledWindowActive(window: ScheduledCapacitySpec, epochMs: number): boolean {
  return nextFiring(window.end, window.timezone, epochMs) <= nextFiring(window.start, window.timezone, epochMs);
}

/** The value each window's cron trigger reports at `epochMs`: its desired replicas while active, else 0. */
export function scheduledReplicas(windows: readonly ScheduledCapacitySpec[], epochMs: number): number[] {
  return windows.map((w) => (scheduledWindowActive(w, epochMs) ? w.desiredReplicas : 0));
}
