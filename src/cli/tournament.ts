import type { Config } from '../config.js';
import {
  FORMAT_NAMES,
  type FormatName,
  isComplete,
  isFormatName,
  type MatchResult,
  nextPairings,
  type Pairing,
  record,
  type Standing,
  standings,
  startTournament,
} from '../engine/formats/index.js';
import { newSeed } from '../engine/seeds.js';
import { FORMAT_LABELS } from '../engine/tournaments/create.js';
import { pairingSeed } from '../engine/tournaments/play-pairing.js';
import type { Fault, MatchRecord } from '../games/match-record.js';
import { checkRules, makeRules, type RpsRules } from '../games/rps.js';
import { tableLines } from '../render/table.js';
import { MATCHES_IN_FLIGHT_PER_PROCESS, matchProcesses } from '../sandbox/in-flight.js';
import type { BotSource, Sandbox } from '../sandbox/types.js';
import { type LoadedBotArg, loadBotArg } from './bot-file.js';
import { CliError, usageError } from './errors.js';
import { localSandbox, type Output } from './local-commands.js';

/**
 * `throwdown tournament`: the server's tournament, on local files. The same pure format code
 * (src/engine/formats) pairs the bots, each pairing's seed is derived from the tournament seed
 * as the server derives it, and every match runs in the same sandbox under the same limits;
 * only ratings (for seeding) and the database are missing. Every bot is checked first, as
 * /submit would, so a bot the server would refuse is named before anything is played.
 */

export const TOURNAMENT_JSON_FORMAT = 'throwdown.tournament/1';

export interface TournamentOptions {
  format?: string;
  rounds?: number;
  seed?: string;
  json?: boolean;
}

interface Entrant {
  id: string;
  name: string;
  arg: LoadedBotArg;
}

/** Per-bot totals over the whole tournament. */
interface BotTotals {
  moves: number;
  fuel: number;
  startFuel: number;
  maxMoveFuel: number;
  moveMicros: number;
  faults: Array<Fault & { match: string; opponent: string }>;
}

interface PlayedMatch {
  pairing: Pairing;
  seed: string;
  /** The record, or null when the sandbox failed twice (counted as a draw, as the server does). */
  record: MatchRecord | null;
  note: string | null;
}

/** How often a match that failed for host reasons is tried in all (the server's ATTEMPTS). */
const ATTEMPTS = 2;

/** File names as bot names, made unique: "rock", "rock#2". */
function entrantsOf(args: LoadedBotArg[]): Entrant[] {
  const seen = new Map<string, number>();
  return args.map((arg, i) => {
    const base = arg.source.name;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { id: String(i), name: n === 1 ? base : `${base}#${n}`, arg };
  });
}

function withName(source: BotSource, name: string): BotSource {
  return { ...source, name };
}

async function playPairing(
  sandbox: Sandbox,
  rules: RpsRules,
  tournamentSeed: string,
  pairing: Pairing,
  byId: Map<string, Entrant>,
): Promise<PlayedMatch> {
  const seats = pairing.seats.map((id) => byId.get(id)!) as [Entrant, Entrant];
  const seed = pairingSeed(tournamentSeed, pairing.key);
  let last = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const result = await sandbox.play({
      seed,
      rules,
      bots: [withName(seats[0].arg.source, seats[0].name), withName(seats[1].arg.source, seats[1].name)],
    });
    if (result.ok) return { pairing, seed, record: result.value, note: null };
    const failure = result.error;
    // Every bot was checked before the first match, so a rejection here is the sandbox's fault.
    if (failure.code === 'rejected')
      throw new CliError(`${seats[failure.seat].name}: ${failure.rejection.message}`);
    last = failure.message;
  }
  return {
    pairing,
    seed,
    record: null,
    note: `the sandbox failed ${ATTEMPTS} times running this match (${last}); counted as a draw`,
  };
}

const resultOf = (played: PlayedMatch): MatchResult =>
  played.record
    ? { winner: played.record.outcome.winner, score: played.record.outcome.score }
    : { winner: null, score: 0 };

/** Runs the format to the end, at most `concurrency` matches at once, as the server's runner does. */
async function runFormat(
  format: FormatName,
  entrants: Entrant[],
  seed: string,
  concurrency: number,
  play: (pairing: Pairing) => Promise<PlayedMatch>,
): Promise<{ standings: Standing[]; matches: PlayedMatch[] }> {
  // Knockouts play for third place, as on the server.
  const options = format === 'single-elimination' ? { thirdPlace: true } : {};
  let state = startTournament(
    format,
    entrants.map((e) => e.id),
    options,
    seed,
  );
  const matches: PlayedMatch[] = [];
  const inFlight = new Map<string, Promise<void>>();
  while (!isComplete(state)) {
    for (const pairing of nextPairings(state)) {
      if (inFlight.size >= concurrency) break;
      if (inFlight.has(pairing.key)) continue;
      inFlight.set(
        pairing.key,
        play(pairing).then((played) => {
          matches.push(played);
          state = record(state, pairing.key, resultOf(played));
          inFlight.delete(pairing.key);
        }),
      );
    }
    if (inFlight.size === 0) throw new Error(`format ${format} has no pairing to play but is not complete`);
    await Promise.race(inFlight.values());
  }
  await Promise.all(inFlight.values());
  matches.sort((a, b) => a.pairing.round - b.pairing.round || keyOrder(a.pairing.key, b.pairing.key));
  return { standings: standings(state), matches };
}

const keyOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function totals(entrants: Entrant[], matches: PlayedMatch[]): Map<string, BotTotals> {
  const byId = new Map<string, BotTotals>(
    entrants.map((e) => [
      e.id,
      { moves: 0, fuel: 0, startFuel: 0, maxMoveFuel: 0, moveMicros: 0, faults: [] } satisfies BotTotals,
    ]),
  );
  const names = new Map(entrants.map((e) => [e.id, e.name]));
  for (const m of matches) {
    if (!m.record) continue;
    for (const seat of [0, 1] as const) {
      const t = byId.get(m.pairing.seats[seat])!;
      const fuel = m.record.log.fuel[seat];
      t.moves += fuel.length;
      t.startFuel += m.record.startFuel[seat];
      t.fuel += m.record.startFuel[seat];
      for (const f of fuel) {
        t.fuel += f;
        if (f > t.maxMoveFuel) t.maxMoveFuel = f;
      }
      for (const us of m.record.timing.moveMicros[seat]) t.moveMicros += us;
      for (const fault of m.record.faults.filter((f) => f.seat === seat)) {
        t.faults.push({
          ...fault,
          match: m.pairing.key,
          opponent: names.get(m.pairing.seats[seat === 0 ? 1 : 0])!,
        });
      }
    }
  }
  return byId;
}

const n = (x: number) => x.toLocaleString('en-US');
const points = (p: number) => (Number.isInteger(p) ? String(p) : p.toFixed(1));

function matchLine(m: PlayedMatch, names: Map<string, string>): string {
  const [a, b] = m.pairing.seats.map((id) => names.get(id)!) as [string, string];
  if (!m.record) return `${m.pairing.key}  ${a} vs ${b}: not played (${m.note})`;
  const r = m.record;
  const o = r.outcome;
  const verdict =
    o.winner === null
      ? o.reason === 'double-forfeit'
        ? 'draw, both faulted'
        : 'draw'
      : `${o.winner === 0 ? a : b} wins${o.reason === 'forfeit' ? ' by forfeit' : ''}`;
  return `${m.pairing.key}  ${a} ${r.wins[0]}-${r.wins[1]} ${b}: ${verdict}`;
}

function formatText(
  format: FormatName,
  seed: string,
  rules: RpsRules,
  entrants: Entrant[],
  result: { standings: Standing[]; matches: PlayedMatch[] },
  botTotals: Map<string, BotTotals>,
): string {
  const names = new Map(entrants.map((e) => [e.id, e.name]));
  type Row = Standing & { t: BotTotals; name: string };
  const rows: Row[] = result.standings.map((s) => ({
    ...s,
    name: names.get(s.entrant)!,
    t: botTotals.get(s.entrant)!,
  }));
  const table = tableLines<Row>(
    [
      { header: '#', align: 'right', cell: (r) => String(r.rank) },
      { header: 'bot', cell: (r) => r.name, flexible: true, minWidth: 8 },
      { header: 'pts', align: 'right', cell: (r) => points(r.points) },
      { header: 'W-D-L', align: 'right', cell: (r) => `${r.wins}-${r.draws}-${r.losses}` },
      {
        header: 'fuel/move',
        align: 'right',
        cell: (r) => n(Math.round((r.t.fuel - r.t.startFuel) / Math.max(1, r.t.moves))),
      },
      { header: 'max', align: 'right', cell: (r) => n(r.t.maxMoveFuel) },
      { header: 'fuel total', align: 'right', cell: (r) => n(r.t.fuel) },
      {
        header: 'µs/move',
        align: 'right',
        cell: (r) => n(Math.round(r.t.moveMicros / Math.max(1, r.t.moves))),
      },
      { header: 'faults', align: 'right', cell: (r) => String(r.t.faults.length) },
    ],
    rows,
    { maxWidth: 120 },
  );
  const lines = [
    `${FORMAT_LABELS[format]}: ${entrants.length} bots, ${result.matches.length} matches of ${rules.rounds} rounds, seed ${seed}`,
    '',
    ...table,
    '',
    'Matches:',
    ...result.matches.map((m) => `  ${matchLine(m, names)}`),
  ];
  const faulted = rows.filter((r) => r.t.faults.length > 0);
  if (faulted.length > 0) {
    lines.push('', 'Faults:');
    for (const r of faulted) {
      for (const f of r.t.faults) {
        lines.push(
          `  ${r.name} vs ${f.opponent} (${f.match}), ${f.round === 0 ? 'at start-up' : `round ${f.round}`}: ${f.kind}: ${f.message}`,
        );
      }
    }
  }
  lines.push(
    '',
    'The same bots and seed play the same tournament (time/move varies; fuel does not). ' +
      'Replay one match with: throwdown match A B --seed <its seed from --json>',
  );
  return lines.join('\n');
}

function formatJson(
  format: FormatName,
  seed: string,
  rules: RpsRules,
  entrants: Entrant[],
  result: { standings: Standing[]; matches: PlayedMatch[] },
  botTotals: Map<string, BotTotals>,
) {
  const names = new Map(entrants.map((e) => [e.id, e.name]));
  const name = (id: string) => names.get(id)!;
  return {
    format: TOURNAMENT_JSON_FORMAT,
    tournament: { format, seed, rules, matches: result.matches.length },
    bots: entrants.map((e) => ({
      name: e.name,
      file: e.arg.label,
      sha256: e.arg.source.kind === 'wasm' ? e.arg.source.sha256 : e.arg.label,
    })),
    standings: result.standings.map((s) => {
      const t = botTotals.get(s.entrant)!;
      return {
        rank: s.rank,
        bot: name(s.entrant),
        points: s.points,
        wins: s.wins,
        draws: s.draws,
        losses: s.losses,
        byes: s.byes,
        tieBreaks: s.tieBreaks,
        ...(s.roundReached === undefined ? {} : { roundReached: s.roundReached }),
        moves: t.moves,
        fuel: {
          total: t.fuel,
          start: t.startFuel,
          meanPerMove: Math.round((t.fuel - t.startFuel) / Math.max(1, t.moves)),
          maxPerMove: t.maxMoveFuel,
        },
        timing: { meanMoveMicros: Math.round(t.moveMicros / Math.max(1, t.moves)) },
        faults: t.faults.map((f) => ({
          match: f.match,
          opponent: f.opponent,
          round: f.round,
          kind: f.kind,
          message: f.message,
        })),
      };
    }),
    matches: result.matches.map((m) => ({
      key: m.pairing.key,
      round: m.pairing.round,
      seed: m.seed,
      bots: m.pairing.seats.map(name),
      result: m.record
        ? {
            winner: m.record.outcome.winner,
            winnerName:
              m.record.outcome.winner === null ? null : name(m.pairing.seats[m.record.outcome.winner]),
            reason: m.record.outcome.reason,
            score: m.record.outcome.score,
            wins: m.record.wins,
            ties: m.record.ties,
            roundsPlayed: m.record.roundsPlayed,
          }
        : null,
      note: m.note,
      faults: m.record?.faults.map((f) => ({ ...f, bot: name(m.pairing.seats[f.seat]) })) ?? [],
    })),
  };
}

export async function tournamentCommand(
  config: Config,
  files: string[],
  options: TournamentOptions,
  io: Output,
): Promise<number> {
  const format = options.format ?? 'round-robin';
  if (!isFormatName(format)) {
    throw usageError(`there is no format "${format}"; choose one of ${FORMAT_NAMES.join(', ')}`);
  }
  const rules = makeRules({ rounds: options.rounds });
  const problem = checkRules(rules);
  if (problem) throw usageError(problem.message);
  if (files.length < 2) throw usageError('a tournament needs at least two bots');
  const entrants = entrantsOf(await Promise.all(files.map(loadBotArg)));
  const seed = options.seed ?? newSeed();
  // The sandbox processes the server would run (THROWDOWN_SANDBOX_WORKERS, else the CPUs), each
  // kept busy as the server's runner keeps them (sandbox/in-flight.ts).
  const processes = matchProcesses(config.sandbox.workers);
  const concurrency = MATCHES_IN_FLIGHT_PER_PROCESS * processes;
  const sandbox = localSandbox(config, processes);
  try {
    // The verdict /submit would give, before any match: a refused bot never enters.
    for (const e of entrants) {
      if (!e.arg.bytes) continue;
      const checked = await sandbox.check(e.arg.bytes);
      if (!checked.ok) throw new CliError(`${e.arg.label} was rejected: ${checked.error.message}`);
    }
    const byId = new Map(entrants.map((e) => [e.id, e]));
    const result = await runFormat(format, entrants, seed, concurrency, (pairing) =>
      playPairing(sandbox, rules, seed, pairing, byId),
    );
    const botTotals = totals(entrants, result.matches);
    io.out(
      options.json
        ? JSON.stringify(formatJson(format, seed, rules, entrants, result, botTotals), null, 2)
        : formatText(format, seed, rules, entrants, result, botTotals),
    );
    return 0;
  } finally {
    await sandbox.close();
  }
}
