/**
 * What a command may touch besides the file system: its output streams and whether a person watches. Tests
 * pass their own to capture output; the binary passes the process's.
 */
export interface CliIo {
  /** Standard error is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
  /** Stream progress bars draw on. @default - none */
  readonly progressStream?: NodeJS.WritableStream;
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY),
    progressStream: process.stderr,
  };
}

/** Exit codes of the `tokenscale` command. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A policy violation (the envelope's rules failed). */
  violation: 1,
  /** A usage or input error: bad flags, an unreadable path, an invalid spec. */
  usage: 2,
  /** A bug in tokenscale. */
  internal: 3,
} as const;

/** A usage or input error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
