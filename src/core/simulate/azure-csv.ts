/**
 * A streaming reader of the Azure LLM inference trace CSV (`TIMESTAMP,ContextTokens,GeneratedTokens`),
 * parsed from the file's bytes in 1 MiB chunks: no string per line, a calendar lookup once per day, so
 * reading keeps pace with the simulator. A line that does not parse is decoded and reported by number.
 */
import * as fs from 'fs';

import type { TraceRequest } from './trace';

/** Words the error for a bad line, given its number, its text and what is wrong with it. */
export type AzureLineError = (line: number, text: string, kind: 'malformed' | 'out-of-order') => Error;

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const DASH = 45;
const COLON = 58;
const DOT = 46;
const ZERO = 48;

const isDigit = (b: number) => b >= ZERO && b <= ZERO + 9;

/** The epoch of a `YYYY-MM-DD` day, or NaN when it is not a calendar day (Date.parse rolls 02-30 over to March). */
function dayEpochMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day) ? ms : NaN;
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

// Offsets of the digits in `YYYY-MM-DD HH:MM:SS`.
const TIMESTAMP_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** Parses lines' bytes, remembering the last day so the calendar is consulted once per day. */
class LineParser {
  private readonly day = Buffer.alloc(10);
  private dayMs = NaN;
  private pos = 0;

  /** Milliseconds since the epoch, prompt and output tokens of the last line parsed. */
  epochMs = 0;
  prompt = 0;
  output = 0;

  /** Parses the line `[s, e)` of `b` into the fields above; false when it is malformed. */
  parse(b: Buffer, s: number, e: number): boolean {
    if (e - s < 23 || b[s + 4] !== DASH || b[s + 7] !== DASH || b[s + 10] !== SPACE || b[s + 13] !== COLON || b[s + 16] !== COLON) return false;
    for (let k = 0; k < TIMESTAMP_DIGITS.length; k++) if (!isDigit(b[s + TIMESTAMP_DIGITS[k]])) return false;
    if (!this.sameDay(b, s)) {
      b.copy(this.day, 0, s, s + 10);
      this.dayMs = dayEpochMs(this.day.toString('latin1'));
    }
    const hours = twoDigits(b, s + 11);
    const minutes = twoDigits(b, s + 14);
    const seconds = twoDigits(b, s + 17);
    if (Number.isNaN(this.dayMs) || hours > 23 || minutes > 59 || seconds > 59) return false;
    this.pos = s + 19;
    let fraction = 0;
    if (b[this.pos] === DOT) {
      const from = ++this.pos;
      const digits = this.wholeNumber(b, e);
      if (digits === undefined) return false;
      const places = this.pos - from;
      fraction = digits / (places < POWERS_OF_TEN.length ? POWERS_OF_TEN[places] : 10 ** places);
    }
    if (b[this.pos++] !== COMMA) return false;
    const prompt = this.wholeNumber(b, e);
    if (prompt === undefined || b[this.pos++] !== COMMA) return false;
    const output = this.wholeNumber(b, e);
    if (output === undefined || this.pos !== e) return false;
    // Whole milliseconds first, as Date.parse gives them, then the fraction.
    this.epochMs = this.dayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction * 1000;
    this.prompt = prompt;
    this.output = output;
    return true;
  }

  /** Whether the line at `s` has the day of the last one (a byte loop: Buffer.compare costs more per line than it saves). */
  private sameDay(b: Buffer, s: number): boolean {
    for (let i = 0; i < 10; i++) if (b[s + i] !== this.day[i]) return false;
    return true;
  }

  /** The digits from `pos` on (at least one), advancing `pos` past them. */
  private wholeNumber(b: Buffer, e: number): number | undefined {
    const from = this.pos;
    let n = 0;
    for (; this.pos < e && isDigit(b[this.pos]); this.pos++) n = n * 10 + b[this.pos] - ZERO;
    return this.pos > from ? n : undefined;
  }
}

const twoDigits = (b: Buffer, i: number) => (b[i] - ZERO) * 10 + b[i + 1] - ZERO;

/**
 * The requests of an Azure trace file, with arrival times relative to the first, skipping its header and
 * blank lines; throws what `lineError` words for a malformed or out-of-order line. `onStart` hears the
 * first request's time, milliseconds since the epoch (timestamps read as UTC).
 */
export function* readAzureRequests(file: string, lineError: AzureLineError, onStart?: (epochMs: number) => void): Generator<TraceRequest> {
  const fd = fs.openSync(file, 'r');
  const parser = new LineParser();
  let first = NaN;
  let last = 0;
  try {
    let buffer = Buffer.alloc(CHUNK_BYTES);
    let filled = 0;
    let line = 0;
    let eof = false;
    while (!eof || filled > 0) {
      if (!eof) {
        if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
        const read = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
        if (read === 0) eof = true;
        filled += read;
      }
      let start = 0;
      for (;;) {
        let end = buffer.indexOf(NEWLINE, start);
        if (end < 0 || end >= filled) {
          // The last line of the file has no newline; otherwise read on.
          if (!eof || start >= filled) break;
          end = filled;
        }
        line++;
        let s = start;
        let e = end;
        // A byte-order mark before the header, as editors on Windows write it.
        if (line === 1 && e - s >= 3 && buffer[s] === 0xef && buffer[s + 1] === 0xbb && buffer[s + 2] === 0xbf) s += 3;
        while (s < e && (buffer[s] === SPACE || buffer[s] === TAB)) s++;
        while (e > s && (buffer[e - 1] === CR || buffer[e - 1] === SPACE || buffer[e - 1] === TAB)) e--;
        start = end + 1;
        if (s === e || (line === 1 && buffer.toString('latin1', s, Math.min(e, s + 9)) === 'TIMESTAMP')) continue;
        if (!parser.parse(buffer, s, e)) throw lineError(line, buffer.toString('utf8', s, e), 'malformed');
        if (Number.isNaN(first)) {
          first = parser.epochMs;
          onStart?.(first);
        }
        const arrivalSeconds = (parser.epochMs - first) / 1000;
        if (arrivalSeconds < last) throw lineError(line, buffer.toString('utf8', s, e), 'out-of-order');
        last = arrivalSeconds;
        yield { arrivalSeconds, promptTokens: parser.prompt, outputTokens: parser.output };
      }
      // Keep the unfinished line at the start of the buffer.
      const done = Math.min(start, filled);
      buffer.copy(buffer, 0, done, filled);
      filled -= done;
    }
  } finally {
    fs.closeSync(fd);
  }
}
