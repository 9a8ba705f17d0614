import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import type { MatchLog, MatchTiming } from '../games/match-record.js';

/**
 * How a match's round log is stored: gzip of its JSON. The log is column-wise (one string of
 * R/P/S per seat, one fuel array per seat), so repetition compresses well and 1000 rounds take a
 * few KB; JSON keeps it readable with `gunzip` when debugging. Timings are not in the log and are
 * not stored per round.
 */
const gzipAsync = promisify(gzip);

/**
 * The same bytes, compressed off the event loop when that pays. At level 9 a 1000-round log took
 * 2-3 ms of the event loop per match, which during a tournament (over 100 matches a second) was a
 * large share of the loop that acknowledges Discord interactions; so large texts go to libuv's
 * thread pool. Small ones are compressed here: handing a buffer to the pool costs more CPU than
 * compressing it (measured on a 1000-round log with varied fuel, log and timings together: 0.9 ms
 * of CPU here, 1.5 ms through the pool, which also wakes a thread that competes with the sandbox
 * workers for the same cores); 10,000 rounds took 15 ms and go to the pool.
 *
 * Level 6 (zlib's default): on 1000-round logs of the strategy bots it took 0.08 ms against
 * level 9's 0.24 ms, for 1% more bytes (674 against 667). Any level decodes the same way.
 */
const LEVEL = 6;
/** JSON up to this many characters (about 2000 rounds of a log) is compressed on the event loop. */
const INLINE_CHARS = 64 * 1024;

async function compress(json: string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes =
    json.length <= INLINE_CHARS ? gzipSync(json, { level: LEVEL }) : await gzipAsync(json, { level: LEVEL });
  return new Uint8Array(bytes);
}

export function encodeMatchLogAsync(log: MatchLog): Promise<Uint8Array<ArrayBuffer>> {
  return compress(JSON.stringify(log));
}

/** Per-round move times, stored apart from the log because they differ run to run. */
export function encodeTimingAsync(moveMicros: MatchTiming['moveMicros']): Promise<Uint8Array<ArrayBuffer>> {
  return compress(JSON.stringify(moveMicros));
}

export function decodeMatchLog(bytes: Uint8Array): MatchLog {
  const value: unknown = JSON.parse(gunzipSync(bytes).toString('utf8'));
  if (!isMatchLog(value)) throw new Error('stored match log is not a MatchLog');
  return value;
}

function isMatchLog(value: unknown): value is MatchLog {
  if (typeof value !== 'object' || value === null) return false;
  const { moves, fuel } = value as Partial<MatchLog>;
  return (
    Array.isArray(moves) &&
    moves.length === 2 &&
    moves.every((m) => typeof m === 'string') &&
    Array.isArray(fuel) &&
    fuel.length === 2 &&
    fuel.every((f) => Array.isArray(f))
  );
}

export function decodeTiming(bytes: Uint8Array | null): MatchTiming['moveMicros'] | null {
  if (!bytes) return null;
  const value: unknown = JSON.parse(gunzipSync(bytes).toString('utf8'));
  if (!Array.isArray(value) || value.length !== 2 || !value.every(Array.isArray)) return null;
  return value as MatchTiming['moveMicros'];
}
