// The engine under crafted input from members and managers, with the real sandbox, real bots
// (the hostile corpus's too) and a real database: unstorable text, a store that refuses a match,
// bots retired mid-tournament, limits above the operator's, quotas, the standard length, and
// the rated-pair cap against concurrent challenges.
import { and, eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { bots as botsTable, guilds, matches, players, ratingHistory } from '../../src/db/schema.js';
import { matchName } from '../../src/engine/bot-lookup.js';
import type { EngineDeps } from '../../src/engine/deps.js';
import { createEngine } from '../../src/engine/index.js';
import { compactMatchLogs } from '../../src/engine/log-compaction.js';
import { executeMatchJobs } from '../../src/engine/match-jobs.js';
import { ownerLabel, playerTag } from '../../src/engine/player-tag.js';
import { storeMatchResilient } from '../../src/engine/store-match.js';
import { bestRated, MAX_ENTRANTS } from '../../src/engine/tournaments/create.js';
import { createTournamentService, MemoryAnnouncer } from '../../src/engine/tournaments/index.js';
import { makeRules } from '../../src/games/rps.js';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { useTestDatabase } from '../support/database.js';
import { uid } from '../support/db-fixtures.js';
import { botBytes, hostileBytes, useSandbox, wasmSource } from '../support/sandbox.js';
import { engineDeps, guildWithBots, memoryLogger } from '../support/tournaments.js';

const { db, driver } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox, { defaultRounds: 300 });
const engine = createEngine(deps);

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
function service(d = deps) {
  const announcer = new MemoryAnnouncer();
  const s = createTournamentService({ deps: d, announcer, concurrency: 2, progressIntervalMs: 0 });
  stops.push(() => s.stop());
  return { service: s, announcer };
}

const person = (name: string) => ({ userId: uid(name), displayName: name });

async function upload(
  guild: { id: string; name: string },
  who: { userId: string; displayName: string },
  name: string,
  bytes: Uint8Array,
) {
  const done = await engine.submit({ guild, player: who, name, bytes });
  if (!done.ok) throw new Error(`${name}: ${done.error.message}`);
  return done.value;
}

describe('bot-written text that PostgreSQL refuses', () => {
  it('a tournament with a NUL-writing bot and a bot whose fault names a NUL function finishes, every match stored', async () => {
    const guild = { id: uid('guild'), name: 'NUL' };
    const nul = await upload(guild, person('nul'), 'nul', hostileBytes('stderr-nul.command.wasm'));
    const trap = await upload(guild, person('trap'), 'trap', hostileBytes('trap-nul-name.command.wasm'));
    await upload(guild, person('rock'), 'rock', botBytes('rock.component'));
    const { service: s } = service();
    const started = await s.startNow({ guildId: guild.id, channelId: null, startedBy: 'x', rounds: 300 });
    if (!started.ok) throw new Error(started.error.message);
    expect(await s.waitFor(started.value.id)).toBe('finished');
    const stored = await db.select().from(matches).where(eq(matches.tournamentId, started.value.id));
    expect(stored).toHaveLength(3);
    const nulMatches = stored.filter((m) => m.bot0Id === nul.bot.id || m.bot1Id === nul.bot.id);
    const nulStderr = nulMatches.map((m) => (m.bot0Id === nul.bot.id ? m.stderr0 : m.stderr1));
    for (const text of nulStderr) expect(text).toContain('\uFFFD```\n**pwned** @everyone');
    const trapFault = stored.flatMap((m) => m.faults).find((f) => f.kind === 'trap');
    expect(trapFault).toMatchObject({ round: 100 });
    expect(trapFault!.message).toContain('evil\uFFFDname```@everyone');
    expect(stored.some((m) => m.bot0Id === trap.bot.id || m.bot1Id === trap.bot.id)).toBe(true);
  });

  it('a challenge with it is stored, and its replay compares equal', async () => {
    const guild = { id: uid('guild'), name: 'NUL challenge' };
    const [eve, bob] = [person('eve'), person('bob')];
    await upload(guild, eve, 'nul', hostileBytes('stderr-nul.command.wasm'));
    await upload(guild, bob, 'rock', botBytes('rock.component'));
    const played = await engine.challenge({ guild, challenger: eve, opponent: bob });
    if (!played.ok) throw new Error(played.error.message);
    expect(played.value.ratingChanges).not.toBeNull();
    const replay = await engine.replay({ matchId: played.value.match.id });
    expect(replay.ok && replay.value.differences).toEqual([]);
  });
});

describe('a match the database will not store', () => {
  it("is stored without the bots' text when that is what it refuses", async () => {
    const logger = memoryLogger();
    const calls: string[][] = [];
    const stored = await storeMatchResilient(
      { stderr: ['bad', 'bad'], faults: [{ seat: 0, round: 1, kind: 'trap', message: 'bad' }] } as never,
      async (record) => {
        calls.push([...record.stderr, ...record.faults.map((f) => f.message)]);
        if (record.stderr[0] === 'bad') throw new Error('refused');
        return 'ok';
      },
      logger,
      {},
    );
    expect(stored).toEqual({ ok: true, value: 'ok', stripped: true });
    expect(calls).toEqual([
      ['bad', 'bad', 'bad'],
      ['', '', '(the message could not be stored)'],
    ]);
    expect(logger.lines.map((l) => l.message)).toContain(
      "storing a match failed; retrying without the bots' text",
    );
  });

  it('never stalls a tournament: the pairing is settled as an unplayed draw and the rest is played', async () => {
    const { guild } = await guildWithBots(deps, ['rock.component', 'cycle.component', 'beatlast.component']);
    // The store refuses every match of one pairing, as PostgreSQL refused the NUL bot's: alone,
    // or in a group commit with others (the whole statement is refused then).
    let refused: string | null = null;
    const tournaments = deps.repos.tournaments;
    const failing = {
      ...deps,
      repos: {
        ...deps.repos,
        tournaments: {
          ...tournaments,
          commitMatches: async (...args: Parameters<typeof tournaments.commitMatches>) => {
            refused ??= args[2][0]!.tournament.key;
            if (args[2].some((i) => i.tournament.key === refused))
              throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
            return tournaments.commitMatches(...args);
          },
          commitMatch: async (...args: Parameters<typeof tournaments.commitMatch>) => {
            refused ??= args[1].tournament.key;
            if (args[1].tournament.key === refused)
              throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
            return tournaments.commitMatch(...args);
          },
        },
      },
    };
    const { service: s, announcer } = service(failing);
    const started = await s.startNow({ guildId: guild.id, channelId: null, startedBy: 'x', rounds: 200 });
    if (!started.ok) throw new Error(started.error.message);
    expect(await s.waitFor(started.value.id)).toBe('finished');
    const results = await deps.repos.tournaments.results(started.value.id);
    expect(results).toHaveLength(3);
    const unplayed = results.filter((r) => r.matchId === null);
    expect(unplayed).toEqual([
      expect.objectContaining({
        key: refused,
        winnerSeat: null,
        unplayedReason: 'The match was played but could not be saved; counted as a draw, not rated.',
      }),
    ]);
    expect(announcer.of('results')).toHaveLength(1);
  });
});

// Both paths: the runner playing in its own sandbox, and its pairings as jobs that the queue
// worker's code plays and commits (src/engine/match-jobs.ts, here without pg-boss between them:
// the worker checks retirement in its commit, the runner settles what it reports as a forfeit).
const paths = [
  { path: 'in-process', queued: false },
  { path: 'through the match queue', queued: true },
] as const;

describe.each(paths)('retiring a bot during a tournament ($path)', ({ queued }) => {
  it('its pairings not yet played are forfeits, and no match of it starts after the retirement', async () => {
    const { guild, bots } = await guildWithBots(deps, [
      'rock.component',
      'cycle.component',
      'beatlast.component',
      'frequency.component',
    ]);
    const victim = bots[0]!.bot;
    // Matches take at least 150 ms and one runs at a time, so the retirement lands mid-way.
    const slowSandbox: Sandbox = {
      ...sandbox,
      play: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return sandbox.play(request);
      },
    };
    const slowDeps: EngineDeps = { ...deps, sandbox: slowSandbox };
    if (queued) {
      const worker = slowDeps;
      slowDeps.matchQueue = {
        run: async (job) => {
          const [result] = await executeMatchJobs(worker, [job], { retry: false });
          return result!.kind === 'retry' ? { kind: 'failed', reason: result!.reason } : result!;
        },
      };
    }
    const announcer = new MemoryAnnouncer();
    const s = createTournamentService({ deps: slowDeps, announcer, concurrency: 1, progressIntervalMs: 0 });
    stops.push(() => s.stop());
    const started = await s.startNow({ guildId: guild.id, channelId: null, startedBy: 'x', rounds: 100 });
    if (!started.ok) throw new Error(started.error.message);
    const t = started.value;
    while ((await deps.repos.tournaments.resultCount(t.id)) < 1) await new Promise((r) => setTimeout(r, 20));
    const owner = (await deps.repos.players.getById(victim.ownerId))!;
    const retired = await engine.retireAnyBot({ guild, ownerUserId: owner.userId, name: victim.name });
    expect(retired.ok).toBe(true);
    const retiredAt = (await deps.repos.bots.get(victim.id))!.retiredAt!;
    expect(await s.waitFor(t.id)).toBe('finished');

    const results = await deps.repos.tournaments.results(t.id);
    expect(results).toHaveLength(6);
    const stored = await db.select().from(matches).where(eq(matches.tournamentId, t.id));
    const victims = stored.filter((m) => m.bot0Id === victim.id || m.bot1Id === victim.id);
    // Matches of the retired bot: only ones that started before it was retired.
    for (const m of victims) expect(m.createdAt.getTime()).toBeLessThanOrEqual(retiredAt.getTime());
    const forfeits = results.filter((r) => r.matchId === null);
    expect(forfeits.length).toBeGreaterThan(0);
    for (const f of forfeits) {
      const seat = f.bot0Id === victim.id ? 0 : 1;
      expect(f.winnerSeat).toBe(seat === 0 ? 1 : 0);
      expect(f.unplayedReason).toMatch(/was retired during the tournament, so it forfeits; not rated\./);
    }
    expect(victims.length + forfeits.length).toBe(3);
    // Forfeits are not rated.
    const history = await db.select().from(ratingHistory).where(eq(ratingHistory.botId, victim.id));
    expect(history).toHaveLength(victims.length);
  });
});

describe("limits never above the operator's", () => {
  it('a stored override above a lowered .env is held to the .env, in what /help shows and what matches run under', async () => {
    const guild = { id: uid('guild'), name: 'Old override' };
    const [ann, ben] = [person('ann'), person('ben')];
    await upload(guild, ann, 'rock', botBytes('rock.component'));
    await upload(guild, ben, 'cycle', botBytes('cycle.component'));
    // Stored while the operator allowed 50M per move; the operator has since lowered it to 5M.
    await deps.repos.guilds.setLimits(guild.id, { fuelPerMove: 50_000_000, stackBytes: 1 });
    const operator = { ...DEFAULT_LIMITS, fuelPerMove: 5_000_000 };
    const lowered = createEngine({ ...deps, limits: operator });
    const limits = await lowered.effectiveLimits(guild.id);
    expect(limits.fuelPerMove).toBe(5_000_000);
    // An override below the operator's still binds (here, an absurd 1-byte stack).
    expect(limits.stackBytes).toBe(1);
    await deps.repos.guilds.setLimits(guild.id, { fuelPerMove: 50_000_000 });
    const played = await lowered.challenge({ guild, challenger: ann, opponent: ben, rounds: 20 });
    if (!played.ok) throw new Error(played.error.message);
    expect(played.value.record.limits.fuelPerMove).toBe(5_000_000);
  });

  it('one /admin option sets stdout and stderr, each held to its own ceiling', async () => {
    const guild = { id: uid('guild'), name: 'Output' };
    const operator = { ...DEFAULT_LIMITS, stdoutBytes: 100 * 1024, stderrBytes: 10 * 1024 };
    const admin = createEngine({ ...deps, limits: operator });
    const set = await admin.setGuildLimit({ guild, name: 'output_kib', value: 50 });
    expect(set.ok && { out: set.value.stdoutBytes, err: set.value.stderrBytes }).toEqual({
      out: 50 * 1024,
      err: 10 * 1024,
    });
    const raised = await admin.setGuildLimit({ guild, name: 'output_kib', value: 101 });
    expect(raised).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/at most 100 .*may only lower/) },
    });
    const huge = await admin.setGuildLimit({
      guild,
      name: 'fuel_per_move',
      value: Number.MAX_SAFE_INTEGER * 2,
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('uploads: quotas, and nothing left behind', () => {
  it('a refused upload stores nothing at all, not even the player', async () => {
    const guild = { id: uid('guild'), name: 'Rejected' };
    const eve = person('eve');
    const refused = await engine.submit({
      guild,
      player: eve,
      name: 'junk',
      bytes: hostileBytes('malformed.command.wasm'),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rejected' } });
    const badName = await engine.submit({
      guild,
      player: eve,
      name: 'bad name',
      bytes: botBytes('rock.component'),
    });
    expect(badName).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await db.select().from(guilds).where(eq(guilds.id, guild.id))).toEqual([]);
    expect(await db.select().from(players).where(eq(players.userId, eve.userId))).toEqual([]);
  });

  it('checkUpload refuses the name, the size and the quota before any bytes exist', async () => {
    const quotaDeps = { ...deps, quota: { botsPerUser: 1, versionsPerBot: 2, bytesPerUser: 1024 * 1024 } };
    const q = createEngine(quotaDeps);
    const guild = { id: uid('guild'), name: 'Quota' };
    const other = { id: uid('guild'), name: 'Quota 2' };
    const eve = person('eve');
    const check = (g: typeof guild, name: string, size = 1000) =>
      q.checkUpload({ guild: g, player: eve, name, size });
    expect(await check(guild, 'ok')).toEqual({ ok: true, value: { name: 'ok' } });
    expect(await check(guild, 'not ok!')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await check(guild, 'big', 11 * 1024 * 1024)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/at most 10\.0 MiB/) },
    });
    const first = await q.submit({ guild, player: eve, name: 'first', bytes: botBytes('rock.component') });
    expect(first.ok).toBe(true);
    // The quota counts across guilds: a second bot in another guild is refused too.
    const refused = await check(other, 'second');
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'quota', message: expect.stringMatching(/already have 1 bots/) },
    });
    // ...even when the transport skips the check: submit refuses it in its transaction.
    const anyway = await q.submit({
      guild: other,
      player: eve,
      name: 'second',
      bytes: botBytes('cycle.component'),
    });
    expect(anyway).toMatchObject({ ok: false, error: { code: 'quota' } });
    expect(await db.select().from(botsTable).where(eq(botsTable.name, 'second'))).toEqual([]);
    // Versions of the one bot: two fit, a third does not.
    expect(
      (await q.submit({ guild, player: eve, name: 'first', bytes: botBytes('cycle.component') })).ok,
    ).toBe(true);
    expect(await check(guild, 'first')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/already has 2 versions/) },
    });
  });
});

describe('the smoke match', () => {
  it('cannot be told from a real match: a bot that plays only in what the smoke match used to look like fails it as it fails a real match', async () => {
    const guild = { id: uid('guild'), name: 'Smoke' };
    const [ann, ben] = [person('ann'), person('ben')];
    await upload(guild, ann, 'rock', botBytes('rock.component'));
    const detector = hostileBytes('smoke-detect.command.wasm');
    // It does recognise the old giveaways (20 rounds, "your-bot", "reference/..."): shown them,
    // it passes. So its failing below is the disguise working, not the bot being broken.
    const shownOld = await sandbox.check(detector, {
      smoke: { name: 'your-bot', opponentName: 'reference/cycle', rounds: 20 },
    });
    expect(shownOld.ok).toBe(true);
    // A real match, named and sized as a challenge in this guild would be.
    const real = await sandbox.play({
      seed: 'real',
      rules: makeRules({ rounds: deps.defaultRounds }),
      bots: [
        wasmSource(matchName(ownerLabel(ben.displayName, ben.userId), 'detector'), detector),
        wasmSource(matchName(ownerLabel(ann.displayName, ann.userId), 'rock'), botBytes('rock.component')),
      ],
    });
    if (!real.ok) throw new Error(real.error.code);
    expect(real.value.faults).toEqual([expect.objectContaining({ seat: 0, round: 1, kind: 'invalid-move' })]);
    // The upload's smoke match judges it the same: the same fault, in the same round.
    const submitted = await engine.submit({ guild, player: ben, name: 'detector', bytes: detector });
    expect(submitted).toMatchObject({
      ok: false,
      error: {
        code: 'rejected',
        message: expect.stringContaining(`failed in round 1: ${real.value.faults[0]!.message}`),
      },
    });
  });
});

describe('ratings', () => {
  it('only the standard length is rated: another length is practice, said so', async () => {
    const guild = { id: uid('guild'), name: 'Lengths' };
    const [ann, ben] = [person('ann'), person('ben')];
    await upload(guild, ann, 'rock', botBytes('rock.component'));
    await upload(guild, ben, 'beater', botBytes('beatlast.component'));
    const practice = await engine.challenge({ guild, challenger: ann, opponent: ben, rounds: 120 });
    expect(practice.ok && practice.value.ratingChanges).toBeNull();
    expect(practice.ok && practice.value.unratedReason).toBe(
      "Practice: only matches of this server's standard length (300 rounds) are rated, so this 120-round match is not.",
    );
    const standard = await engine.challenge({ guild, challenger: ann, opponent: ben });
    expect(standard.ok && standard.value.ratingChanges).not.toBeNull();
    expect(standard.ok && standard.value.record.rules.rounds).toBe(300);
    const tooLong = await engine.challenge({ guild, challenger: ann, opponent: ben, rounds: 10_001 });
    expect(tooLong).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/from 1 to 10,000/) },
    });
  });

  it.runIf(driver === 'postgres')(
    'of 8 concurrent challenges between two bots, exactly 3 are rated',
    async () => {
      const guild = { id: uid('guild'), name: 'Farm' };
      const [ann, ben] = [person('ann'), person('ben')];
      const a = await upload(guild, ann, 'rock', botBytes('rock.component'));
      await upload(guild, ben, 'cycle', botBytes('cycle.component'));
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i % 2
            ? engine.challenge({ guild, challenger: ann, opponent: ben })
            : engine.challenge({ guild, challenger: ben, opponent: ann }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const rated = results.filter((r) => r.ok && r.value.ratingChanges !== null);
      expect(rated).toHaveLength(3);
      const capped = results.filter((r) => r.ok && r.value.unratedReason !== null);
      for (const r of capped)
        expect(r.ok && r.value.unratedReason).toMatch(/already played 3 rated challenges/);
      const history = await db.select().from(ratingHistory).where(eq(ratingHistory.botId, a.bot.id));
      expect(history).toHaveLength(3);
    },
  );
});

describe('the size of a tournament', () => {
  it('is at most 64 bots: the best-rated play, unrated ones last, in the order they came', () => {
    expect(MAX_ENTRANTS).toBe(64);
    const entrant = (botId: number, mu: number | null) => ({
      id: String(botId),
      botId,
      versionId: botId,
      version: 1,
      sha256: 'x',
      botName: `b${botId}`,
      ownerUserId: 'u',
      ownerName: 'o',
      rating: mu === null ? null : { mu, sigma: 1 },
    });
    const field = Array.from({ length: 100 }, (_, i) => entrant(i + 1, i % 3 === 0 ? null : i));
    const chosen = bestRated(field, MAX_ENTRANTS);
    expect(chosen).toHaveLength(64);
    expect(chosen.map((e) => e.botId)).toEqual([...chosen.map((e) => e.botId)].sort((a, b) => a - b));
    // All 66 rated bots but the two lowest, no unrated one.
    expect(chosen.every((e) => e.rating !== null)).toBe(true);
    expect(chosen.map((e) => e.rating!.mu)).not.toContain(1);
    expect(bestRated(field.slice(0, 5), MAX_ENTRANTS)).toEqual(field.slice(0, 5));
  });
});

describe('telling owners apart', () => {
  it('two members with one nickname get different, stable tags', () => {
    expect(playerTag('200000000000000001')).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(playerTag('200000000000000001')).toBe(playerTag('200000000000000001'));
    expect(ownerLabel('alice', '200000000000000001')).not.toBe(ownerLabel('alice', '200000000000000002'));
    // A long name is cut so the tag always shows.
    expect(ownerLabel('x'.repeat(40), '1')).toMatch(/^x{19}…#[0-9A-Z]{4}$/);
  });
});

describe('match log compaction', () => {
  it('drops stderr and times of matches older than the kept days; the result and log stay', async () => {
    const guild = { id: uid('guild'), name: 'Old logs' };
    const [ann, ben] = [person('ann'), person('ben')];
    await upload(guild, ann, 'nul', hostileBytes('stderr-nul.command.wasm'));
    await upload(guild, ben, 'rock', botBytes('rock.component'));
    const played = await engine.challenge({ guild, challenger: ann, opponent: ben, rounds: 50 });
    if (!played.ok) throw new Error(played.error.message);
    // Thirty days later, keeping 7 days.
    const later = { ...deps, now: () => new Date(Date.now() + 30 * 86_400_000) };
    const done = await compactMatchLogs(later, 7);
    expect(done.matches).toBeGreaterThanOrEqual(1);
    const after = (await deps.repos.matches.get(played.value.match.id))!;
    expect(after).toMatchObject({
      stderr0: '',
      moveMicros: null,
      winnerSeat: played.value.record.outcome.winner,
    });
    expect(after.log.moves).toEqual(played.value.record.log.moves);
    const log = await engine.matchLog({ guild, owner: ann, name: 'nul', matchId: after.id });
    expect(log.ok && log.value.match.logsCompactedAt).toBeInstanceOf(Date);
    expect(
      await db
        .select()
        .from(matches)
        .where(and(inArray(matches.id, [after.id]), eq(matches.stderr0, ''))),
    ).toHaveLength(1);
  });
});
