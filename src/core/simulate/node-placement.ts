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
 * - With spot capacity (see SpotNodes), a node launches on-demand while fewer than `onDemandNodes` are, and
 *   on spot past them (Karpenter tries the higher-weight on-demand NodePool first, up to its GPU limit). A
 *   spot node's life ends at a seeded exponential time; the interruption notice comes `noticeSeconds`
 *   before, and from then on the node takes no replica (Karpenter taints and drains it) and goes as soon as
 *   it is empty. With `zones`, nodes go to the zone with the fewest (Karpenter keeps the service's zone
 *   spread) and spot nodes are reclaimed by zone: each zone's reclaims come at seeded exponential times, and
 *   one takes every spot node of its zone at once. Its notice also keeps spot launches out of that zone for
 *   `offeringUnavailableSeconds` (Karpenter marks the offering unavailable); with every zone out, a spot
 *   launch waits.
 */
import { SPOT_OFFERING_UNAVAILABLE_SECONDS } from '../defaults';


/** One node. */
export interface SimulatedNode {
  /** When it registers and kube-scheduler can bind replicas to it, seconds. */
  readonly upAtSeconds: number;
  /** Replicas on it: starting, serving or draining. */
  replicas: number;
  /** When consolidation removes it if it stays empty; Infinity while it holds replicas. */
  emptyUntilSeconds: number;
  /** Launched on spot capacity. */
  readonly spot: boolean;
  /** When the interruption notice comes (Infinity on-demand), seconds. */
  readonly noticeAtSeconds: number;
  /** When the instance is reclaimed (Infinity on-demand), seconds. */
  readonly reclaimAtSeconds: number;
  /** The notice has come: it takes no replica and goes when empty. */
  noticed: boolean;
  /** Its zone, 0 up to the pool's zones (0 when zones are not modelled). */
  readonly zone: number;
}

/** Spot capacity in a pool: which nodes launch on spot, and when spot nodes are reclaimed. */
export interface SpotNodes {
  /** Nodes the pool keeps on-demand; it launches spot past them. */
  readonly onDemandNodes: number;
  /** Reclaims per spot node-hour: a spot node lives an exponential time with this rate. */
  readonly reclaimsPerNodeHour: number;
  /** From the interruption notice to the reclaim, seconds. */
  readonly noticeSeconds: number;
  /** Uniform random numbers in [0, 1) for the reclaim times (seeded, for determinism). */
  readonly random: () => number;
  /**
   * Zones the pool spreads nodes over: set, a reclaim takes every spot node of one zone at once, and each
   * zone is reclaimed at `reclaimsPerNodeHour` per hour, so a node's rate stays the same.
   * @default - reclaims independent per node
   */
  readonly zones?: number;
  /**
   * With `zones`: how long a zone takes no spot launch after a notice there.
   * @default SPOT_OFFERING_UNAVAILABLE_SECONDS
   */
  readonly offeringUnavailableSeconds?: number;
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
  /** Spot capacity. @default - every node on-demand */
  readonly spot?: SpotNodes;
}

export class NodePlacement {
  private nodes: SimulatedNode[] = [];
  private nextExpiry = Infinity;
  private nextNotice = Infinity;
  /** With zones: each zone's next reclaim, seconds. */
  private readonly zoneReclaims: number[] = [];
  /** With zones: until when each zone takes no spot launch, seconds. */
  private readonly zoneUnavailableUntil: number[] = [];
  private readonly opts: NodePlacementOptions;

  constructor(opts: NodePlacementOptions) {
    this.opts = opts;
  }

  /** Nodes up or launching, empty ones included: what the pool bills. */
  get count(): number {
    return this.nodes.length;
  }

  /** Spot nodes up or launching: what the pool bills at the spot price. */
  get spotCount(): number {
    let n = 0;
    for (const node of this.nodes) if (node.spot) n++;
    return n;
  }

  /** When the next empty node is removed (Infinity when none is empty). */
  get nextExpirySeconds(): number {
    return this.nextExpiry;
  }

  /** When the next interruption notice comes (Infinity when no spot node waits for one). */
  get nextNoticeSeconds(): number {
    return this.nextNotice;
  }

  /**
   * The spot nodes whose interruption notice has come by `now`, marked noticed: from now on they take no
   * replica, and each goes as soon as its replicas have left it. Empty ones go at once.
   */
  takeNoticed(now: number): SimulatedNode[] {
    if (this.nextNotice > now) return [];
    const noticed = this.nodes.filter((n) => !n.noticed && n.noticeAtSeconds <= now);
    const unavailable = this.opts.spot?.offeringUnavailableSeconds ?? SPOT_OFFERING_UNAVAILABLE_SECONDS;
    for (const n of noticed) {
      n.noticed = true;
      if (this.opts.spot?.zones !== undefined) this.zoneUnavailableUntil[n.zone] = now + unavailable;
    }
    this.nodes = this.nodes.filter((n) => !n.noticed || n.replicas > 0);
    this.updateNextExpiry();
    this.updateNextNotice();
    return noticed;
  }

  /** Places a new replica at `now`; undefined when no node can take it and the pool can launch no more. */
  place(now: number): SimulatedNode | undefined {
    let best: SimulatedNode | undefined;
    for (const n of this.nodes) {
      if (n.noticed || n.replicas >= this.opts.replicasPerNode || (n.upAtSeconds > now && n.replicas > 0)) continue;
      if (best === undefined || n.replicas < best.replicas
        || (n.replicas === best.replicas && (n.emptyUntilSeconds < best.emptyUntilSeconds
          || (n.emptyUntilSeconds === best.emptyUntilSeconds && n.upAtSeconds < best.upAtSeconds)))) {
        best = n;
      }
    }
    if (best === undefined) {
      if (this.nodes.length >= (this.opts.maxNodes ?? Infinity)) return undefined;
      best = this.launch(now, now + this.opts.provisioningSeconds);
      if (best === undefined) return undefined;
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
    let node = this.nodes.find((n) => !n.noticed && n.replicas < this.opts.replicasPerNode);
    // No notice comes before the fleet a simulation starts with: every zone takes it.
    if (node === undefined) node = this.launch(now, now)!;
    node.replicas++;
    return node;
  }

  /** A replica leaves its node at `now`; an emptied node waits for consolidation. */
  release(node: SimulatedNode, now: number): void {
    node.replicas--;
    if (node.replicas > 0) return;
    node.emptyUntilSeconds = now + this.opts.emptyNodeSeconds;
    // A node under an interruption notice goes once drained; others wait for consolidation.
    if (this.opts.emptyNodeSeconds <= 0 || node.noticed) this.nodes = this.nodes.filter((n) => n !== node);
    this.updateNextExpiry();
    this.updateNextNotice();
  }

  /** Removes the empty nodes whose time is up at `now`. */
  removeExpired(now: number): void {
    if (this.nextExpiry > now) return;
    this.nodes = this.nodes.filter((n) => n.emptyUntilSeconds > now);
    this.updateNextExpiry();
    this.updateNextNotice();
  }

  /**
   * A new node, launched at `now` and up at `upAt`: on-demand while the pool's on-demand nodes allow, else
   * spot; undefined when it would be spot and no zone takes a spot launch now.
   */
  private launch(now: number, upAt: number): SimulatedNode | undefined {
    const spot = this.opts.spot;
    const onSpot = spot !== undefined && this.nodes.length - this.spotCount >= spot.onDemandNodes;
    const zone = this.leastUsedZone(onSpot ? now : undefined);
    if (zone === undefined) return undefined;
    const reclaimAt = onSpot ? this.reclaimTime(spot, now, zone) : Infinity;
    const node: SimulatedNode = {
      upAtSeconds: upAt,
      replicas: 0,
      emptyUntilSeconds: Infinity,
      spot: onSpot,
      noticeAtSeconds: onSpot ? Math.max(now, reclaimAt - spot.noticeSeconds) : Infinity,
      reclaimAtSeconds: reclaimAt,
      noticed: false,
      zone,
    };
    if (node.noticeAtSeconds < this.nextNotice) this.nextNotice = node.noticeAtSeconds;
    this.nodes.push(node);
    return node;
  }

  /**
   * The zone with the fewest nodes not under notice (the first of a tie) among those that take the launch: a
   * spot launch at `spotAt` skips the zones of recent notices, an on-demand one (`spotAt` undefined) none. 0
   * when zones are not modelled, undefined when no zone takes it.
   */
  private leastUsedZone(spotAt: number | undefined): number | undefined {
    const zones = this.opts.spot?.zones;
    if (zones === undefined) return 0;
    const counts = new Array<number>(zones).fill(0);
    for (const n of this.nodes) if (!n.noticed) counts[n.zone]++;
    let best: number | undefined;
    for (let z = 0; z < zones; z++) {
      if (spotAt !== undefined && (this.zoneUnavailableUntil[z] ?? -Infinity) > spotAt) continue;
      if (best === undefined || counts[z] < counts[best]) best = z;
    }
    return best;
  }

  /**
   * When a spot node launched at `now` in `zone` is reclaimed: an exponential life of its own (by inversion;
   * a rate of 0 gives an infinite one), or its zone's next reclaim whose notice is still to come.
   */
  private reclaimTime(spot: SpotNodes, now: number, zone: number): number {
    const gap = () => (spot.reclaimsPerNodeHour > 0 ? (-Math.log(1 - spot.random()) / spot.reclaimsPerNodeHour) * 3600 : Infinity);
    if (spot.zones === undefined) return now + gap();
    this.zoneReclaims[zone] ??= gap();
    while (this.zoneReclaims[zone] - spot.noticeSeconds <= now) this.zoneReclaims[zone] += gap();
    return this.zoneReclaims[zone];
  }

  private updateNextNotice(): void {
    this.nextNotice = Infinity;
    for (const n of this.nodes) if (!n.noticed && n.noticeAtSeconds < this.nextNotice) this.nextNotice = n.noticeAtSeconds;
  }

  private updateNextExpiry(): void {
    this.nextExpiry = Infinity;
    for (const n of this.nodes) if (n.emptyUntilSeconds < this.nextExpiry) this.nextExpiry = n.emptyUntilSeconds;
  }
}
