/**
 * Container image references: `[registry/]repository(:tag|@digest|:tag@digest)`, as the distribution
 * reference grammar (github.com/distribution/reference) defines them.
 */

export interface ImageReference {
  readonly repository: string;
  /** @default - none: pinned by digest only */
  readonly tag?: string;
  /** @default - none: pinned by tag only */
  readonly digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Parses an image reference; returns undefined when it has neither tag nor digest or is malformed. */
export function parseImage(image: string): ImageReference | undefined {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  const lastSlash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const tag = colon > lastSlash ? named.slice(colon + 1) : undefined;
  const repository = colon > lastSlash ? named.slice(0, colon) : named;
  if (repository.length === 0 || /\s/.test(repository)) return undefined;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  if (tag === undefined && digest === undefined) return undefined;
  return { repository, tag, digest };
}

/** True when the image is pinned by digest (immutable), as PCI-style rules require. */
export function isPinnedByDigest(image: string): boolean {
  return parseImage(image)?.digest !== undefined;
}

/**
 * The vLLM version of a `vllm/vllm-openai:vX.Y.Z` style tag, or undefined when the tag is not a version
 * (a digest-only reference, `latest`, a custom build).
 */
export function vllmVersionOf(image: ImageReference): [number, number, number] | undefined {
  const m = image.tag?.match(/^v?(\d+)\.(\d+)\.(\d+)/);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Compares two dotted versions: negative when a < b. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
