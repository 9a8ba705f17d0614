import { deriveSeed, seedRng } from '../../games/rng.js';
import { HANDS, type Hand } from '../../games/rps.js';
import {
  createArenaImports,
  createGuestContext,
  createPreview2Imports,
  createVirtualClock,
} from '../host/index.js';
import type { Limits } from '../limits.js';
import type { DirectCall } from '../prepare/artifact.js';
import { classifyInstantiationTrap, type MeterHost, meterHost, type TrapClass } from '../wasm/index.js';
import { guestFault, moveFaultContext, outOfFuel } from './guest-faults.js';
import { withLeanImports } from './lean-imports.js';
import type { BotFault, MoveOutcome, Player, RoundInfo, StartOutcome } from './player.js';
import { StderrTail } from './stderr-tail.js';

/** The `instantiate` function of jco's generated glue (instantiation: 'sync'). */
export type GlueInstantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, object>,
  instantiateCore: (module: WebAssembly.Module, imports: WebAssembly.Imports) => WebAssembly.Instance,
) => { play(state: unknown): unknown };

export interface ComponentPlayerOptions {
  instantiate: GlueInstantiate;
  modules: ReadonlyMap<string, WebAssembly.Module>;
  traps: Record<string, { fuelTrapFunction: number; stackTrapFunction: number }>;
  direct: DirectCall | null;
  name: string;
  opponentName: string;
  limits: Limits;
  seed: string;
  instantiationFuel: number;
}

type PlayFn = (
  round: number,
  total: number,
  myTag: number,
  my: number,
  theirTag: number,
  their: number,
) => number;

const HAND_INDEX: Record<Hand, number> = { rock: 0, paper: 1, scissors: 2 };

/**
 * A component bot: one instance for the whole match, `play` called once per round. Flat
 * components are called directly at the core function their `play` lifts (our world's
 * arguments are all scalars, so lowering is a handful of integers); others go through jco's
 * generated bindings. Every core instance is metered: each gets the move's budget, and the
 * move's fuel is the sum of what all of them used, so splitting work across modules gains
 * nothing.
 */
export function createComponentPlayer(options: ComponentPlayerOptions): Player {
  const { limits } = options;
  const tail = new StderrTail();
  let fuelSpent = 0;
  let meters: MeterHost[] = [];
  let budgetNow = 0;
  const usedNow = () => meters.reduce((sum, m) => sum + Math.max(0, budgetNow - m.fuelLeft()), 0);
  const ctx = createGuestContext({
    args: [options.name],
    stdoutCap: limits.stdoutBytes,
    stderrCap: limits.stderrBytes,
    rng: seedRng(deriveSeed(options.seed, 'random')),
    clock: createVirtualClock({ workNs: () => fuelSpent + usedNow() }),
  });
  let bindings: { play(state: unknown): unknown } | null = null;
  let direct: { play: PlayFn; postReturn: ((r: number) => void) | null } | null = null;

  const classify = (error: unknown): TrapClass => {
    if (meters.some((m) => m.fuelLeft() < 0)) return { kind: 'out-of-fuel', message: '' };
    if (meters.some((m) => m.stackLeft() < 0)) return { kind: 'stack-exhausted', message: '' };
    if (meters.some((m) => m.growFailed())) return { kind: 'out-of-memory', message: '' };
    return meters[0]?.classifyTrap(error) ?? { kind: 'trap', message: String(error) };
  };

  function start(): StartOutcome {
    const instances: Array<{ name: string; instance: WebAssembly.Instance }> = [];
    const names = new Map<WebAssembly.Module, string>();
    for (const [name, module] of options.modules) names.set(module, name);
    let instantiating = '';
    const imports = Object.assign(
      createPreview2Imports(ctx),
      createArenaImports(ctx, { opponentName: options.opponentName, myName: options.name }),
    );
    try {
      bindings = options.instantiate(
        (name) => {
          const module = options.modules.get(name);
          if (!module) throw new Error(`jco asked for an unknown core module ${name}`);
          return module;
        },
        imports,
        (module, importObject) => {
          instantiating = names.get(module) ?? '';
          // Flat components called directly also get the scalar WASI imports directly (lean-imports.ts).
          const linked = options.direct ? withLeanImports(importObject, imports) : importObject;
          const instance = new WebAssembly.Instance(module, linked);
          instances.push({ name: instantiating, instance });
          return instance;
        },
      );
    } catch (error) {
      const traps = options.traps[instantiating] ?? { fuelTrapFunction: -1, stackTrapFunction: -1 };
      let fault: BotFault;
      try {
        fault = guestFault(error, {
          classify: (e) => classifyInstantiationTrap(e, traps),
          budget: {
            fuel: options.instantiationFuel,
            stackBytes: limits.stackBytes,
            memoryBytes: limits.memoryBytes,
          },
          phase: 'start-up',
        });
      } catch {
        // Not a trap: a link error (a missing or mistyped import) is the upload's problem too.
        fault = {
          kind: 'crashed-at-start',
          message: `could not start: ${(error as Error)?.message ?? error}`,
        };
      }
      if (fault.kind === 'trap')
        fault = { kind: 'crashed-at-start', message: `crashed while starting: ${fault.message}` };
      tail.add(0, ctx.stderr.text());
      return { ok: false, fault, fuel: options.instantiationFuel * Math.max(1, instances.length) };
    }
    meters = instances.map((i) => meterHost(i.instance));
    const startFuel = meters.reduce((sum, m) => sum + (options.instantiationFuel - m.fuelLeft()), 0);
    fuelSpent += startFuel;
    tail.add(0, ctx.stderr.text());
    if (options.direct) {
      const find = (module: string, name: string) =>
        instances.find((i) => i.name === module)?.instance.exports[name] as
          | ((...a: number[]) => number)
          | undefined;
      const play = find(options.direct.module, options.direct.export);
      const post = options.direct.postReturn
        ? find(options.direct.postReturn.module, options.direct.postReturn.export)
        : null;
      if (
        typeof play === 'function' &&
        play.length === 6 &&
        (options.direct.postReturn === null || typeof post === 'function')
      ) {
        direct = { play: play as PlayFn, postReturn: (post as ((r: number) => void) | null) ?? null };
      }
    }
    return { ok: true, fuel: startFuel };
  }

  function move(info: RoundInfo, fuelLeft: number): MoveOutcome {
    const budget = Math.min(limits.fuelPerMove, fuelLeft);
    budgetNow = budget;
    for (const m of meters) m.setBudget(budget, limits.stackBytes);
    if (ctx.stdout.length > 0 || ctx.stdout.exceeded) ctx.stdout.reset();
    if (ctx.stderr.length > 0 || ctx.stderr.exceeded) ctx.stderr.reset();
    // Built only when something went wrong: this function is the hot path of every match.
    const faultContext = () => moveFaultContext(classify, budget, limits);
    let hand: Hand | null = null;
    let fault: BotFault | null = null;
    try {
      if (direct) {
        const code = direct.play(
          info.round,
          info.totalRounds,
          info.myLast ? 1 : 0,
          info.myLast ? HAND_INDEX[info.myLast] : 0,
          info.theirLast ? 1 : 0,
          info.theirLast ? HAND_INDEX[info.theirLast] : 0,
        );
        direct.postReturn?.(code);
        hand = HANDS[code] ?? null;
        if (!hand)
          fault = {
            kind: 'invalid-move',
            message: `returned ${code}, which is not a hand (0 rock, 1 paper, 2 scissors)`,
          };
      } else {
        const answer = bindings!.play({
          round: info.round,
          totalRounds: info.totalRounds,
          myLast: info.myLast,
          theirLast: info.theirLast,
        });
        hand = HANDS.includes(answer as Hand) ? (answer as Hand) : null;
        if (!hand)
          fault = {
            kind: 'invalid-move',
            message: `returned ${JSON.stringify(answer)}, which is not a hand`,
          };
      }
    } catch (error) {
      if (error instanceof TypeError && /discriminant|not one of the cases/i.test(error.message)) {
        fault = {
          kind: 'invalid-move',
          message: 'returned a value that is not a hand (its enum discriminant is out of range)',
        };
      } else {
        fault = guestFault(error, faultContext());
      }
    }
    const used = usedNow();
    budgetNow = 0;
    fuelSpent += used;
    if (ctx.stderr.length > 0) tail.add(info.round, ctx.stderr.text());
    if (!fault && (used > budget || meters.some((m) => m.fuelLeft() < 0))) fault = outOfFuel(faultContext());
    if (!fault && (ctx.stdout.exceeded || ctx.stderr.exceeded)) {
      fault = { kind: 'output-too-large', message: 'wrote more than its output cap in one move' };
    }
    if (fault) return { ok: false, fault, fuel: used };
    return { ok: true, hand: hand as Hand, fuel: used };
  }

  return { start, move, stderrTail: () => tail.value() };
}
