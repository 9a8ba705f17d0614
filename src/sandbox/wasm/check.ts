import { WASM_PAGE } from '../limits.js';
import type { Limits, ModuleInfo } from './module.js';
import { formatBytes, type MeterRejection, rejection } from './rejection.js';

/** Export names metering adds; a module may not export anything starting with the prefix. */
export const FUEL_EXPORT = 'throwdown_fuel';
export const STACK_EXPORT = 'throwdown_stack';
/** Set to 1 when a memory.grow fails (returns -1): lets the host tell an allocation failure from other traps. */
export const GROW_EXPORT = 'throwdown_grow_failed';
export const RESERVED_PREFIX = 'throwdown_';
/** The import module of the sandbox's own imports (recycled memory, shared counters). */
export const RESERVED_MODULE = 'throwdown';

/** V8's limits on index spaces that metering grows (kV8MaxWasm{Globals,Functions,Types,Exports}). */
const MAX_GLOBALS = 1_000_000;
const MAX_FUNCTIONS = 1_000_000;
const MAX_EXPORTS = 100_000;

export interface Caps {
  memoryPages: number;
  tableElements: number;
  /**
   * 'reject' (default): a module must define its memory and tables. 'cap': imported ones are
   * accepted and their declared maximum is rewritten to the cap, so the module can only be
   * linked to a memory or table that is capped too (for dynamically linked toolchains, e.g.
   * componentize-qjs, whose engine module imports the memory its main module defines).
   */
  imports?: 'reject' | 'cap';
}

/**
 * Module-level reasons to refuse metering: what the sandbox cannot cap or does not run, and
 * collisions with what metering adds. Per-instruction reasons are found while metering bodies.
 */
export function checkModule(m: ModuleInfo, caps: Caps): MeterRejection | undefined {
  const memories: { limits: Limits; where: string }[] = [];
  const tables: { limits: Limits; where: string }[] = [];
  for (const imp of m.imports) {
    if (imp.kind !== 'memory' && imp.kind !== 'table') continue;
    if (caps.imports !== 'cap') {
      return imp.kind === 'memory'
        ? rejection(
            'imported-memory',
            `The module imports its memory ("${imp.module}" "${imp.name}"); bots must define their own memory so the sandbox can cap it.`,
          )
        : rejection(
            'imported-table',
            `The module imports a table ("${imp.module}" "${imp.name}"); bots must define their own tables so the sandbox can cap them.`,
          );
    }
    const entry = { limits: imp.limits!, where: `The imported ${imp.kind} "${imp.module}" "${imp.name}"` };
    (imp.kind === 'memory' ? memories : tables).push(entry);
  }
  for (const mem of m.memories) memories.push({ limits: mem.limits, where: 'The module' });
  for (const [i, t] of m.tables.entries()) tables.push({ limits: t.limits, where: `Table ${i}` });

  if (memories.length > 1) {
    return rejection(
      'multiple-memories',
      `The module has ${memories.length} memories; bots may use only one (compile without multi-memory).`,
    );
  }
  const mem = memories[0];
  if (mem) {
    const l = mem.limits;
    if (l.is64) {
      return rejection(
        'memory64',
        `${mem.where} uses a 64-bit memory (memory64); bots must use a 32-bit memory.`,
      );
    }
    if (l.shared) {
      return rejection(
        'shared-memory',
        `${mem.where} uses a shared memory (threads); bots run single-threaded, so compile without threads or shared memory.`,
      );
    }
    if (l.customPageSize) {
      return rejection(
        'unsupported-feature',
        `${mem.where} uses custom memory page sizes, which the sandbox does not support.`,
      );
    }
    if (l.min > caps.memoryPages) {
      return rejection(
        'memory-too-large',
        `${mem.where} declares a minimum memory of ${formatBytes(l.min * WASM_PAGE)}; bots may use at most ${formatBytes(caps.memoryPages * WASM_PAGE)}.`,
      );
    }
  }
  for (const t of tables) {
    if (t.limits.is64) {
      return rejection(
        'unsupported-feature',
        `${t.where} uses 64-bit indices (table64), which the sandbox does not support.`,
      );
    }
    if (t.limits.min > caps.tableElements) {
      return rejection(
        'table-too-large',
        `${t.where} declares a minimum of ${t.limits.min} elements; bots may use at most ${caps.tableElements} per table.`,
      );
    }
  }
  if (m.features.gc) {
    // GC objects live outside linear memory, so the memory cap would not bound them.
    return rejection(
      'unsupported-feature',
      'The module uses GC types (struct, array, i31, any/eq references or recursive type groups), whose objects the sandbox cannot bound (they live outside the capped memory); compile without wasm GC.',
    );
  }
  if (m.features.stringref) {
    return rejection(
      'unsupported-feature',
      'The module uses string references (stringref), an unfinished proposal the sandbox does not run; compile without it.',
    );
  }
  // Nothing the bot wires may name the sandbox's counters: a module importing them (or another
  // module's metering exports) could set its own fuel.
  for (const i of m.imports) {
    if (i.module === RESERVED_MODULE || i.name.startsWith(RESERVED_PREFIX)) {
      return rejection(
        'reserved-name',
        `The module imports "${i.module}" "${i.name}"; the module "${RESERVED_MODULE}" and names starting with "${RESERVED_PREFIX}" are reserved for the sandbox.`,
      );
    }
  }
  for (const e of m.exports) {
    if (e.name.startsWith(RESERVED_PREFIX)) {
      return rejection(
        'reserved-name',
        `The module exports "${e.name}"; names starting with "${RESERVED_PREFIX}" are reserved for the sandbox. Rename the export.`,
      );
    }
  }
  const globals = m.importedGlobals + m.definedGlobals;
  if (globals + 5 > MAX_GLOBALS) {
    return rejection(
      'reserved-name',
      `The module has ${globals} globals; the sandbox needs 5 more for its counters and the engine allows at most ${MAX_GLOBALS}.`,
    );
  }
  if (m.funcTypes.length + 2 > MAX_FUNCTIONS) {
    return rejection(
      'too-large',
      `The module has ${m.funcTypes.length} functions; the engine allows at most ${MAX_FUNCTIONS}.`,
    );
  }
  if (m.exports.length + 2 > MAX_EXPORTS) {
    return rejection(
      'too-large',
      `The module has ${m.exports.length} exports; the engine allows at most ${MAX_EXPORTS}.`,
    );
  }
  return undefined;
}
