import { inArray } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { createRepos } from '../../src/db/repos/index.js';
import { ratingHistory } from '../../src/db/schema.js';
import type { EngineDeps } from '../../src/engine/deps.js';
import { DEFAULT_PAIR_CAP } from '../../src/engine/rating-cap.js';
import { newSeed } from '../../src/engine/seeds.js';
import { submitBot } from '../../src/engine/submit.js';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { type Logger, silentLogger } from '../../src/util/logger.js';
import { uid } from './db-fixtures.js';
import { botBytes } from './sandbox.js';

/** Engine dependencies over a test database and a real sandbox. */
export function engineDeps(db: Db, sandbox: Sandbox, overrides: Partial<EngineDeps> = {}): EngineDeps {
  return {
    repos: createRepos(db),
    sandbox,
    limits: DEFAULT_LIMITS,
    defaultRounds: 1000,
    ratingCap: DEFAULT_PAIR_CAP,
    now: () => new Date(),
    newSeed,
    logger: silentLogger,
    ...overrides,
  };
}

/** Fast bots from bots/dist (WAT components and commands): one per strategy and interface. */
export const FAST_BOTS = [
  'rock.component',
  'cycle.component',
  'beatlast.component',
  'random.component',
  'frequency.component',
  'rock.command',
  'cycle.command',
  'beatlast.command',
  'random.command',
  'frequency.command',
] as const;

/**
 * A guild whose players each upload one real bot through the engine (validated and smoke-tested
 * in the sandbox, as /submit does). One player per bot, so tournament matches are rated.
 */
export async function guildWithBots(
  deps: EngineDeps,
  files: readonly string[],
  guildName = 'Test guild',
  guildId = uid('guild'),
) {
  const guild = { id: guildId, name: guildName };
  const bots = [];
  for (const [i, file] of files.entries()) {
    const submitted = await submitBot(deps, {
      guild,
      player: { userId: uid('user'), displayName: `player${i + 1}` },
      name: file.replace('.', '-'),
      bytes: botBytes(file),
    });
    if (!submitted.ok) throw new Error(`${file}: ${submitted.error.message}`);
    bots.push(submitted.value);
  }
  return { guild, bots };
}

/** A logger that keeps what it is told, for asserting on warnings. */
export function memoryLogger(): Logger & { lines: { level: string; message: string; fields?: unknown }[] } {
  const lines: { level: string; message: string; fields?: unknown }[] = [];
  const make = (base: Record<string, unknown>): Logger => ({
    debug: (message, fields) => lines.push({ level: 'debug', message, fields: { ...base, ...fields } }),
    info: (message, fields) => lines.push({ level: 'info', message, fields: { ...base, ...fields } }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields: { ...base, ...fields } }),
    error: (message, fields) => lines.push({ level: 'error', message, fields: { ...base, ...fields } }),
    child: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { lines });
}

/** The rating-history rows of these matches: one per bot per rated match. */
export function ratingHistoryOf(db: Db, matchIds: readonly number[]) {
  return db
    .select()
    .from(ratingHistory)
    .where(inArray(ratingHistory.matchId, [...matchIds]));
}
