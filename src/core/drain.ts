/**
 * Drain arithmetic of an inference pod. On scale-down or node drain the pod leaves Service endpoints
 * during the preStop pause, then vLLM gets SIGTERM and, with `--shutdown-timeout`, rejects new requests
 * and waits for in-flight ones (reference.md 1.4). The kubelet kills the pod after
 * `terminationGracePeriodSeconds`, so the grace period must cover all of it:
 *
 *   grace >= preStop + shutdownTimeout + buffer
 *
 * (the vLLM Kubernetes guide, vllm-project/vllm#43208, asks for grace >= preStop + shutdown timeout;
 * the buffer covers process exit and log flush).
 */

/** Inputs of the drain window. */
export interface DrainInputs {
  readonly maxOutputTokens: number;
  readonly decodeTokensPerSecond: number;
  readonly preStopSeconds: number;
  readonly bufferSeconds: number;
}

/** The shutdown timeout that lets the longest answer finish at the assumed decode speed, in whole seconds. */
export function shutdownTimeoutSeconds(inputs: Pick<DrainInputs, 'maxOutputTokens' | 'decodeTokensPerSecond'>): number {
  return Math.ceil(inputs.maxOutputTokens / inputs.decodeTokensPerSecond);
}

/** The shortest termination grace period that does not cut the drain short. */
export function minimumGracePeriodSeconds(inputs: DrainInputs): number {
  return inputs.preStopSeconds + shutdownTimeoutSeconds(inputs) + inputs.bufferSeconds;
}

/** The drain timings a pod is built with. */
export interface DrainTimings {
  readonly preStopSeconds: number;
  readonly shutdownTimeoutSeconds: number;
  readonly bufferSeconds: number;
  readonly terminationGracePeriodSeconds: number;
}

/** Resolves the drain timings; an explicit grace period is kept as is (validation checks it is long enough). */
export function drainTimings(inputs: DrainInputs, explicitGracePeriodSeconds?: number): DrainTimings {
  return {
    preStopSeconds: inputs.preStopSeconds,
    shutdownTimeoutSeconds: shutdownTimeoutSeconds(inputs),
    bufferSeconds: inputs.bufferSeconds,
    terminationGracePeriodSeconds: explicitGracePeriodSeconds ?? minimumGracePeriodSeconds(inputs),
  };
}

/**
 * How long in-flight requests can still run once their pod is told to stop: the preStop pause, then vLLM's
 * shutdown timeout, unless the grace period ends first. vLLM aborts what is left when its timeout ends, so
 * a grace period longer than that only covers process exit.
 */
export function inFlightDrainSeconds(timings: DrainTimings): number {
  return Math.min(timings.terminationGracePeriodSeconds, timings.preStopSeconds + timings.shutdownTimeoutSeconds);
}
