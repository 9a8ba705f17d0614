import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { matches, ratingHistory } from '../../src/db/schema.js';
import { executeMatchJob, executeMatchJobs } from '../../src/engine/match-jobs.js';
import type { MatchJob } from '../../src/engine/match-queue.js';
import { createTournament } from '../../src/engine/tournaments/create.js';
import { useTestDatabase } from '../support/database.js';
import { useSandbox } from '../support/sandbox.js';
import { engineDeps, guildWithBots, memoryLogger } from '../support/tournaments.js';

// The exactly-once commit of a queued match (src/engine/match-jobs.ts): the same job played
// twice at once (two workers racing) or again after it was stored (a retry after a worker died
// between commit and completion) stores one match and moves the ratings once.
const { db, driver } = await useTestDatabase();
const deps = engineDeps(db, useSandbox());

async function ratedChallengeJob(key: string): Promise<MatchJob> {
  const { guild, bots } = await guildWithBots(deps, ['rock.component', 'cycle.command']);
  const seat = (i: 0 | 1) => ({
    botId: bots[i]!.bot.id,
    versionId: bots[i]!.version.id,
    sha256: bots[i]!.version.sha256,
    name: `p${i}/${bots[i]!.bot.name}`,
    owner: String(bots[i]!.bot.ownerId),
  });
  return {
    key,
    guildId: guild.id,
    seed: 'race-seed',
    rounds: deps.defaultRounds,
    seats: [seat(0), seat(1)],
    limits: {},
    ticket: { owner: 'user:test', group: `guild:${guild.id}`, priority: 'interactive' },
    requestedAt: new Date().toISOString(),
    challenge: { rate: true },
  };
}

describe.skipIf(driver !== 'postgres')('queued match commits', () => {
  it('two workers racing on one job store one match and rate it once', async () => {
    const job = await ratedChallengeJob('challenge:race');
    const results = await Promise.all([
      executeMatchJob(deps, job, { retry: false }),
      executeMatchJob(deps, job, { retry: false }),
    ]);
    const ids = results.map((r) => (r.kind === 'stored' ? r.matchId : null));
    expect(ids[0]).not.toBeNull();
    expect(ids[1]).toBe(ids[0]);
    expect(results.map((r) => r.kind === 'stored' && r.duplicate).sort()).toEqual([false, true]);
    // Both report the same rating change: the one that was made.
    const changes = results.map((r) => (r.kind === 'stored' ? r.ratingChanges : null));
    expect(changes[0]).not.toBeNull();
    expect(changes[1]).toEqual(changes[0]);
    const rows = await db.select().from(matches).where(eq(matches.matchKey, job.key));
    expect(rows).toHaveLength(1);
    const history = await db
      .select()
      .from(ratingHistory)
      .where(inArray(ratingHistory.matchId, [rows[0]!.id]));
    expect(history).toHaveLength(2);
    const rating = await deps.repos.ratings.get(job.seats[0].botId, 'rps');
    expect(rating?.played).toBe(1);
  });

  it('a retry of a job already stored changes nothing', async () => {
    const job = await ratedChallengeJob('challenge:retry');
    const first = await executeMatchJob(deps, job, { retry: false });
    const again = await executeMatchJob(deps, job, { retry: true });
    expect(first.kind === 'stored' && first.duplicate).toBe(false);
    expect(again).toMatchObject({
      kind: 'stored',
      duplicate: true,
      matchId: first.kind === 'stored' ? first.matchId : -1,
    });
    expect(await db.select().from(matches).where(eq(matches.matchKey, job.key))).toHaveLength(1);
    expect((await deps.repos.ratings.get(job.seats[1].botId, 'rps'))?.played).toBe(1);
  });

  it("a job cannot raise the worker's limits: they are capped at the worker's own", async () => {
    const job = await ratedChallengeJob('challenge:limits');
    job.limits = { memoryBytes: deps.limits.memoryBytes * 4, fuelPerMove: deps.limits.fuelPerMove * 10 };
    const result = await executeMatchJob(deps, job, { retry: false });
    expect(result.kind).toBe('stored');
    const [row] = await db.select().from(matches).where(eq(matches.matchKey, job.key));
    expect(row?.limits).toMatchObject({
      memoryBytes: deps.limits.memoryBytes,
      fuelPerMove: deps.limits.fuelPerMove,
    });
  });

  it('a tournament bundle is stored together; a retry plays only what is not stored; a bot retired before its match starts forfeits it; a refused bundle is stored match by match', async () => {
    const { guild, bots } = await guildWithBots(deps, [
      'rock.component',
      'cycle.command',
      'beatlast.component',
    ]);
    const created = await createTournament(deps, {
      guildId: guild.id,
      channelId: null,
      startedBy: 'test',
      rounds: 50,
    });
    if (!created.ok) throw new Error(created.error.message);
    const t = created.value;
    await deps.repos.tournaments.claim(t.id, 'me', 60_000);
    await deps.repos.tournaments.markRunning(t.id, 'me', { progressMessageId: null, threadId: null });
    const seat = (i: number) => ({
      botId: bots[i]!.bot.id,
      versionId: bots[i]!.version.id,
      sha256: bots[i]!.version.sha256,
      name: `p${i}/${bots[i]!.bot.name}`,
      owner: String(bots[i]!.bot.ownerId),
    });
    const pairing = (key: string, a: number, b: number): MatchJob => ({
      key: `tournament:${t.id}:${key}`,
      guildId: guild.id,
      seed: `seed-${key}`,
      rounds: 50,
      seats: [seat(a), seat(b)],
      limits: {},
      ticket: { owner: `tournament:${t.id}`, group: `guild:${guild.id}`, priority: 'background' },
      requestedAt: new Date().toISOString(),
      tournament: { id: t.id, round: 1, pairingKey: key },
    });
    const first = [pairing('r1:a', 0, 1), pairing('r1:b', 1, 2)];
    const plays: number[] = [];
    const stored = await executeMatchJobs(deps, first, { retry: false, played: (ms) => plays.push(ms) });
    expect(stored.map((r) => r.kind === 'stored' && !r.duplicate)).toEqual([true, true]);
    expect(plays).toHaveLength(2);
    for (const ms of plays) expect(ms).toBeGreaterThan(0);

    // The bundle again, as a retry after its worker died between commit and completion, with
    // one more match: the stored two are answered from the database, unplayed; the third is played.
    await deps.repos.bots.retire(bots[2]!.bot.id);
    const again = await executeMatchJobs(deps, [...first, pairing('r1:c', 0, 2)], {
      retry: true,
      played: (ms) => plays.push(ms),
    });
    expect(again.slice(0, 2)).toEqual(stored.map((r) => ({ ...r, duplicate: true })));
    // Bot 2 was retired before that match started: not stored, reported so the runner forfeits it.
    expect(again[2]).toEqual({ kind: 'retired', botIds: [bots[2]!.bot.id] });
    // The stored two were not played again (no play time); the new one was, before its commit found the retirement.
    expect(plays.slice(2, 4)).toEqual([0, 0]);
    expect(plays).toHaveLength(5);
    expect(plays[4]).toBeGreaterThan(0);
    const rows = await db.select().from(matches).where(eq(matches.tournamentId, t.id));
    expect(rows.map((r) => r.pairingKey).sort()).toEqual(['r1:a', 'r1:b']);

    // A pairing already stored under another job key (say, by a runner before the queue was
    // configured): the bundle's one insert is refused, so each match is stored on its own, and
    // only that one is turned away.
    const earlier = await executeMatchJobs(
      deps,
      [{ ...pairing('r2:x', 0, 1), key: `tournament:${t.id}:old` }],
      {
        retry: false,
      },
    );
    expect(earlier[0]).toMatchObject({ kind: 'stored', duplicate: false });
    const logger = memoryLogger();
    const mixed = await executeMatchJobs(
      { ...deps, logger },
      [pairing('r2:x', 0, 1), pairing('r2:y', 0, 1)],
      {
        retry: false,
      },
    );
    expect(mixed[0]).toEqual({ kind: 'refused', reason: 'pairing r2:x is already settled' });
    expect(mixed[1]).toMatchObject({ kind: 'stored', duplicate: false });
    expect(logger.lines.map((l) => l.message)).toContain(
      'storing queued matches together failed; storing them one by one',
    );
  });
});
