import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { type AnnouncementKind, tournamentAnnouncements } from '../schema.js';

export type AnnouncementsRepo = ReturnType<typeof createAnnouncementsRepo>;
type Messages = { messageId: string | null; threadId: string | null };

/** What a claim found: ours to post, already posted (with what it made), or being posted elsewhere. */
export type AnnouncementClaim =
  | { kind: 'claimed' }
  | { kind: 'sent'; messages: Messages | null }
  | { kind: 'busy'; retryInMs: number };

/**
 * The once-only ledger of tournament announcements (schema: tournamentAnnouncements). `claim`
 * is one statement: an insert, or on conflict an update that only matches a row not yet sent
 * whose claim expired (or is already ours), so of two racing instances exactly one gets it.
 * Times are the database's, so instances' clocks need not agree.
 */
export function createAnnouncementsRepo(db: Db) {
  const row = (tournamentId: number, kind: AnnouncementKind) =>
    and(eq(tournamentAnnouncements.tournamentId, tournamentId), eq(tournamentAnnouncements.kind, kind));

  return {
    async claim(
      tournamentId: number,
      kind: AnnouncementKind,
      owner: string,
      holdMs: number,
    ): Promise<AnnouncementClaim> {
      const until = sql`now() + ${holdMs} * interval '1 millisecond'`;
      const [claimed] = await db
        .insert(tournamentAnnouncements)
        .values({ tournamentId, kind, owner, claimedUntil: until })
        .onConflictDoUpdate({
          target: [tournamentAnnouncements.tournamentId, tournamentAnnouncements.kind],
          set: { owner, claimedUntil: until },
          setWhere: sql`${tournamentAnnouncements.sentAt} is null and (${tournamentAnnouncements.claimedUntil} < now() or ${tournamentAnnouncements.owner} = ${owner})`,
        })
        .returning({ owner: tournamentAnnouncements.owner });
      if (claimed) return { kind: 'claimed' };
      const [current] = await db
        .select({
          sentAt: tournamentAnnouncements.sentAt,
          messages: tournamentAnnouncements.messages,
          retryInMs: sql<number>`greatest(0, ceil(extract(epoch from (${tournamentAnnouncements.claimedUntil} - now())) * 1000))::int`,
        })
        .from(tournamentAnnouncements)
        .where(row(tournamentId, kind));
      if (!current) return { kind: 'busy', retryInMs: 0 };
      if (current.sentAt) return { kind: 'sent', messages: current.messages ?? null };
      return { kind: 'busy', retryInMs: Number(current.retryInMs) };
    },

    /** Marks `owner`'s claim as posted, keeping what the post created. */
    async sent(
      tournamentId: number,
      kind: AnnouncementKind,
      owner: string,
      messages?: Messages,
    ): Promise<void> {
      await db
        .update(tournamentAnnouncements)
        .set({ sentAt: sql`now()`, ...(messages ? { messages } : {}) })
        .where(and(row(tournamentId, kind), eq(tournamentAnnouncements.owner, owner)));
    },

    /** Gives up `owner`'s unsent claim (the post failed), so the next attempt may try at once. */
    async release(tournamentId: number, kind: AnnouncementKind, owner: string): Promise<void> {
      await db
        .delete(tournamentAnnouncements)
        .where(
          and(
            row(tournamentId, kind),
            eq(tournamentAnnouncements.owner, owner),
            isNull(tournamentAnnouncements.sentAt),
          ),
        );
    },
  };
}
