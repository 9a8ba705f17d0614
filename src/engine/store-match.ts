import type { MatchRecord } from '../games/match-record.js';
import type { Logger } from '../util/logger.js';

/**
 * Storing a played match so that one bad value never loses a result nor stalls what comes
 * after it. The repositories already make every text storable (src/db/text.ts); this is the
 * second line: if the database still refuses the match (a value nobody foresaw), it is stored
 * again without the text the bots wrote (stderr, fault messages), which is all a bot controls
 * in a record beyond its moves. Only when that fails too does the caller get the error, to
 * record the pairing another way (a tournament settles it as unplayed and goes on).
 */
export type Stored<T> =
  | { ok: true; value: T /** True when the bots' own text had to be left out. */; stripped: boolean }
  | { ok: false; error: unknown };

/** The record without anything a bot wrote: empty stderr, fault messages replaced by a note. */
export function withoutBotText(record: MatchRecord): MatchRecord {
  return {
    ...record,
    stderr: ['', ''],
    faults: record.faults.map((f) => ({ ...f, message: '(the message could not be stored)' })),
  };
}

export async function storeMatchResilient<T>(
  record: MatchRecord,
  store: (record: MatchRecord) => Promise<T>,
  logger: Logger,
  what: Record<string, unknown>,
): Promise<Stored<T>> {
  try {
    return { ok: true, value: await store(record), stripped: false };
  } catch (first) {
    logger.error("storing a match failed; retrying without the bots' text", { ...what, error: first });
    try {
      return { ok: true, value: await store(withoutBotText(record)), stripped: true };
    } catch (second) {
      logger.error('storing a match failed again', { ...what, error: second });
      return { ok: false, error: second };
    }
  }
}
