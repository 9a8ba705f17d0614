import type { BotChoice } from '../db/repos/bots.js';
import type { EngineDeps } from './deps.js';

/**
 * Bot names for autocomplete, answered from memory. Discord gives autocomplete no deferred form:
 * the choices must arrive within 3 s, and under load (a tournament committing a match every few
 * milliseconds) a database round trip alone measured over a second. So each guild's list of bots
 * is kept here: served at once while fresh, served stale while a refresh runs in the background,
 * and dropped whenever this process changes a guild's bots (upload, retire, activate). Another
 * process's change shows after `ttlMs`. Bounded: at most `maxGuilds` lists, the oldest dropped.
 */
export interface BotDirectory {
  choices(
    guildId: string,
    prefix: string,
    options?: { ownerUserId?: string; includeRetired?: boolean; limit?: number },
  ): Promise<BotChoice[]>;
  /** The guild's bots changed: the next look-up reads them again. */
  forget(guildId: string): void;
}

/** A guild with more bots than this is answered from the database each time. */
const MAX_LISTED = 5000;

interface Entry {
  at: number;
  bots: BotChoice[] | null;
  loading: Promise<BotChoice[] | null> | null;
}

export function createBotDirectory(
  deps: Pick<EngineDeps, 'repos' | 'logger'>,
  options: { ttlMs?: number; maxGuilds?: number; now?: () => number } = {},
): BotDirectory {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxGuilds = options.maxGuilds ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function load(guildId: string, entry: Entry): Promise<BotChoice[] | null> {
    entry.loading ??= deps.repos.bots
      .autocomplete(guildId, '', { limit: MAX_LISTED + 1, includeRetired: true })
      .then((bots) => {
        // Only if nothing changed meanwhile (forget() replaces the entry).
        if (entries.get(guildId) === entry) {
          entry.bots = bots.length > MAX_LISTED ? null : bots;
          entry.at = now();
        }
        return bots.length > MAX_LISTED ? null : bots;
      })
      .finally(() => {
        entry.loading = null;
      });
    return entry.loading;
  }

  function entryFor(guildId: string): Entry {
    let entry = entries.get(guildId);
    if (!entry) {
      entry = { at: 0, bots: null, loading: null };
      entries.set(guildId, entry);
      if (entries.size > maxGuilds) entries.delete(entries.keys().next().value!);
    }
    return entry;
  }

  return {
    async choices(guildId, prefix, opts = {}) {
      const entry = entryFor(guildId);
      let bots = entry.bots;
      if (bots === null) bots = await load(guildId, entry);
      else if (now() - entry.at > ttlMs) {
        load(guildId, entry).catch((error) =>
          deps.logger.warn('refreshing the bot list for autocomplete failed', { guild: guildId, error }),
        );
      }
      const limit = opts.limit ?? 25;
      if (bots === null) {
        // Too many to keep: ask the database, which filters by prefix itself.
        const owner = opts.ownerUserId ? await deps.repos.players.get(guildId, opts.ownerUserId) : null;
        if (opts.ownerUserId && !owner) return [];
        return deps.repos.bots.autocomplete(guildId, prefix, {
          limit,
          ...(owner ? { ownerId: owner.id } : {}),
          includeRetired: opts.includeRetired ?? false,
        });
      }
      const key = prefix.toLowerCase();
      return bots
        .filter(
          (b) =>
            b.name.toLowerCase().startsWith(key) &&
            (!opts.ownerUserId || b.ownerUserId === opts.ownerUserId) &&
            (opts.includeRetired || !b.retired),
        )
        .slice(0, limit);
    },
    forget(guildId) {
      entries.delete(guildId);
    },
  };
}
