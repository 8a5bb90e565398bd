/**
 * The order in which a scale-down removes replicas, as the ReplicaSet controller ranks pods for deletion
 * (kubernetes `pkg/controller/controller_utils.go`, `ActivePodsWithRanks.Less`, with the ranks of
 * `replica_set.go` `getPodsRankedByRelatedPodsOnSameNode`):
 *
 * 1. pods not bound to a node yet (their node is still launching);
 * 2. pods not ready;
 * 3. pods sharing their node with more of the service's pods ("doubled up");
 * 4. ready pods by how long they have been ready, the most recent first, compared in log2 buckets of that
 *    age in nanoseconds (the `LogarithmicScaleDown` feature, on by default since 1.22, GA in 1.31), then in
 *    the pseudo-random order of their UIDs;
 * 5. pods not ready by how long ago they were created, the newest first, in the same buckets, then UIDs.
 *
 * Pod phases other than bound-and-running and pod-deletion-cost annotations do not arise here. The
 * controller knows nothing of how busy a pod is: the drain window, not the choice of victim, is what keeps
 * in-flight requests.
 */

/** What the ranking reads of a replica. */
export interface ScaleDownCandidate {
  /** When it became (or becomes) ready, seconds. */
  readonly readyAtSeconds: number;
  /** Its UID's place in a pseudo-random order, 0..1. */
  readonly uid: number;
  /** When its pod was created, seconds. @default 0 */
  readonly createdAtSeconds?: number;
  /** When its pod is bound to a node (the node is up), seconds. @default 0 */
  readonly boundAtSeconds?: number;
  /** Pods of the service on its node, itself included. @default 1 */
  readonly colocated?: number;
}

/** The log2 bucket of an age in seconds, in nanoseconds (-1 for none). */
function ageBucket(ageSeconds: number): number {
  const nanos = ageSeconds * 1e9;
  return nanos > 0 ? Math.floor(Math.log2(nanos)) : -1;
}

/** The replicas in the order a scale-down removes them. */
export function scaleDownOrder<T extends ScaleDownCandidate>(replicas: readonly T[], nowSeconds: number): T[] {
  const unbound = (c: T) => ((c.boundAtSeconds ?? 0) > nowSeconds ? 0 : 1);
  const notReady = (c: T) => (c.readyAtSeconds > nowSeconds ? 0 : 1);
  // Ready pods by ready age, others by creation age: either way the youngest bucket first.
  const age = (c: T) => ageBucket(nowSeconds - (c.readyAtSeconds > nowSeconds ? c.createdAtSeconds ?? 0 : c.readyAtSeconds));
  return [...replicas].sort((a, b) => unbound(a) - unbound(b)
    || notReady(a) - notReady(b)
    || (b.colocated ?? 1) - (a.colocated ?? 1)
    || age(a) - age(b)
    || a.uid - b.uid);
}
