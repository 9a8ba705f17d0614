import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { players } from '../schema.js';
import { MAX_DISPLAY_NAME, storableText } from '../text.js';

export type Player = typeof players.$inferSelect;
export type PlayersRepo = ReturnType<typeof createPlayersRepo>;

/** Discord users per guild. */
export function createPlayersRepo(db: Db) {
  async function get(guildId: string, userId: string): Promise<Player | null> {
    const [row] = await db
      .select()
      .from(players)
      .where(and(eq(players.guildId, guildId), eq(players.userId, storableText(userId))));
    return row ?? null;
  }

  async function getById(id: number): Promise<Player | null> {
    const [row] = await db.select().from(players).where(eq(players.id, id));
    return row ?? null;
  }

  /**
   * Creates the player on first sight and keeps the display name fresh afterwards (people rename
   * themselves; listings should show today's name). Safe under concurrent calls.
   */
  async function upsert(raw: { guildId: string; userId: string; displayName: string }): Promise<Player> {
    const input = {
      guildId: raw.guildId,
      userId: storableText(raw.userId),
      displayName: storableText(raw.displayName, MAX_DISPLAY_NAME),
    };
    const [row] = await db
      .insert(players)
      .values(input)
      .onConflictDoUpdate({
        target: [players.guildId, players.userId],
        set: { displayName: input.displayName, updatedAt: sql`now()` },
        setWhere: sql`${players.displayName} is distinct from excluded.display_name`,
      })
      .returning();
    return row ?? (await get(input.guildId, input.userId))!;
  }

  /** Turns the player's challenge pings on or off, creating the player on first sight. */
  async function setChallengePings(
    input: { guildId: string; userId: string; displayName: string },
    on: boolean,
  ): Promise<Player> {
    const [row] = await db
      .insert(players)
      .values({ ...input, challengePings: on })
      .onConflictDoUpdate({
        target: [players.guildId, players.userId],
        set: { challengePings: on, displayName: input.displayName, updatedAt: sql`now()` },
      })
      .returning();
    return row!;
  }

  return { upsert, get, getById, setChallengePings };
}
