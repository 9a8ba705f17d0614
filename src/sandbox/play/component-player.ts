import type vm from 'node:vm';
import { deriveSeed, seedRng } from '../../games/rng.js';
import { HANDS, type Hand } from '../../games/rps.js';
import { instantiateDirect } from '../component/instantiate.js';
import type { DirectPlan } from '../component/plan.js';
import {
  byteCost,
  createFuelAccount,
  createGuestContext,
  createVirtualClock,
  HOST_COSTS,
} from '../host/index.js';
import type { Limits } from '../limits.js';
import {
  COUNTER_IMPORTS,
  classifyInstantiationTrap,
  FUEL_EXPORT,
  type MeterHost,
  meterHost,
  type TrapClass,
} from '../wasm/index.js';
import { instantiateThroughGlue, outerError } from './glue-realm.js';
import { guestFault, moveFaultContext, outOfFuel } from './guest-faults.js';
import { createHostImports } from './host-imports.js';
import type { BotFault, MoveOutcome, Player, RoundInfo, StartOutcome } from './player.js';
import { StderrTail } from './stderr-tail.js';

/** How a component's core modules are wired: our own plan (flat components) or jco's bindings. */
export type ComponentCode = { kind: 'direct'; plan: DirectPlan } | { kind: 'glue'; script: vm.Script };

export interface ComponentPlayerOptions {
  code: ComponentCode;
  /** Compiled core modules by artifact file name (direct plans: `core<i>.wasm`). */
  modules: ReadonlyMap<string, WebAssembly.Module>;
  traps: Record<string, { fuelTrapFunction: number; stackTrapFunction: number }>;
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

/** The artifact file of a direct plan's core module `index`. */
export function directModuleFile(index: number): string {
  return `core${index}.wasm`;
}

/**
 * A component bot: one instance for the whole match, `play` called once per round. Flat
 * components run by our own wiring (component/instantiate.ts) and `play` is called directly at
 * the core function it lifts (our world's arguments are all scalars, so lowering is a handful of
 * integers): no generated JavaScript runs. Others go through jco's generated bindings, run in a
 * realm of their own (glue-realm.ts). Every core instance is metered, and a component of
 * several core modules charges ONE fuel counter and one stack counter (imported by every module,
 * see wasm/share-counters.ts): one budget per move and one for start-up, however the work is
 * split across modules. Host calls charge the same counter (host/fuel.ts).
 */
export function createComponentPlayer(options: ComponentPlayerOptions): Player {
  const { limits } = options;
  const tail = new StderrTail();
  let fuelSpent = 0;
  /** One per instance (grow flags are per module)... */
  let meters: MeterHost[] = [];
  /** ...and one per distinct fuel counter: what a move's fuel is read from. */
  let counters: MeterHost[] = [];
  let budgetNow = 0;
  const usedNow = () => counters.reduce((sum, m) => sum + Math.max(0, budgetNow - m.fuelLeft()), 0);
  const fuel = createFuelAccount();
  // Modules metered with shared counters import them; the host makes them once per bot.
  const shared = [...options.modules.values()].some((m) =>
    WebAssembly.Module.imports(m).some(
      (i) => i.module === COUNTER_IMPORTS.module && i.name === COUNTER_IMPORTS.fuel,
    ),
  );
  const sharedFuel = new WebAssembly.Global(
    { value: 'i64', mutable: true },
    BigInt(options.instantiationFuel),
  );
  const sharedStack = new WebAssembly.Global({ value: 'i32', mutable: true }, limits.stackBytes);
  const ctx = createGuestContext({
    fuel,
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
    let instantiating = '';
    const host = createHostImports(ctx, {
      opponentName: options.opponentName,
      myName: options.name,
      stringsPrecharged: options.code.kind === 'direct',
    });
    // The one place a core module of this bot becomes an instance, whichever path wires it.
    const instantiateCore = (name: string, module: WebAssembly.Module, imports: WebAssembly.Imports) => {
      instantiating = name;
      const linked = shared
        ? Object.assign(Object.create(null), imports, {
            [COUNTER_IMPORTS.module]: {
              [COUNTER_IMPORTS.fuel]: sharedFuel,
              [COUNTER_IMPORTS.stack]: sharedStack,
            },
          })
        : imports;
      const instance = new WebAssembly.Instance(module, linked);
      instances.push({ name, instance });
      return instance;
    };
    // Host calls made by start functions charge the shared counter, or (one module, whose own
    // counter exists only once it is instantiated) are held against the start-up budget.
    fuel.bind(shared ? sharedFuel : null, options.instantiationFuel);
    try {
      const { code } = options;
      if (code.kind === 'direct') {
        direct = instantiateDirect(code.plan, host, {
          instantiate(index, imports) {
            const name = directModuleFile(index);
            const module = options.modules.get(name);
            if (!module) throw new Error(`the artifact has no core module ${name}`);
            return instantiateCore(name, module, imports);
          },
          // Decoding a string (arena.debug's message) is paid before it is done.
          chargeString: (bytes) => fuel.charge(byteCost(bytes, HOST_COSTS.decodeBytesPerFuel)),
        });
      } else {
        bindings = instantiateThroughGlue(code.script, host, {
          modules: options.modules,
          instantiate: instantiateCore,
        });
      }
    } catch (thrown) {
      const error = outerError(thrown);
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
      return { ok: false, fault, fuel: options.instantiationFuel };
    }
    meters = instances.map((i) => meterHost(i.instance));
    const seen = new Set<unknown>();
    counters = [];
    instances.forEach((i, k) => {
      const counter = i.instance.exports[FUEL_EXPORT];
      if (seen.has(counter)) return;
      seen.add(counter);
      counters.push(meters[k]!);
    });
    if (!shared && instances.length > 0) {
      // Debit what host calls charged while the module started.
      fuel.bind(instances[0]!.instance.exports[FUEL_EXPORT] as WebAssembly.Global);
    }
    const startFuel = counters.reduce((sum, m) => sum + (options.instantiationFuel - m.fuelLeft()), 0);
    fuelSpent += startFuel;
    tail.add(0, ctx.stderr.text());
    if (counters.some((m) => m.fuelLeft() < 0) || startFuel > options.instantiationFuel) {
      // Metering checks at function entries and loop headers, so a start can also return overdrawn.
      return {
        ok: false,
        fault: outOfFuel({
          budget: {
            fuel: options.instantiationFuel,
            stackBytes: limits.stackBytes,
            memoryBytes: limits.memoryBytes,
          },
          phase: 'start-up',
        }),
        fuel: startFuel,
      };
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
    } catch (thrown) {
      const error = outerError(thrown);
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

  return {
    start,
    move,
    stderrTail: () => tail.value(),
    // One counter per bot (shared by its core modules), so one budget bounds each call.
    startFuelCap: () => options.instantiationFuel,
    moveFuelCap: (_info, fuelLeft) => Math.min(limits.fuelPerMove, fuelLeft),
  };
}
