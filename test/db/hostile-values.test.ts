// Values PostgreSQL refuses (NUL in text and jsonb, lone surrogates in jsonb, integers beyond
// int4) reach the repositories from bots (stderr, fault messages naming their functions) and from
// users (names, typed ids). Each must be stored or answered, never turn into a query error; and
// the rated-pair cap must hold against concurrent challenges.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createBotsRepo } from '../../src/db/repos/bots.js';
import { createGuildsRepo } from '../../src/db/repos/guilds.js';
import { createMatchesRepo } from '../../src/db/repos/matches.js';
import { createPlayersRepo } from '../../src/db/repos/players.js';
import { createTournamentsRepo } from '../../src/db/repos/tournaments.js';
import { botVersions, matches, ratingHistory } from '../../src/db/schema.js';
import { storableJson, storableText } from '../../src/db/text.js';
import { useTestDatabase } from '../support/database.js';
import { fakeModule, META, makeRecord, seedGuild, simpleRate, uid } from '../support/db-fixtures.js';

const { db, driver } = await useTestDatabase();
const matchesRepo = createMatchesRepo(db);
const botsRepo = createBotsRepo(db);
const playersRepo = createPlayersRepo(db);

const NUL = '\u0000';
const LONE_HIGH = '\uD800';
const LONE_LOW = '\uDC00';

describe('storableText()', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps everything else', () => {
    expect(storableText(`a${NUL}b`)).toBe('a\uFFFDb');
    expect(storableText(`x${LONE_HIGH}y${LONE_LOW}z`)).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('pair 😀 ```@everyone')).toBe('pair 😀 ```@everyone');
  });

  it('cuts to a length without leaving half a surrogate pair', () => {
    expect(storableText('ab😀', 3)).toBe('ab');
    expect(storableText('abc', 2)).toBe('ab');
  });

  it('storableJson() reaches every string of a value, keys included', () => {
    expect(storableJson({ [`k${NUL}`]: [`v${NUL}`, 1, null, { deep: LONE_LOW }] })).toEqual({
      'k\uFFFD': ['v\uFFFD', 1, null, { deep: '\uFFFD' }],
    });
  });
});

describe(`hostile values on ${driver}`, () => {
  it('stores a match whose stderr, fault message and names hold NUL and lone surrogates', async () => {
    const { guild, bots } = await seedGuild(db, ['nul-a', 'nul-b']);
    const record = makeRecord([
      { name: `al${NUL}ice/nul-a`, sha256: bots[0]!.sha256 },
      { name: `bob${LONE_HIGH}/nul-b`, sha256: bots[1]!.sha256 },
    ]);
    record.stderr = [`[round 1] ${NUL}\`\`\`\n@everyone`, `tail ${LONE_LOW}`];
    record.faults = [
      { seat: 1, round: 3, kind: 'trap', message: `trapped: unreachable (in evil${NUL}name)` },
    ];
    const { match } = await matchesRepo.recordMatch({
      guildId: guild.id,
      kind: 'challenge',
      record,
      seats: [
        { botId: bots[0]!.bot.id, versionId: bots[0]!.version.id },
        { botId: bots[1]!.bot.id, versionId: bots[1]!.version.id },
      ],
    });
    const stored = (await matchesRepo.get(match.id))!;
    expect(stored.stderr0).toBe('[round 1] \uFFFD```\n@everyone');
    expect(stored.stderr1).toBe('tail \uFFFD');
    expect(stored.faults[0]!.message).toBe('trapped: unreachable (in evil\uFFFDname)');
    expect([stored.bot0Name, stored.bot1Name]).toEqual(['al\uFFFDice/nul-a', 'bob\uFFFD/nul-b']);
  });

  it('stores names with NUL (players, guilds, tournament entrants, reasons) and finds nothing by a NUL name', async () => {
    const guild = await createGuildsRepo(db).upsert({ id: uid('guild'), name: `G${NUL}uild` });
    expect(guild.name).toBe('G\uFFFDuild');
    const player = await playersRepo.upsert({
      guildId: guild.id,
      userId: uid('u'),
      displayName: `Eve${NUL}`,
    });
    expect(player.displayName).toBe('Eve\uFFFD');
    expect(await playersRepo.get(guild.id, `x${NUL}`)).toBeNull();
    expect(await botsRepo.findByName(guild.id, player.id, `b${NUL}ot`)).toBeNull();
    expect(await botsRepo.autocomplete(guild.id, `b${NUL}`)).toEqual([]);

    const tournaments = createTournamentsRepo(db);
    const t = (await tournaments.create({
      guildId: guild.id,
      format: 'round-robin',
      options: {},
      rounds: 10,
      seed: 's',
      totalMatches: 1,
      entrants: [
        {
          id: '1',
          botId: 1,
          versionId: 1,
          version: 1,
          sha256: 'x',
          botName: 'b',
          ownerUserId: player.userId,
          ownerName: `Eve${NUL}${LONE_HIGH}`,
          rating: null,
        },
      ],
      limits: {},
      channelId: `c${NUL}`,
      startedBy: 'admin',
    }))!;
    expect(t.entrants[0]!.ownerName).toBe('Eve\uFFFD\uFFFD');
    const cancelled = await tournaments.cancel(guild.id, `by ${NUL}`);
    expect(cancelled?.cancelReason).toBe('by \uFFFD');
  });

  it('answers "not found" for ids beyond int4 instead of failing the query', async () => {
    const { bots } = await seedGuild(db, ['int4']);
    expect(await matchesRepo.get(2 ** 31)).toBeNull();
    expect(await matchesRepo.get(Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(await botsRepo.setCurrentVersion(bots[0]!.bot.id, 2 ** 31)).toMatchObject({
      ok: false,
      error: { kind: 'no-such-version' },
    });
  });
});

describe(`storage quotas on ${driver}`, () => {
  const quota = { botsPerUser: 2, versionsPerBot: 2, bytesPerUser: 10_000 };

  async function owner() {
    const userId = uid('quota-user');
    const guilds = await Promise.all(
      ['a', 'b'].map((g) => createGuildsRepo(db).upsert({ id: uid(`guild-${g}`), name: g })),
    );
    const players = await Promise.all(
      guilds.map((g) => playersRepo.upsert({ guildId: g.id, userId, displayName: 'q' })),
    );
    return { userId, guilds, players };
  }

  const upload = (
    p: { guildId: string; id: number; userId: string },
    name: string,
    label: string,
    q = quota,
  ) =>
    botsRepo.submitWithinQuota(
      { guildId: p.guildId, ownerId: p.id, ownerUserId: p.userId, name, ...fakeModule(label), meta: META },
      q,
    );

  it("counts one user's bots across guilds, versions per bot, and bytes; the same bytes again are free", async () => {
    const { players } = await owner();
    const [a, b] = players as [(typeof players)[0], (typeof players)[0]];
    expect((await upload(a, 'one', 'q1')).ok).toBe(true);
    expect((await upload(b, 'two', 'q2')).ok).toBe(true);
    // A third bot, in either guild, is over the per-user count.
    expect(await upload(a, 'three', 'q3')).toMatchObject({ ok: false, error: { kind: 'bots', limit: 2 } });
    // Versions: a second is fine, a third is not; the same bytes again store nothing new.
    expect((await upload(a, 'one', 'q1-v2')).ok).toBe(true);
    expect(await upload(a, 'one', 'q1-v3')).toMatchObject({ ok: false, error: { kind: 'versions' } });
    expect((await upload(a, 'one', 'q1')).ok).toBe(true);
    // Bytes: a roomy count but a tiny byte budget.
    const tight = { botsPerUser: 10, versionsPerBot: 10, bytesPerUser: 100 };
    expect(await upload(b, 'two', 'q2-v2-much-longer-label-to-pass-the-budget', tight)).toMatchObject({
      ok: false,
      error: { kind: 'bytes', limit: 100 },
    });
    expect(await botsRepo.usage(a.userId)).toMatchObject({ bots: 2 });
  });

  it.runIf(driver === 'postgres')(
    'holds under parallel uploads of one user: never more bots than the quota',
    async () => {
      const { players } = await owner();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => upload(players[i % 2]!, `par${i}`, `par-${i}`)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      expect((await botsRepo.usage(players[0]!.userId)).bots).toBe(2);
    },
  );
});

describe.runIf(driver === 'postgres')('the rated-pair cap in one transaction', () => {
  it('of 8 concurrent challenges between the same two bots, exactly 3 are rated', async () => {
    const { guild, bots } = await seedGuild(db, ['cap-a', 'cap-b']);
    const seats = [
      { botId: bots[0]!.bot.id, versionId: bots[0]!.version.id },
      { botId: bots[1]!.bot.id, versionId: bots[1]!.version.id },
    ] as const;
    const names = [
      { name: 'a', sha256: bots[0]!.sha256 },
      { name: 'b', sha256: bots[1]!.sha256 },
    ] as const;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        matchesRepo.recordMatch({
          guildId: guild.id,
          kind: 'challenge',
          // Either bot may be the challenger: the pair is the same.
          record: makeRecord(i % 2 ? [names[1], names[0]] : names, { rounds: 10, seed: `cap-${i}` }),
          seats: i % 2 ? [seats[1], seats[0]] : seats,
          rate: simpleRate,
          ratedIf: { since: new Date(Date.now() - 86_400_000), decide: (earlier) => earlier.length < 3 },
        }),
      ),
    );
    expect(results.filter((r) => r.ratingChanges !== null)).toHaveLength(3);
    const ids = results.map((r) => r.match.id);
    const history = await db.select().from(ratingHistory);
    expect(history.filter((h) => ids.includes(h.matchId))).toHaveLength(6);
    expect(await db.select().from(matches).where(eq(matches.guildId, guild.id))).toHaveLength(8);
  });
});

describe('match log compaction', () => {
  it('drops stderr and timings of old matches, keeps the log, and counts what it freed', async () => {
    const { guild, bots } = await seedGuild(db, ['old-a', 'old-b']);
    const names = [
      { name: 'a', sha256: bots[0]!.sha256 },
      { name: 'b', sha256: bots[1]!.sha256 },
    ] as const;
    const seats = [
      { botId: bots[0]!.bot.id, versionId: bots[0]!.version.id },
      { botId: bots[1]!.bot.id, versionId: bots[1]!.version.id },
    ] as const;
    const { match } = await matchesRepo.recordMatch({
      guildId: guild.id,
      kind: 'challenge',
      record: makeRecord(names, { rounds: 50 }),
      seats,
    });
    const before = (await matchesRepo.get(match.id))!;
    expect(before.stderr0).not.toBe('');
    expect(before.moveMicros).not.toBeNull();
    // Not old enough yet: nothing happens.
    expect(await matchesRepo.compactLogs(new Date(Date.now() - 3_600_000))).toMatchObject({ matches: 0 });
    const done = await matchesRepo.compactLogs(new Date(Date.now() + 60_000));
    expect(done.matches).toBeGreaterThanOrEqual(1);
    expect(done.bytes).toBeGreaterThan(0);
    const after = (await matchesRepo.get(match.id))!;
    expect(after).toMatchObject({ stderr0: '', stderr1: '', moveMicros: null });
    expect(after.logsCompactedAt).toBeInstanceOf(Date);
    expect(after.log).toEqual(before.log);
    // A compacted match is not compacted again.
    await matchesRepo.compactLogs(new Date(Date.now() + 60_000));
    expect((await matchesRepo.get(match.id))!.logsCompactedAt).toEqual(after.logsCompactedAt);
    expect(await db.select().from(botVersions).where(eq(botVersions.botId, bots[0]!.bot.id))).toHaveLength(1);
  });
});
