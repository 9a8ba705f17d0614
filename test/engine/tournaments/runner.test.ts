import { eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { matches, ratings } from '../../../src/db/schema.js';
import { nextPairings } from '../../../src/engine/formats/index.js';
import { createTournamentService, MemoryAnnouncer } from '../../../src/engine/tournaments/index.js';
import { pairingSeed } from '../../../src/engine/tournaments/play-pairing.js';
import { initialState } from '../../../src/engine/tournaments/rebuild.js';
import type { Sandbox } from '../../../src/sandbox/types.js';
import { useTestDatabase } from '../../support/database.js';
import { useSandbox } from '../../support/sandbox.js';
import { engineDeps, FAST_BOTS, guildWithBots, ratingHistoryOf } from '../../support/tournaments.js';

const { db, driver } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
// Every service a test starts is stopped when it ends: a service left polling would pick up
// the next test's tournaments (which is the point of polling, but not of these tests).
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** Keeps when each progress message was sent. */
class TimedAnnouncer extends MemoryAnnouncer {
  readonly progressTimes: number[] = [];
  override async progress(...args: Parameters<MemoryAnnouncer['progress']>): Promise<void> {
    this.progressTimes.push(Date.now());
    return super.progress(...args);
  }
}

type ServiceOptions = Partial<Parameters<typeof createTournamentService>[0]>;
function service(options: ServiceOptions = {}) {
  const announcer = options.announcer ?? new MemoryAnnouncer();
  const s = createTournamentService({ deps, announcer, concurrency: 2, progressIntervalMs: 0, ...options });
  stops.push(() => s.stop());
  return { service: s, announcer: announcer as MemoryAnnouncer };
}

/**
 * A sandbox that counts plays per seed, can fail chosen ones, and can add a delay to every play
 * (so tests that act in the middle of a tournament have a middle: matches take milliseconds);
 * the rest goes to the real one.
 */
function instrumented(fail: (seed: string, attempt: number) => boolean = () => false, delayMs = 0) {
  const plays = new Map<string, number>();
  const wrapped: Sandbox = {
    check: (...args) => sandbox.check(...args),
    close: async () => {},
    play: async (request) => {
      const attempt = (plays.get(request.seed) ?? 0) + 1;
      plays.set(request.seed, attempt);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (fail(request.seed, attempt)) {
        return {
          ok: false,
          error: { code: 'worker-lost', message: 'the sandbox process running the match failed' },
        };
      }
      return sandbox.play(request);
    },
  };
  return { sandbox: wrapped, plays };
}

/** Deps whose sandbox takes at least `ms` per match. */
const slow = (ms: number) => ({ ...deps, sandbox: instrumented(undefined, ms).sandbox });

async function storedFor(tournamentId: number) {
  return db.select().from(matches).where(eq(matches.tournamentId, tournamentId));
}

/** Waits until the tournament's row says it finished (runs may pause and resume on the way). */
async function untilFinished(tournamentId: number) {
  await vi.waitFor(
    async () => expect((await deps.repos.tournaments.get(tournamentId))?.status).toBe('finished'),
    { timeout: 60_000, interval: 50 },
  );
  return (await deps.repos.tournaments.get(tournamentId))?.status;
}

/** Waits until the tournament has at least `n` stored results. */
async function untilStored(tournamentId: number, n: number) {
  await vi.waitFor(
    async () => expect(await deps.repos.tournaments.resultCount(tournamentId)).toBeGreaterThanOrEqual(n),
    { timeout: 30_000, interval: 20 },
  );
}

describe('tournament runner', () => {
  it("a real round robin of the repo's bots: every pair once, progress throttled, results announced, ratings updated", async () => {
    const files = [...FAST_BOTS, 'cycle.js'];
    const { guild, bots } = await guildWithBots(deps, files);
    const announcer = new TimedAnnouncer();
    const { service: s } = service({ progressIntervalMs: 150, announcer });
    // 100 rounds a match: the property needs 55 real matches, not a long run of each (a loaded
    // machine must not push the test past its timeout).
    const started = await s.startNow({ guildId: guild.id, channelId: 'c', startedBy: 'admin', rounds: 100 });
    if (!started.ok) throw new Error(started.error.message);
    const t = started.value;
    expect(t).toMatchObject({ format: 'round-robin', rounds: 100, totalMatches: (11 * 10) / 2 });
    expect(await s.waitFor(t.id)).toBe('finished');

    const stored = await storedFor(t.id);
    expect(stored).toHaveLength(55);
    const pairs = new Set(stored.map((m) => [m.bot0Id, m.bot1Id].sort((a, b) => a - b).join('-')));
    expect(pairs.size).toBe(55);
    expect(stored.every((m) => m.roundsPlayed === 100 || m.faults.length > 0)).toBe(true);

    // Ratings: every bot played 10 rated matches, each recorded once in the history.
    const rows = await db
      .select()
      .from(ratings)
      .where(
        inArray(
          ratings.botId,
          bots.map((b) => b.bot.id),
        ),
      );
    expect(rows.map((r) => r.played)).toEqual(Array(11).fill(10));
    const history = await ratingHistoryOf(
      db,
      stored.map((m) => m.id),
    );
    expect(history).toHaveLength(110);

    const progress = announcer.of('progress').map((e) => e.progress);
    expect(progress[0]).toMatchObject({ done: 0, total: 55, resumed: false });
    expect(progress.at(-1)).toMatchObject({ done: 55, total: 55 });
    // Throttled: messages at least the interval apart (the last is the final flush). How many
    // there are depends on how fast the machine plays, so that is not asserted.
    const gaps = announcer.progressTimes.slice(1, -1).map((at, i) => at - announcer.progressTimes[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(140);
    const done = progress.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const [results] = announcer.of('results');
    const r = results!.results;
    expect(r.standings).toHaveLength(11);
    expect(r.standings[0]!.rank).toBe(1);
    // The round robin's winner has the most points; points add up to one per match.
    expect(r.standings.reduce((sum, s) => sum + s.points, 0)).toBe(55);
    expect(r.biggestWins.length).toBeGreaterThan(0);
    expect(r.biggestWins[0]!.margin).toBe(Math.max(...stored.map((m) => Math.abs(m.score))));
    expect(r.leaderboard.rows.length).toBe(10);
    expect(r.leaderboard.total).toBe(11);
    expect(r.chart.map((c) => c.rank)).toEqual(r.standings.map((s) => s.rank));
    const finished = (await deps.repos.tournaments.get(t.id))!;
    expect(finished.standings?.[0]?.entrant).toBe(r.standings[0]!.entrant.id);
  }, 240_000); // 55 matches of 1000 rounds, one bot in QuickJS: over a minute on a loaded 2-core machine

  it('a host failure (the sandbox gave up, no bot to blame) is never a verdict: the tournament pauses and plays the pairing when it resumes', async () => {
    const { guild } = await guildWithBots(deps, ['rock.component', 'cycle.component', 'beatlast.component']);
    let doomed = '';
    // The pairing fails twice (two pauses), then the host is healthy again.
    const box = instrumented((seed, attempt) => seed === doomed && attempt <= 2);
    const { service: s, announcer } = service({ deps: { ...deps, sandbox: box.sandbox }, pollMs: 50 });
    await s.start();
    const started = await s.startNow({
      guildId: guild.id,
      channelId: 'c',
      rounds: 100,
      startedBy: 'admin',
      seed: 'fixed',
    });
    if (!started.ok) throw new Error(started.error.message);
    const keys = nextPairings(initialState(started.value)).map((p) => p.key);
    expect(keys).toEqual(['r1:m1', 'r2:m1', 'r3:m1']);
    doomed = pairingSeed('fixed', 'r3:m1');
    expect(await untilFinished(started.value.id)).toBe('finished');

    const results = await deps.repos.tournaments.results(started.value.id);
    // Every pairing was played for real: no draw, no forfeit stood in for the host's failure.
    expect(results.map((r) => [r.key, r.matchId !== null, r.unplayedReason])).toEqual([
      ['r1:m1', true, null],
      ['r2:m1', true, null],
      ['r3:m1', true, null],
    ]);
    expect(box.plays.get(doomed)).toBe(3);
    const r = announcer.of('results')[0]!.results;
    expect(r.unplayed).toEqual([]);
    expect(r.matchesPlayed).toBe(3);
    const history = await ratingHistoryOf(
      db,
      results.flatMap((x) => (x.matchId ? [x.matchId] : [])),
    );
    expect(history).toHaveLength(6);
  });

  it('keeps going when every announcement fails', async () => {
    const { guild } = await guildWithBots(deps, ['rock.component', 'cycle.component', 'beatlast.component']);
    const announcer = new MemoryAnnouncer();
    announcer.failWith = new Error('Discord is down');
    const { service: s } = service({ announcer });
    const started = await s.startNow({ guildId: guild.id, channelId: 'c', rounds: 50, startedBy: 'a' });
    if (!started.ok) throw new Error(started.error.message);
    expect(await s.waitFor(started.value.id)).toBe('finished');
    expect((await deps.repos.tournaments.get(started.value.id))?.progressMessageId).toBeNull();
    expect(await storedFor(started.value.id)).toHaveLength(3);
  });

  it('says clearly why it cannot start: too few bots, or one already running', async () => {
    const one = await guildWithBots(deps, ['rock.component']);
    const { service: s } = service();
    const tooFew = await s.startNow({ guildId: one.guild.id, channelId: null, startedBy: 'a' });
    expect(tooFew).toMatchObject({ ok: false, error: { code: 'too-few-entrants' } });
    expect(!tooFew.ok && tooFew.error.message).toMatch(/at least 2 active bots and this server has 1/);

    const two = await guildWithBots(deps, ['rock.component', 'cycle.component']);
    const first = await s.startNow({ guildId: two.guild.id, channelId: null, startedBy: 'a' });
    const second = await s.startNow({ guildId: two.guild.id, channelId: null, startedBy: 'a' });
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'tournament-active' } });
    if (first.ok) await s.waitFor(first.value.id);
  });

  it('cancel stops a running tournament here: nothing more is stored, the cancellation is announced', async () => {
    const { guild } = await guildWithBots(deps, FAST_BOTS);
    const { service: s, announcer } = service({ deps: slow(50), concurrency: 1 });
    const started = await s.startNow({ guildId: guild.id, channelId: 'c', startedBy: 'admin' });
    if (!started.ok) throw new Error(started.error.message);
    await untilStored(started.value.id, 2);
    const cancelled = await s.cancel(guild.id, '42');
    expect(cancelled).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect(await s.waitFor(started.value.id)).toBe('cancelled');
    const count = await deps.repos.tournaments.resultCount(started.value.id);
    expect(count).toBeLessThan(45);
    await new Promise((r) => setTimeout(r, 300));
    expect(await deps.repos.tournaments.resultCount(started.value.id)).toBe(count);
    const [event] = announcer.of('cancelled');
    expect(event).toMatchObject({ reason: 'cancelled by <@42>', progress: { done: count, total: 45 } });
    expect(await s.cancel(guild.id, '42')).toMatchObject({ ok: false, error: { code: 'no-tournament' } });
    expect(announcer.of('results')).toEqual([]);
  });

  it.skipIf(driver !== 'postgres')(
    'cancel from another instance: the runner notices at its next heartbeat and stops',
    async () => {
      const { guild } = await guildWithBots(deps, FAST_BOTS);
      const { service: runner, announcer } = service({
        deps: slow(50),
        concurrency: 1,
        leaseMs: 600,
        heartbeatMs: 150,
      });
      const { service: other } = service();
      const started = await runner.startNow({ guildId: guild.id, channelId: 'c', startedBy: 'admin' });
      if (!started.ok) throw new Error(started.error.message);
      await untilStored(started.value.id, 1);
      expect((await other.cancel(guild.id, '7')).ok).toBe(true);
      expect(await runner.waitFor(started.value.id)).toBe('cancelled');
      expect(announcer.of('cancelled')).toHaveLength(1);
      const count = await deps.repos.tournaments.resultCount(started.value.id);
      await new Promise((r) => setTimeout(r, 300));
      expect(await deps.repos.tournaments.resultCount(started.value.id)).toBe(count);
    },
  );

  it.skipIf(driver !== 'postgres')(
    'two instances started on one tournament: one claims it and plays every match, the other none',
    async () => {
      const { guild } = await guildWithBots(deps, [
        'rock.component',
        'cycle.component',
        'beatlast.component',
        'frequency.component',
      ]);
      const boxes = [instrumented(), instrumented()];
      const [a, b] = boxes.map(
        (box) => service({ deps: { ...deps, sandbox: box.sandbox }, pollMs: 50 }).service,
      );
      const created = await (await import('../../../src/engine/tournaments/create.js')).createTournament(
        deps,
        {
          guildId: guild.id,
          channelId: 'c',
          rounds: 200,
          startedBy: 'a',
        },
      );
      if (!created.ok) throw new Error(created.error.message);
      await Promise.all([a!.start(), b!.start()]);
      const id = created.value.id;
      const ends = await vi.waitFor(async () => {
        const row = await deps.repos.tournaments.get(id);
        expect(row?.status).toBe('finished');
        return [a!.running(), b!.running()];
      });
      expect(ends).toEqual([[], []]);
      const plays = boxes.map((box) => [...box.plays.values()].reduce((x, y) => x + y, 0));
      expect(plays.sort()).toEqual([0, 6]);
      expect(await storedFor(id)).toHaveLength(6);
    },
  );

  it.skipIf(driver !== 'postgres')(
    'a runner that loses its lease mid-tournament stores nothing more; the one that took over finishes it, each pairing once',
    async () => {
      const { guild } = await guildWithBots(deps, FAST_BOTS);
      // A renews far too late for its lease, so B (polling) takes the tournament while A still
      // has matches in the sandbox; A finds out when its next write is refused.
      const boxA = instrumented(undefined, 40);
      const boxB = instrumented();
      const a = service({
        deps: { ...deps, sandbox: boxA.sandbox },
        leaseMs: 300,
        heartbeatMs: 60_000,
      }).service;
      const b = service({ deps: { ...deps, sandbox: boxB.sandbox }, leaseMs: 5_000, pollMs: 100 }).service;
      const started = await a.startNow({ guildId: guild.id, channelId: 'c', startedBy: 'x', rounds: 1000 });
      if (!started.ok) throw new Error(started.error.message);
      const id = started.value.id;
      await b.start();
      expect(await a.waitFor(id)).toBe('lease-lost');
      await vi.waitFor(async () => expect((await deps.repos.tournaments.get(id))?.status).toBe('finished'), {
        timeout: 60_000,
      });
      const stored = await storedFor(id);
      expect(stored).toHaveLength(45);
      expect(new Set(stored.map((m) => m.pairingKey)).size).toBe(45);
      const all = nextPairings(initialState(started.value)).map((p) => p.key);
      expect(stored.map((m) => m.pairingKey).sort()).toEqual(all.sort());
      const playedByA = [...boxA.plays.keys()];
      const playedByB = [...boxB.plays.keys()];
      expect(playedByA.length).toBeGreaterThan(0);
      expect(playedByB.length).toBeGreaterThan(0);
      // Rated once per stored match, whoever played it.
      const history = await ratingHistoryOf(
        db,
        stored.map((m) => m.id),
      );
      expect(history).toHaveLength(90);
    },
  );
});
