import { eq, inArray, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createBotsRepo } from '../../src/db/repos/bots.js';
import { createGuildsRepo } from '../../src/db/repos/guilds.js';
import { createMatchesRepo, encodeMatch } from '../../src/db/repos/matches.js';
import { createPlayersRepo } from '../../src/db/repos/players.js';
import { createRatingsRepo } from '../../src/db/repos/ratings.js';
import { matches, ratingHistory } from '../../src/db/schema.js';
import {
  fakeModule,
  META,
  makeRecord,
  recordWithOutcome,
  seedGuild,
  simpleRate,
  uid,
} from '../support/db-fixtures.js';

/**
 * Behaviour every driver must show, registered by both the real-server suite and the PGlite one
 * so the two are held to the same assertions.
 */
export function repositoryScenarios(db: Db): void {
  const botsRepo = createBotsRepo(db);
  const matchesRepo = createMatchesRepo(db);
  const ratingsRepo = createRatingsRepo(db);

  it('guilds.upsert(): should create, then refresh the name and keep settings', async () => {
    const guilds = createGuildsRepo(db);
    const id = uid('guild');
    await guilds.upsert({ id, name: 'Old' });
    await guilds.setLimits(id, { fuelPerMove: 1000 });
    const renamed = await guilds.upsert({ id, name: 'New' });
    expect(renamed).toMatchObject({ id, name: 'New', limits: { fuelPerMove: 1000 } });
    const unchanged = await guilds.upsert({ id, name: 'New' });
    expect(unchanged.updatedAt).toEqual(renamed.updatedAt);
  });

  it('players.upsert(): should keep one row per guild and user with the newest display name', async () => {
    const { guild } = await seedGuild(db, []);
    const players = createPlayersRepo(db);
    const userId = uid('user');
    const first = await players.upsert({ guildId: guild.id, userId, displayName: 'alice' });
    const again = await players.upsert({ guildId: guild.id, userId, displayName: 'Alice B.' });
    expect(again.id).toBe(first.id);
    expect(again.displayName).toBe('Alice B.');
    expect((await players.get(guild.id, userId))?.displayName).toBe('Alice B.');
  });

  it('bots.submit(): should version new bytes, dedupe the same bytes by sha256, and track the current version', async () => {
    const { guild, player } = await seedGuild(db, []);
    const v1 = fakeModule('one');
    const v2 = fakeModule('two');
    const base = { guildId: guild.id, ownerId: player.id, meta: META };

    const first = await botsRepo.submit({ ...base, name: 'BeatLast', ...v1 });
    expect(first).toMatchObject({
      botCreated: true,
      isNew: true,
      version: { version: 1, sha256: v1.sha256 },
    });
    expect(first.bot.currentVersionId).toBe(first.version.id);

    // Same name in another case is the same bot; the first spelling stays.
    const second = await botsRepo.submit({ ...base, name: 'beatlast', ...v2 });
    expect(second).toMatchObject({ botCreated: false, isNew: true, version: { version: 2 } });
    expect(second.bot).toMatchObject({
      id: first.bot.id,
      name: 'BeatLast',
      currentVersionId: second.version.id,
    });

    // The first bytes again: no new version, but they become current again.
    const again = await botsRepo.submit({ ...base, name: 'BEATLAST', ...v1 });
    expect(again).toMatchObject({
      botCreated: false,
      isNew: false,
      version: { id: first.version.id, version: 1 },
    });
    expect(again.bot.currentVersionId).toBe(first.version.id);

    const versions = await botsRepo.listVersions(first.bot.id);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]).not.toHaveProperty('wasm');
    expect(versions[1]).toMatchObject({
      interfaceKind: 'component',
      imports: META.imports,
      validation: META.validation,
      smokeMatch: META.smokeMatch,
      sizeBytes: v1.wasm.byteLength,
    });

    const stored = await botsRepo.getVersion(second.version.id);
    expect(stored?.wasm).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(stored!.wasm).equals(Buffer.from(v2.wasm))).toBe(true);
    expect(await botsRepo.findByName(guild.id, player.id, 'bEaTlAsT')).toMatchObject({ id: first.bot.id });
  });

  it('bots.addVersion(): should refuse a wrong sha256 and report a missing bot as a value', async () => {
    const { bots } = await seedGuild(db, ['solo']);
    const mod = fakeModule('x');
    await expect(botsRepo.addVersion(bots[0]!.bot.id, mod.wasm, '0'.repeat(64), META)).rejects.toThrow(
      /sha256/,
    );
    expect(await botsRepo.addVersion(2_000_000_000, mod.wasm, mod.sha256, META)).toEqual({
      ok: false,
      error: { kind: 'no-such-bot', botId: 2_000_000_000 },
    });
    const added = await botsRepo.addVersion(bots[0]!.bot.id, mod.wasm, mod.sha256, META);
    expect(added).toMatchObject({ ok: true, value: { isNew: true, version: { version: 2 } } });
  });

  it('bots.setCurrentVersion(): should roll back to an older version and refuse a missing one', async () => {
    const { guild, player } = await seedGuild(db, []);
    const base = { guildId: guild.id, ownerId: player.id, name: 'roller', meta: META };
    const v1 = await botsRepo.submit({ ...base, ...fakeModule('r1') });
    await botsRepo.submit({ ...base, ...fakeModule('r2') });

    const rolled = await botsRepo.setCurrentVersion(v1.bot.id, 1);
    expect(rolled).toMatchObject({ ok: true, value: { id: v1.version.id } });
    expect((await botsRepo.get(v1.bot.id))?.currentVersionId).toBe(v1.version.id);
    expect((await botsRepo.getCurrentVersion(v1.bot.id))?.sha256).toBe(v1.version.sha256);

    expect(await botsRepo.setCurrentVersion(v1.bot.id, 9)).toEqual({
      ok: false,
      error: { kind: 'no-such-version', botId: v1.bot.id, version: 9 },
    });
  });

  it('bots.retire()/activate(): should hide a bot from listings and autocomplete until reactivated', async () => {
    const { guild, bots } = await seedGuild(db, ['rock_only', 'rocket', 'paper']);
    const [rockOnly, rocket] = bots;
    expect((await botsRepo.listActive(guild.id)).map((a) => a.bot.name)).toEqual([
      'paper',
      'rock_only',
      'rocket',
    ]);

    const retired = await botsRepo.retire(rocket!.bot.id);
    expect(retired.ok && retired.value.retiredAt).toBeInstanceOf(Date);
    const active = await botsRepo.listActive(guild.id);
    expect(active.map((a) => a.bot.name)).toEqual(['paper', 'rock_only']);
    expect(active[0]).toMatchObject({ owner: { displayName: 'Alice' }, version: { version: 1 } });
    expect((await botsRepo.autocomplete(guild.id, 'RO')).map((c) => c.name)).toEqual(['rock_only']);
    expect(
      (await botsRepo.autocomplete(guild.id, 'ro', { includeRetired: true })).map((c) => [c.name, c.retired]),
    ).toEqual([
      ['rock_only', false],
      ['rocket', true],
    ]);
    // LIKE wildcards in the typed prefix are literal.
    expect((await botsRepo.autocomplete(guild.id, 'rock_')).map((c) => c.botId)).toEqual([rockOnly!.bot.id]);
    expect(await botsRepo.autocomplete(guild.id, '%')).toEqual([]);

    await botsRepo.activate(rocket!.bot.id);
    expect((await botsRepo.listActive(guild.id)).map((a) => a.bot.name)).toEqual([
      'paper',
      'rock_only',
      'rocket',
    ]);
    expect(await botsRepo.retire(2_000_000_000)).toMatchObject({ ok: false, error: { kind: 'no-such-bot' } });
  });

  it('matches.recordMatch(): should store a 1000-round match whose log round-trips in a few KB', async () => {
    const { guild, bots } = await seedGuild(db, ['a', 'b']);
    const [a, b] = [bots[0]!, bots[1]!];
    const record = makeRecord([
      { name: 'alice/a', sha256: a.sha256 },
      { name: 'alice/b', sha256: b.sha256 },
    ]);
    const { match, ratingChanges } = await matchesRepo.recordMatch({
      guildId: guild.id,
      kind: 'challenge',
      record,
      seats: [
        { botId: a.bot.id, versionId: a.version.id },
        { botId: b.bot.id, versionId: b.version.id },
      ],
    });
    expect(ratingChanges).toBeNull();

    const stored = await matchesRepo.get(match.id);
    expect(stored?.log).toEqual(record.log);
    // What a replay needs besides seed and versions: the names the bots were told and the limits.
    expect(stored).toMatchObject({ bot0Name: 'alice/a', bot1Name: 'alice/b', limits: record.limits });
    expect(stored?.moveMicros).toEqual(record.timing.moveMicros);
    expect(stored).toMatchObject({
      kind: 'challenge',
      seed: record.seed,
      rounds: 1000,
      drawMargin: 20,
      roundsPlayed: 1000,
      winnerSeat: record.outcome.winner,
      outcomeReason: record.outcome.reason,
      score: record.outcome.score,
      wins0: record.wins[0],
      wins1: record.wins[1],
      ties: record.ties,
      stderr0: 'seat 0 says hi\n',
      faults: [],
    });
    expect(stored!.fuel0).toBe(record.startFuel[0] + record.log.fuel[0].reduce((x, y) => x + y, 0));

    const [size] = await db
      .select({ bytes: sql<number>`octet_length(${matches.log})`.mapWith(Number) })
      .from(matches)
      .where(eq(matches.id, match.id));
    console.info(
      `match log: 1000 rounds, ${JSON.stringify(record.log).length} bytes of JSON, ${size!.bytes} stored`,
    );
    expect(size!.bytes).toBeLessThan(8 * 1024);
  });

  it('matches.insertUnrated(): a batch stores exactly what recordMatch stores, bot-written text included', async () => {
    const { guild, bots } = await seedGuild(db, ['a', 'b']);
    const [a, b] = [bots[0]!, bots[1]!];
    const hostile =
      'quote " back\\ slash \u0000 nul 🎲 \ud800 lone \u001b[31m red\n\'; drop table matches; --';
    const record = makeRecord([
      { name: `al"ice/a${hostile}`, sha256: a.sha256 },
      { name: 'alice/b', sha256: b.sha256 },
    ]);
    record.stderr = [hostile, `${hostile.repeat(3)}`];
    record.faults = [{ seat: 0, round: 3, kind: 'trap', message: `unreachable in ${hostile}` }];
    const input = {
      guildId: guild.id,
      kind: 'challenge' as const,
      record,
      seats: [
        { botId: a.bot.id, versionId: a.version.id },
        { botId: b.bot.id, versionId: b.version.id },
      ] as const,
      startedAt: new Date('2026-12-06T01:02:03.456Z'),
    };
    const one = await matchesRepo.recordMatch(input);
    const [batched, second] = await matchesRepo.insertUnrated([
      await encodeMatch(input),
      await encodeMatch(input),
    ]);
    expect(batched!.id).not.toBe(one.match.id);
    expect(second!.id).not.toBe(batched!.id);
    const rows = await db
      .select()
      .from(matches)
      .where(inArray(matches.id, [one.match.id, batched!.id]));
    const byId = new Map(rows.map(({ id, ...rest }) => [id, rest]));
    const [want, got] = [byId.get(one.match.id)!, byId.get(batched!.id)!];
    // Every column, the compressed log and timings byte for byte.
    expect(Buffer.from(got.log).equals(Buffer.from(want.log))).toBe(true);
    expect(Buffer.from(got.timing!).equals(Buffer.from(want.timing!))).toBe(true);
    // finishedAt is the database's now() at insert.
    const rest = (r: typeof got) => ({ ...r, log: null, timing: null, finishedAt: null });
    expect(rest(got)).toEqual(rest(want));
    expect(got.stderr0).toContain('drop table matches');
    expect(got.faults[0]!.message).toContain('🎲');
  });

  it('matches.recordMatch(): should update both ratings and write their history in one go', async () => {
    const { guild, bots } = await seedGuild(db, ['winner', 'loser']);
    const [w, l] = [bots[0]!, bots[1]!];
    const seats = [
      { botId: w.bot.id, versionId: w.version.id },
      { botId: l.bot.id, versionId: l.version.id },
    ] as const;
    const record = recordWithOutcome(
      [
        { name: 'alice/winner', sha256: w.sha256 },
        { name: 'alice/loser', sha256: l.sha256 },
      ],
      { winner: 0, reason: 'points', score: 5 },
    );
    const { match, ratingChanges } = await matchesRepo.recordMatch({
      guildId: guild.id,
      kind: 'challenge',
      record,
      seats,
      rate: simpleRate,
    });
    expect(ratingChanges).toEqual([
      { botId: w.bot.id, before: { mu: 25, sigma: 25 / 3 }, after: { mu: 26, sigma: (25 / 3) * 0.97 } },
      { botId: l.bot.id, before: { mu: 25, sigma: 25 / 3 }, after: { mu: 24, sigma: (25 / 3) * 0.97 } },
    ]);
    expect(await ratingsRepo.get(w.bot.id, 'rps')).toMatchObject({
      mu: 26,
      played: 1,
      wins: 1,
      losses: 0,
      draws: 0,
    });
    expect(await ratingsRepo.get(l.bot.id, 'rps')).toMatchObject({ mu: 24, played: 1, wins: 0, losses: 1 });
    const history = await db.select().from(ratingHistory).where(eq(ratingHistory.matchId, match.id));
    expect(history.map((h) => [h.botId, h.muBefore, h.muAfter]).sort()).toEqual(
      [
        [w.bot.id, 25, 26],
        [l.bot.id, 25, 24],
      ].sort(),
    );

    // A draw, then the other way round: head-to-head counts from A's side.
    await matchesRepo.recordMatch({
      guildId: guild.id,
      kind: 'challenge',
      record: { ...record, outcome: { winner: null, reason: 'within-margin', score: 0 } },
      seats,
      rate: simpleRate,
    });
    const swapped = { ...record, bots: [record.bots[1], record.bots[0]] as typeof record.bots };
    await matchesRepo.recordMatch({
      guildId: guild.id,
      kind: 'challenge',
      record: { ...swapped, outcome: { winner: 1, reason: 'points', score: -30 } },
      seats: [seats[1], seats[0]],
      rate: simpleRate,
    });
    expect(await matchesRepo.headToHead(w.bot.id, l.bot.id)).toEqual({
      played: 3,
      winsA: 2,
      winsB: 0,
      draws: 1,
    });
    expect(await ratingsRepo.get(w.bot.id, 'rps')).toMatchObject({ played: 3, wins: 2, draws: 1, mu: 27 });
    const recent = await matchesRepo.recentForBot(l.bot.id, { limit: 2 });
    expect(recent.map((m) => [m.bot0Name, m.bot1Name])).toEqual([
      ['loser', 'winner'],
      ['winner', 'loser'],
    ]);
    expect(recent[0]).not.toHaveProperty('log');
    const older = await matchesRepo.recentForBot(l.bot.id, { beforeId: recent[1]!.id });
    expect(older.map((m) => m.id)).toEqual([match.id]);
  });

  it('matches.recordMatch(): should store nothing when a seat names the wrong version or the rating is invalid', async () => {
    const { guild, bots } = await seedGuild(db, ['p', 'q']);
    const [p, q] = [bots[0]!, bots[1]!];
    const record = recordWithOutcome(
      [
        { name: 'p', sha256: p.sha256 },
        { name: 'q', sha256: q.sha256 },
      ],
      { winner: 1, reason: 'points', score: -3 },
    );
    const seats = [
      { botId: p.bot.id, versionId: p.version.id },
      { botId: q.bot.id, versionId: q.version.id },
    ] as const;
    await expect(
      matchesRepo.recordMatch({ guildId: guild.id, kind: 'challenge', record, seats: [seats[1], seats[0]] }),
    ).rejects.toThrow(/not the module/);
    await expect(
      matchesRepo.recordMatch({
        guildId: guild.id,
        kind: 'challenge',
        record,
        seats,
        rate: () => [
          { mu: Number.NaN, sigma: 1 },
          { mu: 1, sigma: 1 },
        ],
      }),
    ).rejects.toThrow(/invalid rating/);
    expect(await matchesRepo.recentForBot(p.bot.id)).toEqual([]);
    expect(await ratingsRepo.get(p.bot.id, 'rps')).toBeNull();
  });

  it('ratings.leaderboard(): should order by mu - 3*sigma, page without gaps, and rank a bot off the page', async () => {
    const names = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];
    const { guild, bots } = await seedGuild(db, names);
    // Conservative ratings: b1 10, b2 20, b3 5, b4 20 (tie with b2: lower id first), b5 -1, b6 15, b7 30.
    const values = [
      { mu: 13, sigma: 1 },
      { mu: 26, sigma: 2 },
      { mu: 8, sigma: 1 },
      { mu: 29, sigma: 3 },
      { mu: 2, sigma: 1 },
      { mu: 18, sigma: 1 },
      { mu: 33, sigma: 1 },
    ];
    for (const [i, s] of bots.entries()) await ratingsRepo.ensure(guild.id, 'rps', [s.bot.id], values[i]);
    const expected = ['b7', 'b2', 'b4', 'b6', 'b1', 'b3', 'b5'];

    const pages = [];
    for (let offset = 0; offset < 9; offset += 3) {
      pages.push(await ratingsRepo.leaderboard(guild.id, 'rps', { offset, limit: 3 }));
    }
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
    expect(pages.flatMap((p) => p.rows.map((r) => r.botName))).toEqual(expected);
    expect(pages.flatMap((p) => p.rows.map((r) => r.rank))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pages[0]!.rows[0]).toMatchObject({ conservative: 30, ownerName: 'Alice', played: 0 });

    const b3 = bots[2]!.bot.id;
    expect(await ratingsRepo.rankOf(guild.id, 'rps', b3)).toMatchObject({ rank: 6, total: 7 });
    expect(await ratingsRepo.rankOf(guild.id, 'rps', bots[3]!.bot.id)).toMatchObject({ rank: 3 });

    // Retired bots leave the board and stop counting.
    await botsRepo.retire(bots[6]!.bot.id);
    expect(await ratingsRepo.rankOf(guild.id, 'rps', b3)).toMatchObject({ rank: 5, total: 6 });
    expect(await ratingsRepo.rankOf(guild.id, 'rps', bots[6]!.bot.id)).toBeNull();
    expect(
      await ratingsRepo.rankOf(guild.id, 'rps', bots[6]!.bot.id, { includeRetired: true }),
    ).toMatchObject({
      rank: 1,
    });
    expect((await ratingsRepo.leaderboard(guild.id, 'rps', { limit: 1 })).rows[0]?.botName).toBe('b2');
    expect(await ratingsRepo.getOrInit(guild.id, 'rps', bots[0]!.bot.id)).toMatchObject({ mu: 13, sigma: 1 });
  });
}
