import type { LeaseRefusal, StoredResult, Tournament } from '../../db/repos/tournaments.js';
import type { TournamentEntrant } from '../../db/schema.js';
import type { Logger } from '../../util/logger.js';
import { ok, type Result } from '../../util/result.js';
import type { EngineDeps } from '../deps.js';
import {
  type FormatState,
  isComplete,
  lowestOpenRound,
  type MatchResult,
  nextPairings,
  type Pairing,
  progress,
  record,
  standings,
} from '../formats/index.js';
import { effectiveLimits } from '../guild-limits.js';
import type { JobSeat, MatchQueue } from '../match-queue.js';
import { rateMatch } from '../ratings.js';
import { type Stored, storeMatchResilient } from '../store-match.js';
import type { AnnouncedTournament, TournamentAnnouncer, TournamentProgress } from './announcer.js';
import type { Clock } from './clock.js';
import { FORMAT_LABELS } from './create.js';
import { GroupCommit } from './group-commit.js';
import { startHeartbeat } from './heartbeat.js';
import { entrantName, type PairingOutcome, pairingSeed, playPairing } from './play-pairing.js';
import { entrantIndex, rebuildState } from './rebuild.js';
import { collectResults, storedStandings } from './results.js';
import { Throttle } from './throttle.js';

export interface RunnerSettings {
  /** This process's lease owner id (unique per process). */
  owner: string;
  /** Matches of one tournament in the sandbox at once. */
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  /** Least time between two progress messages. */
  progressIntervalMs: number;
}

export interface RunnerContext {
  deps: EngineDeps;
  announcer: TournamentAnnouncer;
  clock: Clock;
  settings: RunnerSettings;
}

/**
 * How a run ended. Only 'finished' and 'cancelled' are final; after 'stopped' (this process is
 * shutting down), 'lease-lost' (another process has it) or 'failed' (an error, logged) the
 * tournament is still running in the database and whoever holds the lease next continues it.
 */
export type RunEnd = 'finished' | 'cancelled' | 'lease-lost' | 'stopped' | 'paused' | 'failed';
/** 'paused': the sandbox failed for host reasons; the tournament resumes on the next poll. */
type StopReason = 'cancelled' | 'lease-lost' | 'stopped' | 'paused';

/**
 * Finished matches of one tournament waiting to be stored, beyond those in the sandbox, per
 * unit of `concurrency`: storing runs behind play (group commits) but never far behind.
 */
const STORE_BACKLOG = 4;
/** Most matches in one group commit. */
const MAX_COMMIT_BATCH = 32;
/**
 * How old the runner's view of retired entrants may be when it starts a match (one query for
 * all entrants at most this often, instead of one per match). Exactness comes at commit: a
 * played match whose bot was retired before it started is not stored but settled as a forfeit.
 */
const RETIRED_VIEW_MS = 500;

/** A played match on its way to the database. */
interface PlayedMatch {
  key: string;
  input: Parameters<EngineDeps['repos']['tournaments']['commitMatch']>[1];
}
/** Pairing keys in natural order (r1:m2 before r1:m10); one collator, not one per comparison. */
const KEY_ORDER = new Intl.Collator('en', { numeric: true });

type MatchCommit =
  | Stored<Result<number, LeaseRefusal>>
  /** Not stored: these seats' bots were retired before the match started. */
  | { retired: ReadonlySet<number> };

/** What one finished pairing adds to the format state and to the stored results. */
interface Settled {
  result: MatchResult;
  stored: StoredResult;
}

/**
 * Runs one tournament whose lease this process holds, from wherever its stored results say it
 * is, to the end: plays the format's pairings in the sandbox, at most `concurrency` at a time,
 * and commits each as it finishes (kind 'tournament', rated, with its pairing key; or as an
 * unplayed pairing), then records it into the format state and reports progress. Every commit is
 * guarded by the lease (repos/tournaments.ts), so a runner that lost it stores nothing.
 */
export class TournamentRunner {
  readonly done: Promise<RunEnd>;
  private stopReason: StopReason | null = null;
  /** Rounds below this are rated (rateCompleteRounds). */
  private ratedBelow = 0;
  /** The rating pass under way, and whether results came in during it (rateCompleteRounds). */
  private rating: Promise<void> | null = null;
  private rateAgain: { state: FormatState; stored: readonly StoredResult[] } | null = null;
  private failure: unknown = null;
  private wake: () => void = () => {};
  private readonly woken = new Promise<void>((resolve) => {
    this.wake = resolve;
  });
  /** Finished matches are stored through this: several per transaction when they finish together. */
  private readonly commits = new GroupCommit<PlayedMatch, MatchCommit>(
    (items) => this.commitBatch(items),
    MAX_COMMIT_BATCH,
  );
  private readonly log: Logger;
  /** Entrants retired as of `at` (performance.now()), refreshed by retiredEntrants(). */
  private retiredView: { at: number; ids: Promise<ReadonlySet<number>> } | null = null;

  constructor(
    private readonly ctx: RunnerContext,
    private tournament: Tournament,
    private readonly resumed: boolean,
  ) {
    this.log = ctx.deps.logger.child({ tournament: tournament.id });
    this.done = this.run();
  }

  get id(): number {
    return this.tournament.id;
  }

  /** Asks the runner to stop; matches in the sandbox finish first (and are stored, unless cancelled). */
  stop(reason: StopReason): void {
    this.stopReason ??= reason;
    this.wake();
  }

  private async run(): Promise<RunEnd> {
    const { deps, clock, settings } = this.ctx;
    const t = this.tournament;
    const stopHeartbeat = startHeartbeat(
      deps.repos.tournaments,
      clock,
      { tournamentId: t.id, owner: settings.owner, leaseMs: settings.leaseMs, everyMs: settings.heartbeatMs },
      () => this.stop('lease-lost'),
      this.log,
    );
    let end: RunEnd;
    try {
      end = await this.play();
    } catch (error) {
      this.log.error('tournament runner failed; the tournament stays running for the next attempt', {
        error,
      });
      end = 'failed';
    } finally {
      stopHeartbeat();
    }
    if (end === 'stopped' || end === 'paused' || end === 'failed') {
      // Hand it over at once rather than make the next process wait for the lease to expire.
      await deps.repos.tournaments
        .release(t.id, settings.owner)
        .catch((error) => this.log.warn('could not release the tournament lease', { error }));
    }
    this.log.info('tournament runner ended', { end });
    return end;
  }

  private async play(): Promise<RunEnd> {
    const { deps, announcer, settings } = this.ctx;
    const repo = deps.repos.tournaments;
    if (this.tournament.status === 'pending') {
      const messages = await this.safely('start', () => announcer.start(this.view()), {
        messageId: null,
        threadId: null,
      });
      const marked = await repo.markRunning(this.tournament.id, settings.owner, {
        progressMessageId: messages.messageId,
        threadId: messages.threadId,
      });
      if (!marked.ok) return this.end(this.refused(marked.error), null);
      this.tournament = marked.value;
    }
    const t = this.tournament;
    const stored = await repo.results(t.id);
    let state = rebuildState(t, stored);
    const throttle = new Throttle<TournamentProgress>(this.ctx.clock, settings.progressIntervalMs, (p) =>
      this.safely('progress', () => announcer.progress(this.view(), p), undefined),
    );
    if (this.resumed || progress(state).played === 0) throttle.update(this.progressOf(state));
    if (this.resumed) this.log.info('tournament resumed', { stored: stored.length, total: t.totalMatches });
    // A resumed tournament may have whole rounds stored but not yet rated.
    await this.rateCompleteRounds(state, stored);

    // Every pairing started and not yet settled (playing, or played and being stored): a slot
    // in the sandbox is freed as soon as its match is played, so the next match is already
    // waiting there while earlier ones are stored (the sandbox processes never wait on the
    // database); storing may lag behind play by at most STORE_BACKLOG x concurrency matches.
    const inFlight = new Map<string, Promise<void>>();
    let playing = 0;
    let nudge: () => void = () => {};
    while (this.stopReason === null && this.failure === null && !isComplete(state)) {
      // Enough to find `concurrency` pairings not already in flight.
      for (const pairing of nextPairings(state, inFlight.size + settings.concurrency)) {
        if (playing >= settings.concurrency) break;
        if (inFlight.size >= settings.concurrency * (1 + STORE_BACKLOG)) break;
        if (inFlight.has(pairing.key)) continue;
        playing++;
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          playing--;
          nudge();
        };
        const task = this.playAndStore(pairing, release)
          .then(async (settled) => {
            if (!settled) return;
            state = record(state, pairing.key, settled.result);
            stored.push(settled.stored);
            throttle.update(this.progressOf(state));
            await this.rateCompleteRounds(state, stored);
          })
          .catch((error) => {
            this.failure ??= error;
            this.wake();
          })
          .finally(() => {
            release();
            inFlight.delete(pairing.key);
          });
        inFlight.set(pairing.key, task);
      }
      if (inFlight.size === 0) throw new Error(`tournament ${t.id}: no pairing to play, yet not complete`);
      const freed = new Promise<void>((resolve) => {
        nudge = resolve;
      });
      await Promise.race([...inFlight.values(), this.woken, freed]);
    }
    await Promise.allSettled(inFlight.values());
    if (this.failure !== null) {
      throttle.cancel();
      throw this.failure;
    }
    if (this.stopReason === null) return this.finish(state, stored, throttle);
    throttle.cancel();
    return this.end(this.stopReason, state);
  }

  /**
   * Plays a pairing and stores the outcome; null when nothing was stored. A bot retired since
   * the tournament began does not play: its pairings are settled as forfeits, unrated. A match
   * the database will not store, even without the bots' own text, is settled as an unplayed
   * draw with the reason, so one bad record never stalls the tournament.
   */
  private async playAndStore(pairing: Pairing, played: () => void): Promise<Settled | null> {
    const { deps } = this.ctx;
    const t = this.tournament;
    const index = entrantIndex(t.entrants);
    const entrants = [index.get(pairing.seats[0])!, index.get(pairing.seats[1])!] as const;
    const ids = [entrants[0].botId, entrants[1].botId];
    // A view at most RETIRED_VIEW_MS old; exactness comes from the check before storing (ours in
    // commitBatch, a queue worker's in its commit transaction).
    const retired = await this.retiredEntrants(ids);
    if (retired.size === 0 && deps.matchQueue) {
      const queued = await this.playQueued(deps.matchQueue, pairing, entrants);
      played();
      return queued;
    }
    const outcome: PairingOutcome =
      retired.size > 0 ? retiredForfeit(entrants, retired) : await playPairing(deps, t, pairing, entrants);
    played();
    if (outcome.kind === 'closed') {
      this.stop('stopped');
      return null;
    }
    if (outcome.kind === 'host-failure') {
      this.log.warn('the sandbox failed (host failure): pausing the tournament until the next poll', {
        pairing: pairing.key,
        reason: outcome.reason,
      });
      this.stop('paused');
      return null;
    }
    // The write would be refused anyway; skip it.
    if (this.stopReason === 'cancelled' || this.stopReason === 'lease-lost') return null;
    if (outcome.kind === 'unplayed') return this.storeUnplayed(pairing, entrants, outcome);
    const { record } = outcome;
    const stored = await this.commits.submit({
      key: pairing.key,
      input: {
        guildId: t.guildId,
        kind: 'tournament',
        record,
        seats: [
          { botId: entrants[0].botId, versionId: entrants[0].versionId },
          { botId: entrants[1].botId, versionId: entrants[1].versionId },
        ],
        tournament: { id: t.id, round: pairing.round, key: pairing.key },
        startedAt: outcome.startedAt,
        // Unrated here: whole rounds are rated in order once complete (rateCompleteRounds).
      },
    });
    if ('retired' in stored)
      return this.storeUnplayed(pairing, entrants, retiredForfeit(entrants, stored.retired));
    if (!stored.ok) {
      return this.storeUnplayed(pairing, entrants, {
        kind: 'unplayed',
        winnerSeat: null,
        reason: 'The match was played but could not be saved; counted as a draw, not rated.',
      });
    }
    const committed = stored.value;
    if (!committed.ok) return this.stopFor(committed.error);
    const { winner, score } = record.outcome;
    return {
      result: { winner, score },
      stored: {
        key: pairing.key,
        round: pairing.round,
        bot0Id: entrants[0].botId,
        bot1Id: entrants[1].botId,
        winnerSeat: winner,
        score,
        matchId: committed.value,
        unplayedReason: null,
      },
    };
  }

  /**
   * Stores finished matches together in one transaction. If the database refuses the batch (a
   * value it rejects, a pairing already stored), each is stored on its own as before, so one bad
   * record costs only itself: retried without the bots' text, then settled as unplayed.
   */
  private async commitBatch(all: PlayedMatch[]): Promise<MatchCommit[]> {
    const { deps } = this.ctx;
    // Asked after every match of the batch started, so a retirement before any start shows here.
    const retiredAt = await deps.repos.bots.retiredAmong([
      ...new Set(all.flatMap((i) => i.input.seats.map((s) => s.botId))),
    ]);
    const retiredSeats = (item: PlayedMatch): Set<number> => {
      const started = (item.input.startedAt ?? deps.now()).getTime();
      return new Set(
        item.input.seats
          .map((s) => s.botId)
          .filter((id) => (retiredAt.get(id)?.getTime() ?? Number.POSITIVE_INFINITY) <= started),
      );
    };
    const late = all.map(retiredSeats);
    const committed = await this.commitPlayed(all.filter((_, i) => late[i]!.size === 0));
    let next = 0;
    return all.map((_, i) => (late[i]!.size > 0 ? { retired: late[i]! } : committed[next++]!));
  }

  private async commitPlayed(items: PlayedMatch[]): Promise<MatchCommit[]> {
    const { deps, settings } = this.ctx;
    if (items.length === 0) return [];
    try {
      const stored = await deps.repos.tournaments.commitMatches(
        settings.owner,
        this.tournament.id,
        items.map((i) => i.input),
      );
      if (!stored.ok) return items.map(() => ({ ok: true, value: stored, stripped: false }));
      return items.map((i) => ({ ok: true, value: ok(stored.value.get(i.key)!), stripped: false }));
    } catch (error) {
      this.log.warn('storing finished matches together failed; storing them one by one', {
        matches: items.length,
        error,
      });
    }
    const out: MatchCommit[] = [];
    for (const item of items) {
      out.push(
        await storeMatchResilient(
          item.input.record,
          async (record) => {
            const one = await deps.repos.tournaments.commitMatch(settings.owner, { ...item.input, record });
            return one.ok ? ok(one.value.match.id) : one;
          },
          this.log,
          { pairing: item.key },
        ),
      );
    }
    return out;
  }

  /** Which of `ids` were retired as of at most RETIRED_VIEW_MS ago (one query for every entrant). */
  private async retiredEntrants(ids: readonly number[]): Promise<Set<number>> {
    const now = performance.now();
    if (!this.retiredView || now - this.retiredView.at > RETIRED_VIEW_MS) {
      const all = this.tournament.entrants.map((e) => e.botId);
      const reading = this.ctx.deps.repos.bots.retiredAmong(all).then((m) => new Set(m.keys()));
      this.retiredView = { at: now, ids: reading };
      // A failed read is not cached: the next match asks again (and this one's caller sees the error).
      reading.catch(() => {
        if (this.retiredView?.ids === reading) this.retiredView = null;
      });
    }
    const retired = await this.retiredView.ids;
    return new Set(ids.filter((id) => retired.has(id)));
  }

  /**
   * The pairing as a job on the match queue: a worker plays it and commits the match (unrated,
   * idempotent by its key); this runner waits for the outcome and applies the fairness rules of
   * playPairing to what came back (a forfeit for a rejected bot, a pause for a host failure).
   */
  private async playQueued(
    queue: MatchQueue,
    pairing: Pairing,
    entrants: readonly [TournamentEntrant, TournamentEntrant],
  ): Promise<Settled | null> {
    const { deps } = this.ctx;
    const t = this.tournament;
    const seat = (e: TournamentEntrant): JobSeat => ({
      botId: e.botId,
      versionId: e.versionId,
      sha256: e.sha256,
      name: entrantName(e),
      owner: e.ownerUserId,
    });
    const outcome = await queue.run({
      key: `tournament:${t.id}:${pairing.key}`,
      guildId: t.guildId,
      seed: pairingSeed(t.seed, pairing.key),
      rounds: t.rounds,
      seats: [seat(entrants[0]), seat(entrants[1])],
      limits: effectiveLimits(deps.limits, t.limits),
      ticket: { owner: `tournament:${t.id}`, group: `guild:${t.guildId}`, priority: 'background' },
      requestedAt: deps.now().toISOString(),
      tournament: { id: t.id, round: pairing.round, pairingKey: pairing.key },
    });
    switch (outcome.kind) {
      case 'stored':
        return {
          result: { winner: outcome.winner, score: outcome.score },
          stored: {
            key: pairing.key,
            round: pairing.round,
            bot0Id: entrants[0].botId,
            bot1Id: entrants[1].botId,
            winnerSeat: outcome.winner,
            score: outcome.score,
            matchId: outcome.matchId,
            unplayedReason: null,
          },
        };
      case 'rejected':
        return this.storeUnplayed(pairing, entrants, {
          kind: 'unplayed',
          winnerSeat: outcome.seat === 0 ? 1 : 0,
          reason: `${entrantName(entrants[outcome.seat])} cannot run under this server's limits (${outcome.message}), so it forfeits; not rated.`,
        });
      case 'unsaved':
        return this.storeUnplayed(pairing, entrants, {
          kind: 'unplayed',
          winnerSeat: null,
          reason: 'The match was played but could not be saved; counted as a draw, not rated.',
        });
      case 'retired':
        return this.storeUnplayed(pairing, entrants, retiredForfeit(entrants, new Set(outcome.botIds)));
      case 'refused':
        this.log.warn('a queued pairing was refused', { pairing: pairing.key, reason: outcome.reason });
        this.stop('lease-lost');
        return null;
      case 'failed':
        this.log.warn('a queued match failed on every attempt (host failure): pausing the tournament', {
          pairing: pairing.key,
          reason: outcome.reason,
        });
        this.stop('paused');
        return null;
      case 'closed':
        this.stop('stopped');
        return null;
    }
  }

  /**
   * Rates every stored match of the rounds before the first round with a pairing still to play,
   * round by round, in one transaction. Each entrant plays at most once per round in every format,
   * so this order gives the same ratings whatever order the matches finished in (in this process
   * or on any number of queue workers). Same-owner matches are never rated.
   */
  private rateCompleteRounds(state: FormatState, stored: readonly StoredResult[]): Promise<void> {
    // One pass at a time: results that arrive together (a group commit, a queue bundle) would
    // otherwise each start a pass over the same rounds, every one but the first finding nothing
    // left to rate after waiting for the tournament's row lock (650 transactions instead of 63
    // in a 64-bot round robin through the queue). A result arriving during a pass asks for one
    // more pass with the newest state; every caller waits for the pass that covers its result.
    if (this.rating) {
      this.rateAgain = { state, stored };
      return this.rating;
    }
    const pass = (async () => {
      try {
        let next: { state: FormatState; stored: readonly StoredResult[] } | null = { state, stored };
        while (next) {
          this.rateAgain = null;
          await this.rateOnce(next.state, next.stored);
          next = this.rateAgain;
        }
      } finally {
        // In the same synchronous step as the last look at rateAgain: a later result starts a new pass.
        this.rating = null;
      }
    })();
    this.rating = pass;
    return pass;
  }

  private async rateOnce(state: FormatState, stored: readonly StoredResult[]): Promise<void> {
    const { deps, settings } = this.ctx;
    const t = this.tournament;
    const bound = lowestOpenRound(state) ?? Number.POSITIVE_INFINITY;
    if (bound <= this.ratedBelow) return;
    const owners = new Map(t.entrants.map((e) => [e.botId, e.ownerUserId]));
    const due = stored
      .filter((r) => r.matchId !== null && r.round >= this.ratedBelow && r.round < bound)
      .filter((r) => owners.get(r.bot0Id) !== owners.get(r.bot1Id))
      .sort((a, b) => a.round - b.round || KEY_ORDER.compare(a.key, b.key))
      .map((r) => r.matchId!);
    const rated = await deps.repos.tournaments.rateMatches(
      settings.owner,
      t.id,
      t.guildId,
      due,
      (before, winner) => rateMatch(before[0], before[1], winner),
    );
    if (!rated.ok) {
      this.stopFor(rated.error);
      return;
    }
    this.ratedBelow = Math.max(this.ratedBelow, bound);
  }

  private async storeUnplayed(
    pairing: Pairing,
    entrants: readonly [TournamentEntrant, TournamentEntrant],
    outcome: Extract<PairingOutcome, { kind: 'unplayed' }>,
  ): Promise<Settled | null> {
    const { deps, settings } = this.ctx;
    const committed = await deps.repos.tournaments.commitUnplayed(settings.owner, {
      tournamentId: this.tournament.id,
      key: pairing.key,
      round: pairing.round,
      botIds: [entrants[0].botId, entrants[1].botId],
      winnerSeat: outcome.winnerSeat,
      reason: outcome.reason,
    });
    if (!committed.ok) return this.stopFor(committed.error);
    this.log.warn('tournament pairing not played', { pairing: pairing.key, reason: outcome.reason });
    return {
      result: { winner: outcome.winnerSeat, score: 0 },
      stored: {
        key: pairing.key,
        round: pairing.round,
        bot0Id: entrants[0].botId,
        bot1Id: entrants[1].botId,
        winnerSeat: outcome.winnerSeat,
        score: 0,
        matchId: null,
        unplayedReason: outcome.reason,
      },
    };
  }

  private async finish(state: FormatState, stored: StoredResult[], throttle: Throttle<TournamentProgress>) {
    const { deps, announcer, settings, clock } = this.ctx;
    const t = this.tournament;
    await throttle.flush();
    await this.rateCompleteRounds(state, stored);
    if (this.stopReason !== null) return this.end(this.stopReason, state);
    const finishedAt = clock.now();
    const results = await collectResults(deps, t, state, stored, {
      startedAt: t.startedAt ?? t.createdAt,
      finishedAt,
    });
    // Announced before the row is marked finished: a crash in between must not leave it
    // unannounced (the resumed runner finds the state complete and comes straight here); the
    // once-announcer (once-announcer.ts, wired in main.ts) keeps that resumed runner from
    // posting it a second time.
    await this.safely('results', () => announcer.results(this.view(), results), undefined);
    const finished = await deps.repos.tournaments.finish(
      t.id,
      settings.owner,
      storedStandings(standings(state)),
    );
    if (!finished.ok) return this.end(this.refused(finished.error), state);
    this.log.info('tournament finished', {
      matches: results.matchesPlayed,
      winner: results.standings[0]
        ? `${results.standings[0].entrant.ownerName}/${results.standings[0].entrant.botName}`
        : null,
    });
    return 'finished' as const;
  }

  /** The run is over without finishing: say so if it was cancelled. */
  private async end(reason: StopReason, state: FormatState | null): Promise<RunEnd> {
    if (reason !== 'lease-lost' && reason !== 'cancelled') return reason;
    // A lost lease may mean a cancellation that happened elsewhere (cancel clears the lease).
    const row = await this.ctx.deps.repos.tournaments.get(this.tournament.id);
    if (row?.status !== 'cancelled') return 'lease-lost';
    const done = state ? progress(state).played : 0;
    await this.safely(
      'cancelled',
      () =>
        this.ctx.announcer.cancelled(this.view(), {
          reason: row.cancelReason ?? 'cancelled',
          progress: { ...this.progressOf(state), done },
        }),
      undefined,
    );
    return 'cancelled';
  }

  private stopFor(refusal: LeaseRefusal): null {
    this.stop(this.refused(refusal));
    return null;
  }

  private refused(refusal: LeaseRefusal): StopReason {
    if (refusal.kind === 'duplicate') {
      // Only a second runner could have stored it: this one must have lost its lease.
      this.log.error('a pairing this runner played was already stored', { pairing: refusal.key });
      return 'lease-lost';
    }
    return refusal.status === 'cancelled' ? 'cancelled' : 'lease-lost';
  }

  private progressOf(state: FormatState | null): TournamentProgress {
    const p = state ? progress(state) : { played: 0, total: this.tournament.totalMatches };
    const started = this.tournament.startedAt ?? this.tournament.createdAt;
    return {
      done: p.played,
      total: p.total,
      elapsedMs: Math.max(0, this.ctx.clock.now().getTime() - started.getTime()),
      resumed: this.resumed,
    };
  }

  private view(): AnnouncedTournament {
    const t = this.tournament;
    return {
      id: t.id,
      guildId: t.guildId,
      format: t.format,
      formatLabel: FORMAT_LABELS[t.format],
      rounds: t.rounds,
      totalMatches: t.totalMatches,
      entrants: t.entrants,
      channelId: t.channelId,
      messageId: t.progressMessageId,
      threadId: t.threadId,
      startedBy: t.startedBy,
      startedAt: t.startedAt ?? t.createdAt,
    };
  }

  /** Announcements are best effort: a failure is logged and the tournament goes on. */
  private async safely<T>(what: string, call: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.log.warn(`tournament announcement failed (${what})`, { error });
      return fallback;
    }
  }
}

/** A pairing with a retired bot: it forfeits (both retired: a draw); nothing is played or rated. */
function retiredForfeit(
  entrants: readonly [TournamentEntrant, TournamentEntrant],
  retired: ReadonlySet<number>,
): Extract<PairingOutcome, { kind: 'unplayed' }> {
  const out = [retired.has(entrants[0].botId), retired.has(entrants[1].botId)];
  if (out[0] && out[1]) {
    return {
      kind: 'unplayed',
      winnerSeat: null,
      reason: 'Both bots were retired during the tournament; counted as a draw, not rated.',
    };
  }
  const seat = out[0] ? 0 : 1;
  return {
    kind: 'unplayed',
    winnerSeat: seat === 0 ? 1 : 0,
    reason: `${entrantName(entrants[seat])} was retired during the tournament, so it forfeits; not rated.`,
  };
}
