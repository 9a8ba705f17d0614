import { deriveSeed } from '../../games/rng.js';
import { createBuiltinPlayer } from '../play/builtin-player.js';
import { createCommandPlayer } from '../play/command-player.js';
import { createComponentPlayer } from '../play/component-player.js';
import type { Player } from '../play/player.js';
import { type MatchSeat, runMatch } from '../play/run-match.js';
import { loadArtifact } from './loaded-artifact.js';
import { type Trace, tracedPlayer } from './match-trace.js';
import type { WorkerHooks } from './process-protocol.js';
import type { MatchTask, MatchTaskResult, SeatTask } from './protocol.js';

/**
 * Entry point of a match worker process (worker-entry.ts calls the default export per task). It
 * runs with an empty environment under Node's permission model; it loads prepared artifacts,
 * builds a player per seat and plays the match with the pure rules.
 */
async function seat(task: MatchTask, index: 0 | 1, trace: Trace | null): Promise<MatchSeat> {
  const played = await untracedSeat(task, index, trace);
  return trace ? { ...played, player: tracedPlayer(played.player, index, trace) } : played;
}

async function untracedSeat(task: MatchTask, index: 0 | 1, trace: Trace | null): Promise<MatchSeat> {
  const me = task.seats[index];
  const other = task.seats[index === 0 ? 1 : 0] as SeatTask;
  const seed = deriveSeed(task.seed, `seat${index}`);
  if (me.kind === 'builtin') {
    return {
      bot: { name: me.name, sha256: `builtin:${me.strategy}`, kind: 'command' },
      player: createBuiltinPlayer(me.strategy, seed),
    };
  }
  trace?.(`load ${index}`);
  const artifact = await loadArtifact(me.dir);
  const { manifest } = artifact;
  const common = {
    name: me.name,
    opponentName: other.name,
    limits: task.limits,
    seed,
    instantiationFuel: task.limits.fuelPerInstantiation,
  };
  let player: Player;
  if (manifest.kind === 'command') {
    const module = artifact.modules.get('bot.wasm');
    if (!module || !manifest.memory)
      throw new Error(`artifact ${manifest.key} is not a complete command artifact`);
    player = createCommandPlayer({
      ...common,
      module,
      memory: manifest.memory,
      traps: manifest.traps['bot.wasm'] ?? { fuelTrapFunction: -1, stackTrapFunction: -1 },
      totalRounds: task.rules.rounds,
    });
  } else {
    if (!artifact.code) throw new Error(`artifact ${manifest.key} has neither a plan nor bindings`);
    player = createComponentPlayer({
      ...common,
      code: artifact.code,
      modules: artifact.modules,
      traps: manifest.traps,
    });
  }
  return { bot: { name: me.name, sha256: me.sha256, kind: manifest.kind }, player };
}

export default async function playMatch(task: MatchTask, hooks?: WorkerHooks): Promise<MatchTaskResult> {
  const trace = hooks?.trace ?? null;
  const seats: [MatchSeat, MatchSeat] = [await seat(task, 0, trace), await seat(task, 1, trace)];
  const record = runMatch({
    seed: task.seed,
    rules: task.rules,
    seats,
    limits: task.limits,
    now: () => performance.now(),
    ...(task.stopAfter !== undefined ? { stopAfter: task.stopAfter } : {}),
  });
  // A call stopped by its deadline may have left host or realm state half-done: this process
  // plays no further match (the next one gets a fresh process).
  if (record.faults.some((f) => f.kind === 'timeout')) hooks?.retire();
  return { ok: true, record };
}
