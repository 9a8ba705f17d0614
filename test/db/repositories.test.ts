import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createBotsRepo } from '../../src/db/repos/bots.js';
import { createMatchesRepo } from '../../src/db/repos/matches.js';
import { createPlayersRepo } from '../../src/db/repos/players.js';
import { createRatingsRepo } from '../../src/db/repos/ratings.js';
import { bots, ratingHistory } from '../../src/db/schema.js';
import { useTestDatabase } from '../support/database.js';
import { fakeModule, META, recordWithOutcome, seedGuild, simpleRate, uid } from '../support/db-fixtures.js';
import { repositoryScenarios } from './repository-scenarios.js';

// The real server (or, without one and outside CI, PGlite with a loud warning).
const { db, driver } = await useTestDatabase();

describe(`repositories on ${driver}`, () => {
  repositoryScenarios(db);
});

// PGlite is one session, so these would pass there without proving anything.
describe.runIf(driver === 'postgres')('concurrency on the real server', () => {
  const botsRepo = createBotsRepo(db);

  it('bots.submit(): should make one bot and ten versions from ten parallel uploads of one name', async () => {
    const { guild, player } = await seedGuild(db, []);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        botsRepo.submit({
          guildId: guild.id,
          ownerId: player.id,
          name: i % 2 ? 'Racer' : 'racer',
          ...fakeModule(`race-${i}`),
          meta: META,
        }),
      ),
    );
    const botIds = new Set(results.map((r) => r.bot.id));
    expect(botIds.size).toBe(1);
    expect(results.filter((r) => r.botCreated)).toHaveLength(1);
    expect(results.every((r) => r.isNew)).toBe(true);
    const [botId] = [...botIds];
    const versions = await botsRepo.listVersions(botId!);
    expect(versions.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [bot] = await db.select().from(bots).where(eq(bots.guildId, guild.id));
    // The last upload to commit is current: the highest version number.
    expect(bot!.currentVersionId).toBe(versions[0]!.id);
  });

  it('bots.submit(): should store the same bytes once from ten parallel uploads', async () => {
    const { guild, player } = await seedGuild(db, []);
    const mod = fakeModule('same-bytes');
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        botsRepo.submit({ guildId: guild.id, ownerId: player.id, name: 'twin', ...mod, meta: META }),
      ),
    );
    expect(new Set(results.map((r) => r.version.id)).size).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(results.filter((r) => r.botCreated)).toHaveLength(1);
    expect(await botsRepo.listVersions(results[0]!.bot.id)).toHaveLength(1);
  });

  it('players.upsert(): should keep one player under ten parallel first sightings', async () => {
    const { guild } = await seedGuild(db, []);
    const userId = uid('user');
    const players = createPlayersRepo(db);
    const rows = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        players.upsert({ guildId: guild.id, userId, displayName: `n${i}` }),
      ),
    );
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
  });

  it('matches.recordMatch(): should lose no rating update across ten parallel matches of one bot', async () => {
    const { guild, bots: seeded } = await seedGuild(db, ['hub', 'o1', 'o2', 'o3']);
    const [hub, ...others] = seeded;
    const matchesRepo = createMatchesRepo(db);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const other = others[i % others.length]!;
        return matchesRepo.recordMatch({
          guildId: guild.id,
          kind: 'challenge',
          record: recordWithOutcome(
            [
              { name: 'hub', sha256: hub!.sha256 },
              { name: 'other', sha256: other.sha256 },
            ],
            { winner: 0, reason: 'points', score: 25 },
          ),
          seats: [
            { botId: hub!.bot.id, versionId: hub!.version.id },
            { botId: other.bot.id, versionId: other.version.id },
          ],
          rate: simpleRate,
        });
      }),
    );
    const rating = await createRatingsRepo(db).get(hub!.bot.id, 'rps');
    // Every win moved mu by exactly 1: a lost update would leave it short.
    expect(rating).toMatchObject({ played: 10, wins: 10, mu: 35 });
    const history = await db.select().from(ratingHistory).where(eq(ratingHistory.botId, hub!.bot.id));
    expect(history.map((h) => h.muBefore).sort((x, y) => x - y)).toEqual([
      25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
    ]);
  });
});
