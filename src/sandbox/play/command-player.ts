import { deriveSeed, seedRng } from '../../games/rng.js';
import {
  createFuelAccount,
  createGuestContext,
  createVirtualClock,
  type GuestContext,
  GuestExit,
  HOST_COSTS,
  instantiateCommand,
} from '../host/index.js';
import type { Limits } from '../limits.js';
import {
  classifyInstantiationTrap,
  FUEL_EXPORT,
  MEMORY_IMPORT,
  type MeterHost,
  meterHost,
} from '../wasm/index.js';
import { guestFault, moveFaultContext, outOfFuel } from './guest-faults.js';
import type { BotFault, MoveOutcome, Player, RoundInfo, StartOutcome } from './player.js';
import { describeBadOutput, readMove, SnippyInput } from './snippy-input.js';
import { StderrTail } from './stderr-tail.js';

export interface CommandPlayerOptions {
  module: WebAssembly.Module;
  /** The module imports its memory (`throwdown.memory`) with these limits, in pages. */
  memory: { minPages: number; maxPages: number };
  traps: { fuelTrapFunction: number; stackTrapFunction: number };
  name: string;
  opponentName: string;
  totalRounds: number;
  limits: Limits;
  /** Seeds this bot's randomness for the whole match. */
  seed: string;
  /** The fuel each fresh instance starts with (baked into the artifact), spent by start functions. */
  instantiationFuel: number;
}

const encoder = new TextEncoder();

/** What a command printed before its move line: Snippy bots print-debug to stdout, so keep it for their log. */
function debugLines(stdout: string): string {
  const trimmed = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  const cut = trimmed.lastIndexOf('\n');
  return cut < 0 ? '' : trimmed.slice(0, cut + 1);
}

/**
 * A WASI preview1 command bot, Snippy style: a FRESH instance per move, fed one JSON line on
 * stdin; its move is the last line of stdout. Randomness and the clock carry over between
 * moves (one seeded stream and one virtual clock per bot per match), memory does not.
 */
export function createCommandPlayer(options: CommandPlayerOptions): Player {
  const { limits } = options;
  const input = new SnippyInput(options.name, options.opponentName, options.totalRounds);
  const tail = new StderrTail();
  let fuelSpent = 0;
  let current: { meter: MeterHost; budget: number } | null = null;
  const fuel = createFuelAccount();
  const ctx: GuestContext = createGuestContext({
    fuel,
    args: [options.name],
    stdoutCap: limits.stdoutBytes,
    stderrCap: limits.stderrBytes,
    rng: seedRng(deriveSeed(options.seed, 'random')),
    clock: createVirtualClock({
      // Time is work: a nanosecond per instruction, so a bot timing itself sees deterministic time.
      workNs: () => fuelSpent + (current ? Math.max(0, current.budget - current.meter.fuelLeft()) : 0),
    }),
  });
  let played = 0;
  // One memory per bot per match, zeroed before each move: a fresh instance sees exactly what a
  // newly allocated memory would hold, without paying for the allocation every move.
  let pooled: WebAssembly.Memory | null = null;
  const initialBytes = options.memory.minPages * 65536;
  // Handing out a zeroed memory of the declared size is host work done for the bot every move
  // (a 64 MiB memory: ~22 ms), so it is charged to the move like the bot's own instructions.
  const resetFuel = options.memory.minPages * HOST_COSTS.memoryResetPage;
  const freshMemory = (): WebAssembly.Memory => {
    if (pooled && pooled.buffer.byteLength === initialBytes) {
      new Uint8Array(pooled.buffer).fill(0);
      return pooled;
    }
    pooled = new WebAssembly.Memory({ initial: options.memory.minPages, maximum: options.memory.maxPages });
    return pooled;
  };

  // The stdin line of the next move, built once (moveFuelCap needs its length before the move).
  let next: { round: number; stdin: Uint8Array } | null = null;
  const stdinFor = (info: RoundInfo): Uint8Array => {
    if (next?.round !== info.round) {
      if (info.myLast && info.theirLast) input.record(info.myLast, info.theirLast);
      next = { round: info.round, stdin: encoder.encode(input.line(played)) };
    }
    return next.stdin;
  };
  // Reading the protocol input is the host's cost (Snippy resends the whole history every move):
  // the bot gets fuel for it on top of its budget, not charged to the match.
  const allowanceFor = (stdin: Uint8Array) => stdin.length * limits.fuelPerInputByte;

  const move = (info: RoundInfo, fuelLeft: number): MoveOutcome => {
    const stdin = stdinFor(info);
    next = null;
    const allowance = allowanceFor(stdin);
    const budget = Math.min(limits.fuelPerMove, fuelLeft) + allowance;
    ctx.stdin = stdin;
    ctx.stdout.reset();
    ctx.stderr.reset();
    played++;
    if (resetFuel > budget) {
      // Checked before doing the work: the move could not pay for its memory.
      const fault = outOfFuel(moveFaultContext(() => ({ kind: 'out-of-fuel', message: '' }), budget, limits));
      fault.message += ` (its ${options.memory.minPages}-page memory costs ${resetFuel} fuel to reset each move)`;
      return { ok: false, fault, fuel: resetFuel };
    }
    // Host calls before the instance exists (a start function) are held against start-up fuel.
    fuel.bind(null, options.instantiationFuel);

    let instance: WebAssembly.Instance;
    try {
      instance = instantiateCommand(options.module, ctx, {
        [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: freshMemory() },
      }) as unknown as WebAssembly.Instance;
    } catch (error) {
      const fault = guestFault(error, {
        classify: (e) => classifyInstantiationTrap(e, options.traps),
        budget: {
          fuel: options.instantiationFuel,
          stackBytes: limits.stackBytes,
          memoryBytes: limits.memoryBytes,
        },
        phase: 'start-up',
      });
      tail.add(info.round, ctx.stderr.text());
      return { ok: false, fault, fuel: options.instantiationFuel };
    }
    const meter = meterHost(instance);
    fuel.bind(instance.exports[FUEL_EXPORT] as WebAssembly.Global);
    const startFuel = options.instantiationFuel - meter.fuelLeft();
    if (startFuel > options.instantiationFuel) {
      // A start function (or its host calls) overdrew the start-up budget without trapping.
      const fault = outOfFuel({
        budget: {
          fuel: options.instantiationFuel,
          stackBytes: limits.stackBytes,
          memoryBytes: limits.memoryBytes,
        },
        phase: 'start-up',
      });
      return { ok: false, fault, fuel: startFuel };
    }
    meter.setBudget(budget, limits.stackBytes);
    current = { meter, budget };
    const faultContext = moveFaultContext((e) => meter.classifyTrap(e), budget, limits);
    let fault: BotFault | null = null;
    try {
      fuel.charge(resetFuel);
      (instance.exports._start as () => void)();
    } catch (error) {
      if (!(error instanceof GuestExit) || error.code !== 0) fault = guestFault(error, faultContext);
    }
    const used = startFuel + budget - meter.fuelLeft();
    current = null;
    fuelSpent += used;
    const stdout = ctx.stdout.text();
    tail.add(info.round, ctx.stderr.text() + debugLines(stdout));
    // Metering checks at function entries and loop headers, so a call can also return overdrawn.
    if (!fault && meter.fuelLeft() < 0) fault = outOfFuel(faultContext);
    if (!fault && (ctx.stdout.exceeded || ctx.stderr.exceeded)) {
      fault = { kind: 'output-too-large', message: `wrote more than its output cap in one move` };
    }
    const free = Math.min(used, allowance);
    if (fault) return { ok: false, fault, fuel: used, free };
    const hand = readMove(stdout);
    if (!hand)
      return {
        ok: false,
        fault: { kind: 'invalid-move', message: describeBadOutput(stdout) },
        fuel: used,
        free,
      };
    return { ok: true, hand, fuel: used, free };
  };

  return {
    start: (): StartOutcome => ({ ok: true, fuel: 0 }),
    startFuelCap: () => 0,
    // A fresh instance per move: its start-up fuel, then the move's budget and input allowance.
    moveFuelCap: (info, fuelLeft) =>
      options.instantiationFuel + Math.min(limits.fuelPerMove, fuelLeft) + allowanceFor(stdinFor(info)),
    move,
    stderrTail: () => tail.value(),
  };
}
