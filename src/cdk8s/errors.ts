import type { IConstruct } from 'constructs';
import { TokenscaleError } from '../core';

/** Runs `fn`, re-raising a TokenscaleError with the construct path as its context. */
export function withConstructPath<T>(scope: IConstruct, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TokenscaleError) throw new TokenscaleError(err.issues, scope.node.path);
    throw err;
  }
}
