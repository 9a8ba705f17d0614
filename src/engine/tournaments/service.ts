import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { TournamentSchedule } from '../../db/repos/tournament-schedules.js';
import type { Tournament } from '../../db/repos/tournaments.js';
import { err, ok, type Result } from '../../util/result.js';
import type { EngineDeps } from '../deps.js';
import { type UserError, userError } from '../errors.js';
import type { TournamentAnnouncer } from './announcer.js';
import { type Clock, systemClock } from './clock.js';
import { type CreateTournamentInput, createTournament, FORMAT_LABELS } from './create.js';
import { type RunEnd, TournamentRunner } from './runner.js';

export interface TournamentServiceOptions {
  deps: EngineDeps;
  announcer: TournamentAnnouncer;
  clock?: Clock;
  /** Matches of one tournament in the sandbox at once (THROWDOWN_TOURNAMENT_CONCURRENCY). */
  concurrency: number;
  /** How long a claim on a tournament holds without renewal (default 30 s). */
  leaseMs?: number;
  /** Renewal period (default a third of the lease). */
  heartbeatMs?: number;
  /** How often to look for tournaments nobody runs (default the lease). */
  pollMs?: number;
  /** Least time between two progress edits (default 5 s). */
  progressIntervalMs?: number;
  /** This process's lease owner id (default host, pid and random bits: unique per process). */
  owner?: string;
}

export interface TournamentStatus {
  tournament: Tournament;
  /** Results stored so far. */
  done: number;
  /** Whether a live process holds its lease (false: waiting to be picked up). */
  held: boolean;
}

export type TournamentService = ReturnType<typeof createTournamentService>;

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;

/**
 * Starts, resumes, cancels and reports on tournaments. At `start()` it picks up every pending or
 * running tournament whose lease is free or expired (a crash's leftovers), and keeps looking
 * every `pollMs`, so a tournament whose process died is continued by another within about a
 * lease. Each tournament it claims gets a TournamentRunner. Holds no state the database does
 * not also have: any instance can answer any command.
 */
export function createTournamentService(options: TournamentServiceOptions) {
  const { deps, announcer } = options;
  const clock = options.clock ?? systemClock;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const settings = {
    owner: options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    concurrency: Math.max(1, options.concurrency),
    leaseMs,
    heartbeatMs: options.heartbeatMs ?? Math.max(100, Math.floor(leaseMs / 3)),
    progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
  };
  const pollMs = options.pollMs ?? leaseMs;
  const runners = new Map<number, TournamentRunner>();
  const log = deps.logger.child({ owner: settings.owner });
  let cancelPoll: (() => void) | null = null;
  let started = false;
  let stopping = false;

  /** Claims the tournament and runs it here, unless another live process holds it. */
  async function tryRun(id: number, resumed: boolean): Promise<TournamentRunner | null> {
    if (stopping || runners.has(id)) return runners.get(id) ?? null;
    const claimed = await deps.repos.tournaments.claim(id, settings.owner, leaseMs);
    if (!claimed || stopping || runners.has(id)) return null;
    const runner = new TournamentRunner({ deps, announcer, clock, settings }, claimed, resumed);
    runners.set(id, runner);
    void runner.done.finally(() => runners.delete(id));
    return runner;
  }

  async function poll(): Promise<void> {
    try {
      for (const id of await deps.repos.tournaments.claimable()) await tryRun(id, true);
    } catch (error) {
      log.warn('looking for tournaments to resume failed', { error });
    }
  }

  function armPoll(): void {
    if (stopping) return;
    cancelPoll = clock.setTimer(pollMs, () => {
      void poll().finally(armPoll);
    });
  }

  /** Creates a tournament and starts running it here. */
  async function startNow(input: CreateTournamentInput): Promise<Result<Tournament, UserError>> {
    const created = await createTournament(deps, input);
    if (!created.ok) return created;
    await tryRun(created.value.id, false);
    return created;
  }

  return {
    owner: settings.owner,

    /** Resumes what a previous process left running and keeps watching for orphans. */
    async start(): Promise<void> {
      if (started) return;
      started = true;
      await poll();
      armPoll();
    },

    /**
     * Stops every runner here (matches in the sandbox finish and are stored first) and hands
     * their tournaments back; they stay running in the database for the next start.
     */
    async stop(): Promise<void> {
      stopping = true;
      cancelPoll?.();
      const all = [...runners.values()];
      for (const r of all) r.stop('stopped');
      await Promise.allSettled(all.map((r) => r.done));
    },

    startNow,

    /** A schedule's slot came: start its tournament, or say in its channel why not. */
    async startScheduled(schedule: TournamentSchedule): Promise<Result<Tournament, UserError>> {
      const started = await startNow({
        guildId: schedule.guildId,
        channelId: schedule.channelId,
        format: schedule.format,
        rounds: schedule.rounds,
        startedBy: 'schedule',
        scheduleId: schedule.id,
      });
      if (!started.ok) {
        log.info('scheduled tournament skipped', { guild: schedule.guildId, reason: started.error.message });
        try {
          await announcer.skipped({
            guildId: schedule.guildId,
            channelId: schedule.channelId,
            reason: started.error.message,
            at: clock.now(),
          });
        } catch (error) {
          log.warn('tournament announcement failed (skipped)', { error });
        }
      }
      return started;
    },

    /**
     * Cancels the guild's tournament. Matches already stored stay stored and rated; matches in
     * the sandbox are discarded. Whichever process runs it notices (at once here, at its next
     * heartbeat elsewhere) and posts the cancellation; when nobody runs it, this call does.
     */
    async cancel(guildId: string, by: string): Promise<Result<Tournament, UserError>> {
      const before = await deps.repos.tournaments.activeFor(guildId);
      const cancelled = await deps.repos.tournaments.cancel(guildId, `cancelled by <@${by}>`);
      if (!cancelled) return err(userError('no-tournament', 'No tournament is running here.'));
      const local = runners.get(cancelled.id);
      const heldElsewhere =
        before?.id === cancelled.id &&
        before.leaseOwner !== null &&
        before.leaseOwner !== settings.owner &&
        (before.leaseExpiresAt?.getTime() ?? 0) > clock.now().getTime();
      if (local) local.stop('cancelled');
      else if (!heldElsewhere) {
        const done = await deps.repos.tournaments.resultCount(cancelled.id);
        try {
          await announcer.cancelled(
            {
              id: cancelled.id,
              guildId,
              format: cancelled.format,
              formatLabel: FORMAT_LABELS[cancelled.format],
              rounds: cancelled.rounds,
              totalMatches: cancelled.totalMatches,
              entrants: cancelled.entrants,
              channelId: cancelled.channelId,
              messageId: cancelled.progressMessageId,
              threadId: cancelled.threadId,
              startedBy: cancelled.startedBy,
              startedAt: cancelled.startedAt ?? cancelled.createdAt,
            },
            {
              reason: cancelled.cancelReason ?? 'cancelled',
              progress: {
                done,
                total: cancelled.totalMatches,
                elapsedMs: clock.now().getTime() - (cancelled.startedAt ?? cancelled.createdAt).getTime(),
                resumed: false,
              },
            },
          );
        } catch (error) {
          log.warn('tournament announcement failed (cancelled)', { error });
        }
      }
      log.info('tournament cancelled', { guild: guildId, tournament: cancelled.id, by });
      return ok(cancelled);
    },

    /** The guild's pending or running tournament with its progress, or null. */
    async status(guildId: string): Promise<TournamentStatus | null> {
      const tournament = await deps.repos.tournaments.activeFor(guildId);
      if (!tournament) return null;
      const done = await deps.repos.tournaments.resultCount(tournament.id);
      const held =
        tournament.leaseOwner !== null && (tournament.leaseExpiresAt?.getTime() ?? 0) > clock.now().getTime();
      return { tournament, done, held };
    },

    /** The guild's tournaments, newest first. */
    history(guildId: string, limit = 10): Promise<Tournament[]> {
      return deps.repos.tournaments.recent(guildId, limit);
    },

    /** Waits for the runner of a tournament in this process (tests, the console). */
    async waitFor(id: number): Promise<RunEnd | null> {
      const runner = runners.get(id);
      return runner ? runner.done : null;
    },

    /** Ids of the tournaments this process runs now. */
    running(): number[] {
      return [...runners.keys()];
    },
  };
}
