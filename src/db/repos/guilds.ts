import { eq, sql } from 'drizzle-orm';
import type { Limits } from '../../sandbox/limits.js';
import type { Db } from '../client.js';
import { type GuildRateLimits, guilds } from '../schema.js';
import { MAX_GUILD_NAME, storableText } from '../text.js';

export type Guild = typeof guilds.$inferSelect;
export type GuildsRepo = ReturnType<typeof createGuildsRepo>;

/** Guilds and their settings. Every other row hangs off a guild, so callers upsert it first. */
export function createGuildsRepo(db: Db) {
  async function get(id: string): Promise<Guild | null> {
    const [row] = await db
      .select()
      .from(guilds)
      .where(eq(guilds.id, storableText(id)));
    return row ?? null;
  }

  /** Creates the guild, or refreshes its name when Discord reports a new one. */
  async function upsert(raw: { id: string; name: string }): Promise<Guild> {
    const input = { id: storableText(raw.id), name: storableText(raw.name, MAX_GUILD_NAME) };
    const [row] = await db
      .insert(guilds)
      .values(input)
      .onConflictDoUpdate({
        target: guilds.id,
        set: { name: input.name, updatedAt: sql`now()` },
        // Leave the row (and updated_at) alone when nothing changed; then nothing is returned.
        setWhere: sql`${guilds.name} is distinct from excluded.name`,
      })
      .returning();
    return row ?? (await get(input.id))!;
  }

  /** Replaces the guild's limit overrides; keys left out fall back to DEFAULT_LIMITS. */
  async function setLimits(id: string, limits: Partial<Limits>): Promise<Guild | null> {
    const [row] = await db
      .update(guilds)
      .set({ limits, updatedAt: sql`now()` })
      .where(eq(guilds.id, id))
      .returning();
    return row ?? null;
  }

  async function setRateLimits(id: string, rateLimits: GuildRateLimits): Promise<Guild | null> {
    const [row] = await db
      .update(guilds)
      .set({ rateLimits, updatedAt: sql`now()` })
      .where(eq(guilds.id, id))
      .returning();
    return row ?? null;
  }

  return { upsert, get, setLimits, setRateLimits };
}
