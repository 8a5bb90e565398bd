/**
 * The GPU nodes a service's replicas run on: where kube-scheduler and Karpenter put a new replica, and how
 * long a node stays up, billed, once its replicas are gone.
 *
 * - A new replica goes to a node with a free slot that can take it: one that is up (kube-scheduler binds
 *   it; the service's hostname spread is only a preference there, so the node with the fewest of the
 *   service's replicas wins), or one still launching that holds none of them (Karpenter nominates it).
 *   It skips node provisioning unless the node is still launching.
 * - Otherwise Karpenter launches a node for it alone: it keeps the ScheduleAnyway hostname spread while a
 *   new node can satisfy it and counts a hostname domain's minimum as zero, so a launching node that
 *   already holds one of the service's replicas takes no second (kubernetes-sigs/karpenter
 *   `pkg/controllers/provisioning/scheduling/preferences.go`, `topologygroup.go` `domainMinCount`). A
 *   burst of pending replicas gets a node each, however many slots each node has.
 * - A node is removed only when it is empty (the pool's `WhenEmpty` consolidation), `consolidateAfter` later;
 *   a replica placed on it meanwhile keeps it.
 */

/** One node. */
export interface SimulatedNode {
  /** When it registers and kube-scheduler can bind replicas to it, seconds. */
  readonly upAtSeconds: number;
  /** Replicas on it: starting, serving or draining. */
  replicas: number;
  /** When consolidation removes it if it stays empty; Infinity while it holds replicas. */
  emptyUntilSeconds: number;
}

/** Shape of the pool for one service. */
export interface NodePlacementOptions {
  /** Replicas a node holds. */
  readonly replicasPerNode: number;
  /** From launch to registered, seconds. */
  readonly provisioningSeconds: number;
  /** How long an empty node stays before consolidation removes it, seconds. */
  readonly emptyNodeSeconds: number;
  /** Nodes the pool's GPU limit allows. @default - unbounded */
  readonly maxNodes?: number;
}

export class NodePlacement {
  private nodes: SimulatedNode[] = [];
  private nextExpiry = Infinity;
  private readonly opts: NodePlacementOptions;

  constructor(opts: NodePlacementOptions) {
    this.opts = opts;
  }

  /** Nodes up or launching, empty ones included: what the pool bills. */
  get count(): number {
    return this.nodes.length;
  }

  /** When the next empty node is removed (Infinity when none is empty). */
  get nextExpirySeconds(): number {
    return this.nextExpiry;
  }

  /** Places a new replica at `now`; undefined when no node can take it and the pool can launch no more. */
  place(now: number): SimulatedNode | undefined {
    let best: SimulatedNode | undefined;
    for (const n of this.nodes) {
      if (n.replicas >= this.opts.replicasPerNode || (n.upAtSeconds > now && n.replicas > 0)) continue;
      if (best === undefined || n.replicas < best.replicas
        || (n.replicas === best.replicas && (n.emptyUntilSeconds < best.emptyUntilSeconds
          || (n.emptyUntilSeconds === best.emptyUntilSeconds && n.upAtSeconds < best.upAtSeconds)))) {
        best = n;
      }
    }
    if (best === undefined) {
      if (this.nodes.length >= (this.opts.maxNodes ?? Infinity)) return undefined;
      best = { upAtSeconds: now + this.opts.provisioningSeconds, replicas: 0, emptyUntilSeconds: Infinity };
      this.nodes.push(best);
    }
    best.replicas++;
    if (best.emptyUntilSeconds !== Infinity) {
      best.emptyUntilSeconds = Infinity;
      this.updateNextExpiry();
    }
    return best;
  }

  /** Places a replica that is already serving at `now` (the fleet a simulation starts with). */
  placeServing(now: number): SimulatedNode {
    let node = this.nodes.find((n) => n.replicas < this.opts.replicasPerNode);
    if (node === undefined) {
      node = { upAtSeconds: now, replicas: 0, emptyUntilSeconds: Infinity };
      this.nodes.push(node);
    }
    node.replicas++;
    return node;
  }

  /** A replica leaves its node at `now`; an emptied node waits for consolidation. */
  release(node: SimulatedNode, now: number): void {
    node.replicas--;
    if (node.replicas > 0) return;
    node.emptyUntilSeconds = now + this.opts.emptyNodeSeconds;
    if (this.opts.emptyNodeSeconds <= 0) this.nodes = this.nodes.filter((n) => n !== node);
    this.updateNextExpiry();
  }

  /** Removes the empty nodes whose time is up at `now`. */
  removeExpired(now: number): void {
    if (this.nextExpiry > now) return;
    this.nodes = this.nodes.filter((n) => n.emptyUntilSeconds > now);
    this.updateNextExpiry();
  }

  private updateNextExpiry(): void {
    this.nextExpiry = Infinity;
    for (const n of this.nodes) if (n.emptyUntilSeconds < this.nextExpiry) this.nextExpiry = n.emptyUntilSeconds;
  }
}
