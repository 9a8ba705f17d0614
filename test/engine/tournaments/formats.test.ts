import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { matches, ratingHistory } from '../../../src/db/schema.js';
import { FORMAT_NAMES, type FormatName } from '../../../src/engine/formats/index.js';
import { createTournamentService, MemoryAnnouncer } from '../../../src/engine/tournaments/index.js';
import { useTestDatabase } from '../../support/database.js';
import { useSandbox } from '../../support/sandbox.js';
import { engineDeps, guildWithBots } from '../../support/tournaments.js';

// Each format end to end over the runner: real PostgreSQL, real sandbox, real bots, the
// in-memory announcer. (Which pairings each format makes is unit tested in test/engine/formats.)
const { db } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
const announcer = new MemoryAnnouncer();
const service = createTournamentService({ deps, announcer, concurrency: 2, progressIntervalMs: 0 });
afterAll(() => service.stop());

const FIVE = [
  'rock.component',
  'cycle.component',
  'beatlast.component',
  'frequency.command',
  'random.command',
];

describe.each(FORMAT_NAMES)('%s, five bots', (format: FormatName) => {
  it('plays every pairing once, rates every match, stores the standings and announces it all', async () => {
    const { guild, bots } = await guildWithBots(deps, FIVE);
    const started = await service.startNow({
      guildId: guild.id,
      channelId: 'channel-1',
      format,
      rounds: 100,
      startedBy: 'admin',
    });
    if (!started.ok) throw new Error(started.error.message);
    const t = started.value;
    expect(t.entrants.map((e) => e.versionId).sort()).toEqual(bots.map((b) => b.version.id).sort());
    expect(await service.waitFor(t.id)).toBe('finished');

    const stored = await db.select().from(matches).where(eq(matches.tournamentId, t.id));
    expect(stored).toHaveLength(t.totalMatches);
    expect(new Set(stored.map((m) => m.pairingKey)).size).toBe(t.totalMatches);
    for (const m of stored) {
      expect(m.kind).toBe('tournament');
      expect(m.rounds).toBe(100);
      // Each seat played the version its bot entered with.
      const e0 = t.entrants.find((e) => e.botId === m.bot0Id)!;
      expect(m.bot0VersionId).toBe(e0.versionId);
    }
    const history = await db.select().from(ratingHistory).where(eq(ratingHistory.matchId, stored[0]!.id));
    expect(history).toHaveLength(2);

    const row = (await deps.repos.tournaments.get(t.id))!;
    expect(row).toMatchObject({ status: 'finished', leaseOwner: null });
    expect(row.standings).toHaveLength(5);
    expect(row.progressMessageId).toMatch(/^message-/);

    const mine = announcer.events.filter((e) => ('tournament' in e ? e.tournament.id === t.id : false));
    expect(mine[0]?.type).toBe('start');
    expect(mine.at(-1)?.type).toBe('results');
    const last = announcer
      .of('progress')
      .filter((e) => e.tournament.id === t.id)
      .at(-1)!;
    expect(last.progress).toMatchObject({ done: t.totalMatches, total: t.totalMatches });
    const results = announcer.of('results').find((e) => e.tournament.id === t.id)!.results;
    expect(results.standings.map((s) => s.entrant.botId).sort()).toEqual(bots.map((b) => b.bot.id).sort());
    expect(results.matchesPlayed).toBe(t.totalMatches);
    expect(results.standings.every((s) => s.ratingAfter !== null)).toBe(true);
    expect(results.leaderboard.total).toBe(5);
    expect(results.chart).toHaveLength(5);
  });
});
