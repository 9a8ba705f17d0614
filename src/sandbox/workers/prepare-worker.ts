import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ok } from '../../util/result.js';
import { type PrepareTools, prepareBot } from '../prepare/prepare.js';
import { TOOLCHAIN } from '../prepare/toolchain.js';
import { describeModule, instrument } from '../wasm/index.js';
import type { PrepareTask, PrepareTaskResult } from './protocol.js';

/**
 * Entry point of a prepare worker process (worker-entry.ts calls the default export per task). It
 * validates, meters and transpiles one upload and writes the artifact; it never runs the bot.
 */
export const prepareTools: PrepareTools = {
  toolchain: TOOLCHAIN,
  describe(bytes) {
    const described = describeModule(bytes);
    if (!described.ok) return described;
    return ok({
      imports: described.value.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind })),
      exports: described.value.exports.map((e) => ({ name: e.name, kind: e.kind })),
      memories: described.value.memories.map((m) => ({ minPages: m.minPages, maxPages: m.maxPages })),
    });
  },
  instrument(bytes, baked, context, sharedCounters) {
    const result = instrument(bytes, {
      memoryPages: baked.memoryPages,
      tableElements: baked.tableElements,
      stackBytes: baked.stackBytes,
      instantiationFuel: baked.fuelPerInstantiation,
      // Components link their core modules to each other's memories and tables (the metered
      // definitions carry the caps); a command's module must define its own.
      importedMemoryAndTables: context === 'component' ? 'cap' : 'reject',
      // A command is instantiated afresh every move: let it reuse a zeroed memory.
      importMemory: context === 'command',
      // Several core modules charge one counter: one budget per move and per start-up.
      sharedCounters: context === 'component' && sharedCounters === true,
    });
    if (!result.ok) return result;
    const { bytes: metered, fuelTrapFunction, stackTrapFunction } = result.value;
    return ok({ bytes: metered, fuelTrapFunction, stackTrapFunction });
  },
  componentWit: (bytes) => componentWit(bytes),
  transpile: (bytes) => transpileBytes(bytes, { name: 'bot', instantiation: 'sync' }),
};

export default async function prepare(task: PrepareTask): Promise<PrepareTaskResult> {
  return prepareBot(task, prepareTools);
}
