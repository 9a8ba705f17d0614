import type { TournamentSchedule, TournamentSchedulesRepo } from '../../db/repos/tournament-schedules.js';
import type { Logger } from '../../util/logger.js';
import { err, ok, type Result } from '../../util/result.js';
import { nameForMessage } from '../bot-names.js';
import { type UserError, userError } from '../errors.js';
import { DEFAULT_FORMAT, FORMAT_NAMES, isFormatName } from '../formats/index.js';
import { roundsProblem } from '../match-length.js';
import type { Clock } from './clock.js';
import { type CronSchedule, compileCron } from './cron.js';

export interface SchedulerOptions {
  schedules: TournamentSchedulesRepo;
  clock: Clock;
  logger: Logger;
  /** Timezone of schedules set without one (THROWDOWN_TIMEZONE). */
  defaultTimezone: string;
  /** Rounds per match when a schedule does not say. */
  defaultRounds: number;
  /** Starts the schedule's tournament (TournamentService.startScheduled). */
  fire: (schedule: TournamentSchedule) => Promise<unknown>;
  /** A slot missed while no instance was running still fires if it is at most this late (default 1 h). */
  catchUpMs?: number;
  /**
   * Longest wait before a schedule is read again from the database (default 1 h): how soon this
   * instance sees a schedule another instance created or changed.
   */
  refreshMs?: number;
}

export interface ScheduleRequest {
  guildId: string;
  cron: string;
  channelId: string;
  format?: string | null;
  rounds?: number | null;
  timezone?: string | null;
  updatedBy: string;
}

interface Entry {
  row: TournamentSchedule;
  cron: CronSchedule;
  cancel: () => void;
}

export type Scheduler = ReturnType<typeof createScheduler>;

/**
 * Fires guilds' tournament schedules. The schedule rows are the truth (they survive restarts):
 * each holds its next slot, `next_run_at`. One timer per schedule waits for that slot on the
 * injected clock (so a test can fire "tomorrow at 09:00" at once); when it comes, the slot is
 * claimed in the database (moved to the following slot by a conditional UPDATE) and only the
 * instance whose claim succeeded starts the tournament. Slots are computed by node-cron's
 * parser and matcher in the schedule's timezone (cron.ts).
 *
 * After downtime: a slot missed by at most `catchUpMs` fires at start-up; an older one is
 * skipped (logged) rather than starting a tournament nobody expects.
 */
export function createScheduler(options: SchedulerOptions) {
  const { schedules, clock, logger } = options;
  const catchUpMs = options.catchUpMs ?? 60 * 60_000;
  const refreshMs = options.refreshMs ?? 60 * 60_000;
  const entries = new Map<number, Entry>();
  let cancelRefresh: (() => void) | null = null;
  let stopped = false;

  function drop(id: number): void {
    const entry = entries.get(id);
    if (!entry) return;
    entry.cancel();
    entry.cron.dispose();
    entries.delete(id);
  }

  /** Starts (or restarts) following a schedule row. */
  function track(row: TournamentSchedule): void {
    const current = entries.get(row.id);
    if (current && current.row.cron === row.cron && current.row.timezone === row.timezone) {
      current.row = row;
      current.cancel();
      arm(current);
      return;
    }
    drop(row.id);
    const compiled = compileCron(row.cron, row.timezone);
    if (!compiled.ok) {
      logger.error('stored tournament schedule is not valid; ignored', {
        schedule: row.id,
        problem: compiled.error,
      });
      return;
    }
    const entry: Entry = { row, cron: compiled.value, cancel: () => {} };
    entries.set(row.id, entry);
    arm(entry);
  }

  function arm(entry: Entry): void {
    if (stopped) return;
    const now = clock.now().getTime();
    // No slot stored (none left in the expression's horizon): only look again later.
    const due = entry.row.nextRunAt?.getTime() ?? now + refreshMs;
    entry.cancel = clock.setTimer(Math.min(Math.max(0, due - now), refreshMs), () => {
      void wake(entry.row.id).catch((error) => {
        logger.warn('tournament schedule check failed', { schedule: entry.row.id, error });
        const again = entries.get(entry.row.id);
        if (again) arm(again);
      });
    });
  }

  /** A schedule's timer went off: read it again, and fire it if its slot has come. */
  async function wake(id: number): Promise<void> {
    const fresh = await schedules.getById(id);
    if (stopped) return;
    if (!fresh?.enabled) {
      drop(id);
      return;
    }
    const entry = entries.get(id);
    if (!entry || entry.row.cron !== fresh.cron || entry.row.timezone !== fresh.timezone) {
      track(fresh);
      return;
    }
    entry.row = fresh;
    const now = clock.now();
    const due = fresh.nextRunAt;
    if (due === null) {
      const next = entry.cron.nextAfter(now);
      await schedules.setNextRun(id, next);
      entry.row = { ...fresh, nextRunAt: next };
    } else if (due.getTime() <= now.getTime()) {
      const next = entry.cron.nextAfter(now);
      const claimed = await schedules.claimSlot(id, due, next);
      if (claimed) {
        entry.row = claimed;
        const late = now.getTime() - due.getTime();
        if (late > catchUpMs) {
          logger.warn('tournament slot missed while the service was down; skipped', {
            guild: fresh.guildId,
            slot: due.toISOString(),
          });
        } else {
          logger.info('tournament schedule fired', { guild: fresh.guildId, slot: due.toISOString() });
          // The tournament runs on its own; the scheduler only starts it.
          void options.fire(claimed).catch((error) => {
            logger.error('scheduled tournament could not start', { guild: fresh.guildId, error });
          });
        }
      } else {
        // Another instance fired it (or the schedule just changed): follow what is stored now.
        const stored = await schedules.getById(id);
        if (!stored?.enabled) return drop(id);
        entry.row = stored;
      }
    }
    if (!stopped && entries.get(id) === entry) arm(entry);
  }

  async function refresh(): Promise<void> {
    const rows = await schedules.listEnabled();
    const seen = new Set(rows.map((r) => r.id));
    for (const id of [...entries.keys()]) if (!seen.has(id)) drop(id);
    for (const row of rows) {
      const entry = entries.get(row.id);
      if (!entry || entry.row.cron !== row.cron || entry.row.timezone !== row.timezone) track(row);
    }
  }

  function armRefresh(): void {
    if (stopped) return;
    cancelRefresh = clock.setTimer(refreshMs, () => {
      void refresh()
        .catch((error) => logger.warn('reloading tournament schedules failed', { error }))
        .finally(armRefresh);
    });
  }

  return {
    /** Loads every enabled schedule from the database and starts following them. */
    async start(): Promise<void> {
      stopped = false;
      await refresh();
      armRefresh();
    },

    stop(): void {
      stopped = true;
      cancelRefresh?.();
      for (const id of [...entries.keys()]) drop(id);
    },

    /**
     * Validates and stores the guild's schedule (replacing any), and follows it from now on.
     * Returns the stored row, whose `nextRunAt` is the first slot.
     */
    async set(request: ScheduleRequest): Promise<Result<TournamentSchedule, UserError>> {
      const format = request.format ?? DEFAULT_FORMAT;
      if (!isFormatName(format)) {
        return err(
          userError(
            'invalid-input',
            `There is no format "${nameForMessage(format)}"; choose one of ${FORMAT_NAMES.join(', ')}.`,
          ),
        );
      }
      const rounds = request.rounds ?? options.defaultRounds;
      const problem = roundsProblem(rounds);
      if (problem) return err(userError('invalid-input', `Cannot schedule that: ${problem}.`));
      const timezone = request.timezone?.trim() || options.defaultTimezone;
      const compiled = compileCron(request.cron, timezone);
      if (!compiled.ok) return err(userError('invalid-schedule', compiled.error));
      const next = compiled.value.nextAfter(clock.now());
      compiled.value.dispose();
      const row = await schedules.upsert({
        guildId: request.guildId,
        cron: compiled.value.expression,
        timezone,
        channelId: request.channelId,
        format,
        rounds,
        nextRunAt: next,
        updatedBy: request.updatedBy,
      });
      track(row);
      logger.info('tournament schedule set', { guild: row.guildId, cron: row.cron, timezone, next });
      return ok(row);
    },

    /** Turns the guild's schedule off. */
    async disable(guildId: string, by: string): Promise<Result<TournamentSchedule, UserError>> {
      const row = await schedules.disable(guildId, by);
      if (!row) return err(userError('no-tournament', 'This server has no tournament schedule.'));
      drop(row.id);
      return ok(row);
    },

    get: (guildId: string) => schedules.get(guildId),

    /** Ids of the schedules this instance follows (tests). */
    tracked: () => [...entries.keys()],
  };
}
