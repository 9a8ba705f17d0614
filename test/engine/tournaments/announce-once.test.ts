// Tournament announcements with several service instances on one database (issue 15): the
// start, the results and a cancellation are posted once, by whichever instance gets there,
// even when the instance that announced loses the tournament to another before finishing it.
// Two tournament services with their own owners share the real PostgreSQL, as two processes do.
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { tournaments } from '../../../src/db/schema.js';
import {
  type AnnouncedTournament,
  createOnceAnnouncer,
  createTournamentService,
  MemoryAnnouncer,
  type TournamentAnnouncer,
  type TournamentService,
} from '../../../src/engine/tournaments/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { useTestDatabase } from '../../support/database.js';
import { useSandbox } from '../../support/sandbox.js';
import { engineDeps, FAST_BOTS, guildWithBots } from '../../support/tournaments.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const once = (announcer: TournamentAnnouncer, owner: string) =>
  createOnceAnnouncer({
    announcer,
    ledger: deps.repos.announcements,
    logger: silentLogger,
    owner,
    holdMs: 3_000,
  });

/** Records, then runs `after` (the moment between posting the results and marking the tournament finished). */
class ResultsHook extends MemoryAnnouncer {
  after: (() => Promise<void>) | null = null;
  override async results(...args: Parameters<MemoryAnnouncer['results']>): Promise<void> {
    await super.results(...args);
    await this.after?.();
  }
}

function instance(announcer: TournamentAnnouncer, owner: string): TournamentService {
  const s = createTournamentService({ deps, announcer, concurrency: 2, progressIntervalMs: 0, owner });
  stops.push(() => s.stop());
  return s;
}

/**
 * Instance A plays the whole tournament and posts the results; right then its lease lapses and
 * instance B takes the tournament over, finds every match stored and finishes it. Returns how
 * many times each instance posted the results.
 */
async function takeoverAfterResults(guarded: boolean, guildName: string) {
  const { guild } = await guildWithBots(deps, FAST_BOTS.slice(0, 3), guildName);
  const postedByA = new ResultsHook();
  const postedByB = new MemoryAnnouncer();
  const a = instance(guarded ? once(postedByA, 'instance-a') : postedByA, 'instance-a');
  const b = instance(guarded ? once(postedByB, 'instance-b') : postedByB, 'instance-b');
  let resumed: Promise<unknown> = Promise.resolve();
  postedByA.after = async () => {
    postedByA.after = null;
    // A stalls here long enough for its lease to lapse, and B picks the tournament up.
    await db
      .update(tournaments)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(tournaments.guildId, guild.id));
    await b.start();
    const [id] = b.running();
    resumed = id === undefined ? Promise.resolve(null) : b.waitFor(id);
  };
  const started = await a.startNow({ guildId: guild.id, channelId: 'c', startedBy: 'admin', rounds: 20 });
  if (!started.ok) throw new Error(started.error.message);
  const endA = await a.waitFor(started.value.id);
  const endB = await resumed;
  const [row] = await db.select().from(tournaments).where(eq(tournaments.id, started.value.id));
  return {
    endA,
    endB,
    status: row?.status,
    resultsA: postedByA.of('results').length,
    resultsB: postedByB.of('results').length,
    startsA: postedByA.of('start').length,
    startsB: postedByB.of('start').length,
  };
}

describe('announcements are posted once across instances', () => {
  it('unguarded, the instance that takes over posts the results a second time (the hazard)', async () => {
    const run = await takeoverAfterResults(false, 'Unguarded');
    expect(run).toMatchObject({ endA: 'lease-lost', endB: 'finished', status: 'finished' });
    expect(run.resultsA + run.resultsB).toBe(2);
  });

  it('guarded by the ledger, the results are posted once and the tournament still finishes', async () => {
    const run = await takeoverAfterResults(true, 'Guarded');
    expect(run).toMatchObject({ endA: 'lease-lost', endB: 'finished', status: 'finished' });
    expect({ a: run.resultsA, b: run.resultsB }).toEqual({ a: 1, b: 0 });
    expect(run.startsA + run.startsB).toBe(1);
  });

  it('two instances racing to post one cancellation: one message; the start is shared, not reposted', async () => {
    const { guild } = await guildWithBots(deps, FAST_BOTS.slice(0, 2), 'Race');
    const row = await deps.repos.tournaments.create({
      guildId: guild.id,
      format: 'round-robin',
      options: {},
      rounds: 10,
      seed: 'seed',
      totalMatches: 1,
      entrants: [],
      limits: {},
      channelId: 'c',
      startedBy: 'admin',
    });
    if (!row) throw new Error('no tournament');
    const t: AnnouncedTournament = {
      id: row.id,
      guildId: guild.id,
      format: 'round-robin',
      formatLabel: 'Round robin',
      rounds: 10,
      totalMatches: 1,
      entrants: [],
      channelId: 'c',
      messageId: null,
      threadId: null,
      startedBy: 'admin',
      startedAt: new Date(),
    };
    const [ma, mb] = [new MemoryAnnouncer(), new MemoryAnnouncer()];
    const [a, b] = [once(ma, 'instance-a'), once(mb, 'instance-b')];
    const info = {
      reason: 'cancelled by <@1>',
      progress: { done: 0, total: 1, elapsedMs: 0, resumed: false },
    };
    await Promise.all([a.cancelled(t, info), b.cancelled(t, info), a.cancelled(t, info)]);
    expect(ma.of('cancelled').length + mb.of('cancelled').length).toBe(1);

    const first = await a.start(t);
    const second = await b.start(t);
    expect(second).toEqual(first);
    expect(ma.of('start').length + mb.of('start').length).toBe(1);

    // A post that fails is not counted as sent: the next attempt (here, the other instance) posts.
    ma.failWith = new Error('Discord is down');
    await expect(a.results(t, {} as never)).rejects.toThrow('Discord is down');
    await b.results(t, {} as never);
    expect(mb.of('results')).toHaveLength(1);
  });
});
