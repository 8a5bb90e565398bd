/**
 * The order in which a scale-down removes replicas, as the ReplicaSet controller ranks pods for deletion
 * (kubernetes `pkg/controller/controller_utils.go`, `ActivePodsWithRanks.Less`): pods not ready yet first;
 * then ready pods by how long they have been ready, the most recent first, compared in log2 buckets of
 * that age in nanoseconds (the `LogarithmicScaleDown` feature, on by default since 1.22 and GA in 1.31);
 * pods in the same bucket in the pseudo-random order of their UIDs. The controller knows nothing of how
 * busy a pod is: the drain window, not the choice of victim, is what keeps in-flight requests.
 * (Unscheduled and pending pods, pod-deletion-cost annotations and pods doubled up on a node rank before
 * these; the simulated replicas are each on their own GPU and carry no annotation.)
 */

/** What the ranking reads of a replica. */
export interface ScaleDownCandidate {
  /** When it became (or becomes) ready, seconds. */
  readonly readyAtSeconds: number;
  /** Its UID's place in a pseudo-random order, 0..1. */
  readonly uid: number;
}

/** The log2 bucket of how long a replica has been ready at `nowSeconds` (-1 when not ready, or ready just now). */
function readyAgeBucket(c: ScaleDownCandidate, nowSeconds: number): number {
  const readyNanos = (nowSeconds - c.readyAtSeconds) * 1e9;
  return readyNanos > 0 ? Math.floor(Math.log2(readyNanos)) : -1;
}

/** The replicas in the order a scale-down removes them. */
export function scaleDownOrder<T extends ScaleDownCandidate>(replicas: readonly T[], nowSeconds: number): T[] {
  const notReady = (c: T) => (c.readyAtSeconds > nowSeconds ? 0 : 1);
  return [...replicas].sort((a, b) => notReady(a) - notReady(b)
    || readyAgeBucket(a, nowSeconds) - readyAgeBucket(b, nowSeconds)
    || a.uid - b.uid);
}
