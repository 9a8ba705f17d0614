import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import type { MatchLog, MatchTiming } from '../games/match-record.js';

/**
 * How a match's round log is stored: gzip of its JSON. The log is column-wise (one string of
 * R/P/S per seat, one fuel array per seat), so repetition compresses well and 1000 rounds take a
 * few KB; JSON keeps it readable with `gunzip` when debugging. Timings are not in the log and are
 * not stored per round.
 */
const gzipAsync = promisify(gzip);

/**
 * The same bytes, compressed on libuv's thread pool. Recording a match uses these: at level 9 a
 * 1000-round log took 2-3 ms of the event loop per match, which during a tournament (over 100
 * matches a second) was a large share of the loop that acknowledges Discord interactions.
 *
 * Level 6 (zlib's default): on 1000-round logs of the strategy bots it took 0.08 ms against
 * level 9's 0.24 ms, for 1% more bytes (674 against 667); the CPU is this process's, which a
 * tournament shares with its sandbox workers. Any level decodes the same way.
 */
const LOG_LEVEL = 6;

export async function encodeMatchLogAsync(log: MatchLog): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await gzipAsync(JSON.stringify(log), { level: LOG_LEVEL }));
}

/** Per-round move times, stored apart from the log because they differ run to run. */
export async function encodeTimingAsync(
  moveMicros: MatchTiming['moveMicros'],
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await gzipAsync(JSON.stringify(moveMicros), { level: 6 }));
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
