import { err, ok, type Result } from '../../util/result.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { assemble, helperBodies, TypePlan } from './assemble.js';
import { MalformedError, Writer } from './bytes.js';
import { checkModule, FUEL_EXPORT, GROW_EXPORT, STACK_EXPORT } from './check.js';
import { diagnoseInvalid, engineMessage } from './diagnose.js';
import { FunctionMeter, LEAF_STACK_RESERVE, type MeterIndices } from './meter-function.js';
import { type ModuleInfo, parseModule } from './module.js';
import { fromMalformed, type MeterRejection, rejection } from './rejection.js';
import { shareCounters } from './share-counters.js';
import { wasm } from './wasm-api.js';

export interface InstrumentOptions {
  /** Cap on the memory, in 64 KiB pages: the rewritten maximum. */
  memoryPages: number;
  /** Cap on each table's elements: the rewritten maximum. */
  tableElements: number;
  /** Initial stack budget (bytes), in effect while start functions run. */
  stackBytes: number;
  /**
   * Initial fuel, in effect while start functions run during instantiation (the host cannot
   * set the counter before the instance exists). Defaults to `DEFAULT_LIMITS.fuelPerInstantiation`.
   */
  instantiationFuel?: number;
  /**
   * 'reject' (default): imported memories and tables are refused. 'cap': they are accepted and
   * their declared maximum becomes the cap, so the module only links to a capped memory/table
   * (dynamically linked toolchains such as componentize-qjs need this; see check.ts).
   */
  importedMemoryAndTables?: 'reject' | 'cap';
  /**
   * Make the module's memory an import (`throwdown.memory`, with the capped limits) so the host
   * can recycle zeroed memories between fresh instances: allocating a wasm memory dominates
   * instantiation (measured ~55 of ~65 µs for a small command bot).
   */
  importMemory?: boolean;
  /**
   * Import the fuel and stack counters (`throwdown.fuel`, `throwdown.stack`, see
   * share-counters.ts) instead of defining them, so every core module of a component charges
   * the bot's one counter. `instantiationFuel` is then unused: the host creates the counters.
   */
  sharedCounters?: boolean;
}

/** Where a module rewritten with `importMemory` expects its memory. */
export const MEMORY_IMPORT = { module: 'throwdown', name: 'memory' } as const;

export interface Instrumented {
  bytes: Uint8Array;
  originalSize: number;
  size: number;
  /** Function bodies metered. */
  functions: number;
  /** Index of the function that traps when fuel runs out (the top frame of that trap). */
  fuelTrapFunction: number;
  /** Index of the function that traps when the stack budget runs out. */
  stackTrapFunction: number;
  /** Largest stack budget charge of any one function, bytes. */
  maxFrameCost: number;
  /**
   * Budget every charged call leaves free for an uncharged leaf function above it, bytes: a
   * call traps when less than its cost plus this remains (see LEAF_STACK_RESERVE).
   */
  stackReserve: number;
}

/** V8's limit on types (kV8MaxWasmTypes). */
const MAX_TYPES = 1_000_000;

/**
 * Rewrites a core module so that it counts its own instructions (`throwdown_fuel`, an exported
 * mutable i64 global) and its own stack use (`throwdown_stack`, an exported mutable i32
 * global), deterministically in every V8 tier, and caps its memory and tables.
 *
 * The host sets both globals before a call and reads them after: running out of fuel traps
 * with the fuel global below zero, exhausting the stack budget traps with the stack global
 * below zero (see meter-host.ts). Expected failures (an invalid module, a feature the sandbox
 * refuses) are returned as rejections; this never throws for any input bytes.
 */
export function instrument(
  bytes: Uint8Array,
  options: InstrumentOptions,
): Result<Instrumented, MeterRejection> {
  // Validate first: an invalid module that uses the global index the counter will take would
  // become valid after instrumentation and could set its own fuel.
  let valid = false;
  try {
    valid = wasm.validate(bytes);
  } catch {
    valid = false;
  }
  const caps = {
    memoryPages: options.memoryPages,
    tableElements: options.tableElements,
    imports: options.importedMemoryAndTables ?? 'reject',
  };
  if (!valid) return err(diagnoseInvalid(bytes, caps));

  let m: ModuleInfo;
  try {
    m = parseModule(bytes, { deep: false, skipCode: false });
  } catch (e) {
    if (e instanceof MalformedError) return err(fromMalformed(e));
    throw e;
  }
  const refused = checkModule(m, caps);
  if (refused) return err(refused);

  try {
    return meterModule(m, options);
  } catch (e) {
    // The engine accepted the module, so a decoding failure here is our bug, not the bot's.
    if (e instanceof MalformedError) throw new Error(`bug: valid module failed to decode: ${e.message}`);
    throw e;
  }
}

function meterModule(m: ModuleInfo, options: InstrumentOptions): Result<Instrumented, MeterRejection> {
  const types = new TypePlan(m);
  if (m.types.length + types.appendedCount > MAX_TYPES) {
    return err(
      rejection(
        'too-large',
        `The module has ${m.types.length} types; the engine allows at most ${MAX_TYPES}.`,
      ),
    );
  }
  const functionCount = m.funcTypes.length;
  const ix: MeterIndices = {
    fuelGlobal: m.importedGlobals + m.definedGlobals,
    stackGlobal: m.importedGlobals + m.definedGlobals + 1,
    growGlobal: m.importedGlobals + m.definedGlobals + 2,
    fuelTrap: functionCount,
    stackTrap: functionCount + 1,
    growObserver: functionCount + 2,
  };

  const codeSize = m.bodies.reduce((sum, b) => sum + (b.end - b.start), 0);
  const code = new Writer(Math.ceil(codeSize * 1.6) + 64);
  code.u32(m.bodies.length + 3);
  const meter = new FunctionMeter(m, ix, (ft) => types.blockType(ft), new Writer(1 << 16));
  let maxFrameCost = 0;
  for (let i = 0; i < m.bodies.length; i++) {
    const res = meter.meter(i, code);
    if ('code' in res) return err(res);
    if (res.frameCost > maxFrameCost) maxFrameCost = res.frameCost;
  }
  helperBodies(code, ix.growGlobal);

  const out: Uint8Array = assemble({
    m,
    types,
    ix,
    caps: { memoryPages: options.memoryPages, tableElements: options.tableElements },
    initialFuel: BigInt(options.instantiationFuel ?? DEFAULT_LIMITS.fuelPerInstantiation),
    initialStack: options.stackBytes,
    code,
    fuelExport: FUEL_EXPORT,
    stackExport: STACK_EXPORT,
    growExport: GROW_EXPORT,
    importMemoryAs: options.importMemory ? MEMORY_IMPORT : undefined,
  });
  const bytes = options.sharedCounters ? shareCounters(out) : out;
  // Every engine limit metering can hit is checked above; failing here is a bug in this folder.
  if (!wasm.validate(bytes)) throw new Error(`bug: metered module is invalid: ${engineMessage(bytes)}`);
  return ok({
    bytes,
    originalSize: m.bytes.length,
    size: bytes.length,
    functions: m.bodies.length,
    fuelTrapFunction: m.bodies.length > 0 ? ix.fuelTrap : -1,
    stackTrapFunction: m.bodies.length > 0 ? ix.stackTrap : -1,
    maxFrameCost,
    stackReserve: LEAF_STACK_RESERVE,
  });
}
