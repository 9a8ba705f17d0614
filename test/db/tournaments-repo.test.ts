import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createRepos } from '../../src/db/repos/index.js';
import { INITIAL_RATING, type RatingValue } from '../../src/db/repos/ratings.js';
import type { NewTournament } from '../../src/db/repos/tournaments.js';
import { ratingHistory, ratings } from '../../src/db/schema.js';
import { rateMatch } from '../../src/engine/ratings.js';
import { useTestDatabase } from '../support/database.js';
import { makeRecord, seedGuild, simpleRate } from '../support/db-fixtures.js';

// The lease and the write guards, on the real server (PGlite is one session: races mean nothing there).
const { db, driver } = await useTestDatabase();
const repos = createRepos(db);

async function setup() {
  const seeded = await seedGuild(db, ['a', 'b', 'c']);
  const entrants = seeded.bots.map((b) => ({
    id: String(b.bot.id),
    botId: b.bot.id,
    versionId: b.version.id,
    version: b.version.version,
    sha256: b.sha256,
    botName: b.bot.name,
    ownerUserId: seeded.player.userId,
    ownerName: seeded.player.displayName,
    rating: null,
  }));
  const input: NewTournament = {
    guildId: seeded.guild.id,
    format: 'round-robin',
    options: {},
    rounds: 10,
    seed: 'seed',
    totalMatches: 3,
    entrants,
    limits: {},
    channelId: null,
    startedBy: 'test',
  };
  return { seeded, input };
}

function matchInput(
  seeded: Awaited<ReturnType<typeof setup>>['seeded'],
  tournamentId: number,
  key: string,
  seed = 'm',
) {
  const [a, b] = seeded.bots as [(typeof seeded.bots)[0], (typeof seeded.bots)[0]];
  return {
    guildId: seeded.guild.id,
    kind: 'tournament' as const,
    record: makeRecord(
      [
        { name: a.bot.name, sha256: a.sha256 },
        { name: b.bot.name, sha256: b.sha256 },
      ],
      { rounds: 10, seed },
    ),
    seats: [
      { botId: a.bot.id, versionId: a.version.id },
      { botId: b.bot.id, versionId: b.version.id },
    ] as const,
    tournament: { id: tournamentId, round: 1, key },
    rate: simpleRate,
  };
}

describe(`tournaments repository (${driver})`, () => {
  it('create(): at most one pending or running tournament per guild', async () => {
    const { input } = await setup();
    const first = await repos.tournaments.create(input);
    expect(first?.status).toBe('pending');
    expect(await repos.tournaments.create(input)).toBeNull();
    await repos.tournaments.cancel(input.guildId, 'test');
    expect(await repos.tournaments.create(input)).not.toBeNull();
  });

  it.skipIf(driver !== 'postgres')('claim(): of many racing claimers exactly one wins', async () => {
    const { input } = await setup();
    const t = (await repos.tournaments.create(input))!;
    const owners = Array.from({ length: 8 }, (_, i) => `owner-${i}`);
    const claims = await Promise.all(owners.map((o) => repos.tournaments.claim(t.id, o, 60_000)));
    const winners = claims.filter((c) => c !== null);
    expect(winners).toHaveLength(1);
    const holder = winners[0]!.leaseOwner!;
    // The holder may claim again (a restart of the same owner id); others may not.
    expect(await repos.tournaments.claim(t.id, holder, 60_000)).not.toBeNull();
    expect(await repos.tournaments.claim(t.id, 'late', 60_000)).toBeNull();
  });

  it('claim(): an expired lease can be taken over, and then the old holder can neither renew nor write', async () => {
    const { seeded, input } = await setup();
    const t = (await repos.tournaments.create(input))!;
    expect(await repos.tournaments.claim(t.id, 'old', 1)).not.toBeNull();
    expect(
      (await repos.tournaments.markRunning(t.id, 'old', { progressMessageId: 'm', threadId: null })).ok,
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await repos.tournaments.claimable()).toContain(t.id);
    expect(await repos.tournaments.claim(t.id, 'new', 60_000)).not.toBeNull();
    expect(await repos.tournaments.renew(t.id, 'old', 60_000)).toBeNull();
    const refused = await repos.tournaments.commitMatch('old', matchInput(seeded, t.id, 'r1:m1'));
    expect(refused).toEqual({ ok: false, error: { kind: 'not-holder', status: 'running' } });
    expect(await repos.tournaments.results(t.id)).toEqual([]);
    expect(await repos.tournaments.renew(t.id, 'new', 60_000)).toBeInstanceOf(Date);
    expect(await repos.tournaments.claimable()).not.toContain(t.id);
  });

  it('commitMatch(): one match per pairing key; unplayed pairings cannot shadow a played one', async () => {
    const { seeded, input } = await setup();
    const t = (await repos.tournaments.create(input))!;
    await repos.tournaments.claim(t.id, 'me', 60_000);
    await repos.tournaments.markRunning(t.id, 'me', { progressMessageId: null, threadId: null });
    const stored = await repos.tournaments.commitMatch('me', matchInput(seeded, t.id, 'r1:m1'));
    expect(stored.ok).toBe(true);
    const again = await repos.tournaments.commitMatch('me', matchInput(seeded, t.id, 'r1:m1', 'other'));
    expect(again).toEqual({ ok: false, error: { kind: 'duplicate', key: 'r1:m1' } });
    const unplayed = {
      tournamentId: t.id,
      key: 'r1:m1',
      round: 1,
      botIds: [seeded.bots[0]!.bot.id, seeded.bots[1]!.bot.id] as const,
      winnerSeat: null,
      reason: 'test',
    };
    expect(await repos.tournaments.commitUnplayed('me', unplayed)).toEqual({
      ok: false,
      error: { kind: 'duplicate', key: 'r1:m1' },
    });
    expect((await repos.tournaments.commitUnplayed('me', { ...unplayed, key: 'r2:m1', round: 2 })).ok).toBe(
      true,
    );
    expect((await repos.tournaments.commitUnplayed('me', { ...unplayed, key: 'r2:m1', round: 2 })).ok).toBe(
      false,
    );
    const results = await repos.tournaments.results(t.id);
    expect(results.map((r) => [r.key, r.matchId !== null, r.unplayedReason])).toEqual([
      ['r1:m1', true, null],
      ['r2:m1', false, 'test'],
    ]);
    expect(await repos.tournaments.resultCount(t.id)).toBe(2);
  });

  it("commitQueuedBatch(): a queue worker's bundle in one transaction: new, already stored, settled and retired matches each get their own answer", async () => {
    const { seeded, input } = await setup();
    const t = (await repos.tournaments.create(input))!;
    const queued = (key: string, startedAt: Date, seed = 'm') => ({
      ...matchInput(seeded, t.id, key, seed),
      rate: undefined,
      matchKey: `tournament:${t.id}:${key}`,
      startedAt,
    });
    const early = new Date(Date.now() - 60_000);
    // Not running yet: refused as a whole, nothing stored.
    expect(await repos.tournaments.commitQueuedBatch(t.id, [queued('r1:m1', early)])).toEqual({
      ok: false,
      error: { kind: 'not-holder', status: 'pending' },
    });
    await repos.tournaments.claim(t.id, 'me', 60_000);
    await repos.tournaments.markRunning(t.id, 'me', { progressMessageId: null, threadId: null });
    const first = await repos.tournaments.commitQueuedBatch(t.id, [queued('r1:m1', early)]);
    const firstId = first.ok ? first.value.get(`tournament:${t.id}:r1:m1`) : null;
    expect(firstId).toMatchObject({ kind: 'stored', duplicate: false });
    await repos.tournaments.commitUnplayed('me', {
      tournamentId: t.id,
      key: 'r2:m1',
      round: 2,
      botIds: [seeded.bots[0]!.bot.id, seeded.bots[1]!.bot.id] as const,
      winnerSeat: null,
      reason: 'forfeit',
    });
    // Seat 0's bot retires now: a match the worker started before stays, one it started after is not stored.
    await repos.bots.retire(seeded.bots[0]!.bot.id);
    const retiredAt = (await repos.bots.retiredAmong([seeded.bots[0]!.bot.id])).get(seeded.bots[0]!.bot.id)!;
    const batch = await repos.tournaments.commitQueuedBatch(t.id, [
      queued('r1:m1', early, 'again'),
      queued('r2:m1', early),
      queued('r3:m1', early),
      queued('r3:m2', new Date(retiredAt.getTime() + 1)),
    ]);
    expect(batch.ok).toBe(true);
    const answers = batch.ok
      ? Object.fromEntries([...batch.value].map(([k, v]) => [k.split(':').slice(2).join(':'), v]))
      : {};
    expect(answers['r1:m1']).toEqual({ ...firstId, duplicate: true });
    expect(answers['r2:m1']).toEqual({ kind: 'settled' });
    expect(answers['r3:m1']).toMatchObject({ kind: 'stored', duplicate: false });
    expect(answers['r3:m2']).toEqual({ kind: 'retired', botIds: [seeded.bots[0]!.bot.id] });
    const results = await repos.tournaments.results(t.id);
    expect(results.map((r) => [r.key, r.matchId !== null]).sort()).toEqual([
      ['r1:m1', true],
      ['r2:m1', false],
      ['r3:m1', true],
    ]);
  });

  it('cancel(): clears the lease, so the runner can no longer write or renew', async () => {
    const { seeded, input } = await setup();
    const t = (await repos.tournaments.create(input))!;
    await repos.tournaments.claim(t.id, 'me', 60_000);
    await repos.tournaments.markRunning(t.id, 'me', { progressMessageId: null, threadId: null });
    const cancelled = await repos.tournaments.cancel(input.guildId, 'stop');
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'stop', leaseOwner: null });
    expect(await repos.tournaments.renew(t.id, 'me', 60_000)).toBeNull();
    const refused = await repos.tournaments.commitMatch('me', matchInput(seeded, t.id, 'r1:m1'));
    expect(refused.ok).toBe(false);
    expect(await repos.tournaments.claimable()).not.toContain(t.id);
  });

  it('rateMatches(): rates in the order given, each match from the ratings the previous ones left, and only once', async () => {
    const { seeded, input } = await setup();
    const t = (await repos.tournaments.create(input))!;
    await repos.tournaments.claim(t.id, 'me', 60_000);
    await repos.tournaments.markRunning(t.id, 'me', { progressMessageId: null, threadId: null });
    const [a, b, c] = seeded.bots as [
      (typeof seeded.bots)[0],
      (typeof seeded.bots)[0],
      (typeof seeded.bots)[0],
    ];
    // Every pair twice, so bots meet again after their ratings moved; seeds vary the winners.
    const pairs = [
      [a, b],
      [b, c],
      [c, a],
      [b, a],
      [c, b],
      [a, c],
    ] as const;
    const ids: number[] = [];
    for (const [i, [x, y]] of pairs.entries()) {
      const stored = await repos.tournaments.commitMatch('me', {
        guildId: seeded.guild.id,
        kind: 'tournament',
        record: makeRecord(
          [
            { name: x.bot.name, sha256: x.sha256 },
            { name: y.bot.name, sha256: y.sha256 },
          ],
          { rounds: 10, seed: `s${i}` },
        ),
        seats: [
          { botId: x.bot.id, versionId: x.version.id },
          { botId: y.bot.id, versionId: y.version.id },
        ],
        tournament: { id: t.id, round: i + 1, key: `r${i + 1}:m1` },
      });
      if (!stored.ok) throw new Error('not stored');
      ids.push(stored.value.match.id);
    }
    const rows = await repos.tournaments.results(t.id);
    const winners = new Map(rows.map((r) => [r.matchId!, r.winnerSeat]));
    expect(new Set(winners.values()).size).toBeGreaterThan(1);
    // Rate the first two, then all six: the first two are skipped the second time.
    const rate = (before: readonly [RatingValue, RatingValue], w: 0 | 1 | null) =>
      rateMatch(before[0], before[1], w);
    expect(await repos.tournaments.rateMatches('me', t.id, seeded.guild.id, ids.slice(0, 2), rate)).toEqual({
      ok: true,
      value: 2,
    });
    expect(await repos.tournaments.rateMatches('me', t.id, seeded.guild.id, ids, rate)).toEqual({
      ok: true,
      value: 4,
    });
    expect(await repos.tournaments.rateMatches('me', t.id, seeded.guild.id, ids, rate)).toEqual({
      ok: true,
      value: 0,
    });

    // The reference: one match after another, as a fresh read of each row would give.
    const now = new Map<number, RatingValue>();
    const counts = new Map<number, { played: number; wins: number; losses: number; draws: number }>();
    const history: unknown[] = [];
    for (const [i, [x, y]] of pairs.entries()) {
      const seatIds = [x.bot.id, y.bot.id] as const;
      const before = seatIds.map((id) => now.get(id) ?? { ...INITIAL_RATING }) as [RatingValue, RatingValue];
      const w = winners.get(ids[i]!)!;
      const after = rateMatch(before[0], before[1], w);
      for (const seat of [0, 1] as const) {
        const id = seatIds[seat];
        now.set(id, after[seat]);
        const k = counts.get(id) ?? { played: 0, wins: 0, losses: 0, draws: 0 };
        k.played++;
        if (w === null) k.draws++;
        else if (w === seat) k.wins++;
        else k.losses++;
        counts.set(id, k);
        history.push({
          matchId: ids[i],
          botId: id,
          muBefore: before[seat].mu,
          sigmaBefore: before[seat].sigma,
          muAfter: after[seat].mu,
          sigmaAfter: after[seat].sigma,
        });
      }
    }
    for (const bot of [a, b, c]) {
      const [row] = await db
        .select()
        .from(ratings)
        .where(and(eq(ratings.botId, bot.bot.id), eq(ratings.game, 'rps')));
      expect(row).toMatchObject({ ...now.get(bot.bot.id), ...counts.get(bot.bot.id) });
    }
    const stored = await db
      .select({
        matchId: ratingHistory.matchId,
        botId: ratingHistory.botId,
        muBefore: ratingHistory.muBefore,
        sigmaBefore: ratingHistory.sigmaBefore,
        muAfter: ratingHistory.muAfter,
        sigmaAfter: ratingHistory.sigmaAfter,
      })
      .from(ratingHistory)
      .orderBy(asc(ratingHistory.id));
    expect(stored.filter((h) => ids.includes(h.matchId))).toEqual(history);
  });
});
