import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { type TournamentFormat, tournamentSchedules } from '../schema.js';
import { storableText } from '../text.js';

export type TournamentSchedule = typeof tournamentSchedules.$inferSelect;
export type TournamentSchedulesRepo = ReturnType<typeof createTournamentSchedulesRepo>;

export interface ScheduleInput {
  guildId: string;
  cron: string;
  timezone: string;
  channelId: string;
  format: TournamentFormat;
  rounds: number;
  nextRunAt: Date | null;
  updatedBy: string | null;
}

/**
 * Per-guild tournament schedules (one per guild). Firing a slot is `claimSlot`: a conditional
 * UPDATE from the slot that was due to the next one, so when two service instances both see a
 * slot come due, exactly one of them gets the row back and starts the tournament.
 */
export function createTournamentSchedulesRepo(db: Db) {
  return {
    async get(guildId: string): Promise<TournamentSchedule | null> {
      const [row] = await db
        .select()
        .from(tournamentSchedules)
        .where(eq(tournamentSchedules.guildId, guildId));
      return row ?? null;
    },

    async getById(id: number): Promise<TournamentSchedule | null> {
      const [row] = await db.select().from(tournamentSchedules).where(eq(tournamentSchedules.id, id));
      return row ?? null;
    },

    /** Creates or replaces the guild's schedule (enabled). */
    async upsert(input: ScheduleInput): Promise<TournamentSchedule> {
      const values = {
        ...input,
        cron: storableText(input.cron),
        timezone: storableText(input.timezone),
        channelId: storableText(input.channelId),
        updatedBy: input.updatedBy === null ? null : storableText(input.updatedBy),
        enabled: true,
      };
      const [row] = await db
        .insert(tournamentSchedules)
        .values(values)
        .onConflictDoUpdate({
          target: tournamentSchedules.guildId,
          set: { ...values, updatedAt: sql`now()` },
        })
        .returning();
      return row!;
    },

    /** Turns the guild's schedule off (kept, so turning it back on is one command). */
    async disable(guildId: string, updatedBy: string | null): Promise<TournamentSchedule | null> {
      const [row] = await db
        .update(tournamentSchedules)
        .set({ enabled: false, nextRunAt: null, updatedBy, updatedAt: sql`now()` })
        .where(eq(tournamentSchedules.guildId, guildId))
        .returning();
      return row ?? null;
    },

    /** Every enabled schedule: what the scheduler loads at start-up. */
    listEnabled(): Promise<TournamentSchedule[]> {
      return db.select().from(tournamentSchedules).where(eq(tournamentSchedules.enabled, true));
    },

    /**
     * Moves the schedule from the slot `due` to `next`; the row comes back only to the caller
     * whose `due` was still the stored one (the one that gets to fire it).
     */
    async claimSlot(id: number, due: Date, next: Date | null): Promise<TournamentSchedule | null> {
      const [row] = await db
        .update(tournamentSchedules)
        .set({ nextRunAt: next })
        .where(
          and(
            eq(tournamentSchedules.id, id),
            eq(tournamentSchedules.enabled, true),
            eq(tournamentSchedules.nextRunAt, due),
          ),
        )
        .returning();
      return row ?? null;
    },

    /** Sets the next slot when there was none stored (e.g. the expression's only slots are past). */
    async setNextRun(id: number, next: Date | null): Promise<void> {
      await db.update(tournamentSchedules).set({ nextRunAt: next }).where(eq(tournamentSchedules.id, id));
    },
  };
}
