import { createHash } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import { createBotsRepo, type VersionMeta } from '../../src/db/repos/bots.js';
import { createGuildsRepo } from '../../src/db/repos/guilds.js';
import type { RateMatch } from '../../src/db/repos/matches.js';
import { createPlayersRepo } from '../../src/db/repos/players.js';
import type { Outcome } from '../../src/games/game.js';
import type { MatchBot, MatchRecord } from '../../src/games/match-record.js';
import { nextInt, seedRng } from '../../src/games/rng.js';
import { HANDS, handCode, makeRules, play, outcome as rpsOutcome, start } from '../../src/games/rps.js';

/** Stand-in module bytes: the database never looks inside them. */
export function fakeModule(label: string): { wasm: Uint8Array<ArrayBuffer>; sha256: string } {
  const wasm = new Uint8Array(Buffer.from(`\0asm\x01\0\0\0 fake module ${label}`));
  return { wasm, sha256: createHash('sha256').update(wasm).digest('hex') };
}

export const META: VersionMeta = {
  interfaceKind: 'component',
  imports: ['throwdown:rps/host@0.1.0'],
  validation: { ok: true, exports: ['move'] },
  smokeMatch: { rounds: 100, faults: 0 },
};

let counter = 0;
/** A unique id, for guilds and users that must not collide within one test database. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** A guild, a player and `names.length` bots with one version each. */
export async function seedGuild(db: Db, names: readonly string[]) {
  const guild = await createGuildsRepo(db).upsert({ id: uid('guild'), name: 'Test guild' });
  const player = await createPlayersRepo(db).upsert({
    guildId: guild.id,
    userId: uid('user'),
    displayName: 'Alice',
  });
  const botsRepo = createBotsRepo(db);
  const seeded = [];
  for (const name of names) {
    const mod = fakeModule(`${guild.id}/${name}`);
    const submitted = await botsRepo.submit({
      guildId: guild.id,
      ownerId: player.id,
      name,
      ...mod,
      meta: META,
    });
    seeded.push({ bot: submitted.bot, version: submitted.version, sha256: mod.sha256 });
  }
  return { guild, player, bots: seeded };
}

/**
 * A plausible RPS record: seeded random moves played through the real rules, and per-round fuel
 * that drifts and jitters the way a history-scanning bot's does.
 */
export function makeRecord(
  bots: readonly [{ name: string; sha256: string }, { name: string; sha256: string }],
  options: { rounds?: number; seed?: string } = {},
): MatchRecord {
  const rules = makeRules({ rounds: options.rounds ?? 1000 });
  const seed = options.seed ?? 'test-seed';
  const rng = seedRng(seed);
  let state = start(rules);
  const moves: [string, string] = ['', ''];
  const fuel: [number[], number[]] = [[], []];
  const moveMicros: [number[], number[]] = [[], []];
  for (let round = 0; round < rules.rounds; round++) {
    const a = HANDS[nextInt(rng, 3)]!;
    const b = HANDS[nextInt(rng, 3)]!;
    state = play(state, [a, b]);
    moves[0] += handCode(a);
    moves[1] += handCode(b);
    fuel[0].push(12_000 + round * 40 + nextInt(rng, 300));
    fuel[1].push(8_000 + nextInt(rng, 50));
    moveMicros[0].push(30 + nextInt(rng, 20));
    moveMicros[1].push(25 + nextInt(rng, 20));
  }
  const matchBots = bots.map((b): MatchBot => ({ name: b.name, sha256: b.sha256, kind: 'component' }));
  return {
    game: 'rps',
    seed,
    rules,
    limits: { fuelPerMove: 20_000_000, memoryBytes: 64 * 1024 * 1024 },
    bots: [matchBots[0]!, matchBots[1]!],
    roundsPlayed: state.round,
    wins: [state.wins[0], state.wins[1]],
    ties: state.ties,
    outcome: rpsOutcome(state),
    faults: [],
    log: { moves, fuel },
    startFuel: [150_000, 0],
    stderr: ['seat 0 says hi\n', ''],
    timing: { moveMicros, startMicros: [900, 700], totalMillis: 120 },
  };
}

/** A record with a chosen outcome, for rating and leaderboard tests where the moves do not matter. */
export function recordWithOutcome(
  bots: readonly [{ name: string; sha256: string }, { name: string; sha256: string }],
  outcome: Outcome,
): MatchRecord {
  const record = makeRecord(bots, { rounds: 10 });
  return { ...record, outcome };
}

/** An Elo-like stand-in for the real rating system: the winner gains what the loser loses. */
export const simpleRate: RateMatch = (before, outcome) => {
  const shift = outcome.winner === null ? 0 : outcome.winner === 0 ? 1 : -1;
  const shrink = (s: number) => Math.max(s * 0.97, 1);
  return [
    { mu: before[0].mu + shift, sigma: shrink(before[0].sigma) },
    { mu: before[1].mu - shift, sigma: shrink(before[1].sigma) },
  ];
};
