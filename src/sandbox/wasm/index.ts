/**
 * Deterministic metering for untrusted core wasm modules: `instrument` rewrites a module to
 * count fuel and stack use and caps its memory and tables; `meterHost` drives the counters of
 * an instance; `describeModule` lists a module's interface for import/export checks.
 */
export { FUEL_EXPORT, STACK_EXPORT } from './check.js';
export type {
  ExportDescription,
  ImportDescription,
  MemoryDescription,
  ModuleDescription,
  Signature,
  TableDescription,
} from './describe.js';
export { describeModule } from './describe.js';
export { FRAME_FIXED_BYTES, frameCost } from './frame-cost.js';
export type { Instrumented, InstrumentOptions } from './instrument.js';
export { instrument, MEMORY_IMPORT } from './instrument.js';
export {
  BULK_FLAT_COST,
  BULK_MEMORY_SHIFT,
  GROW_FLAT_COST,
  GROW_PAGE_SHIFT,
  LEAF_STACK_RESERVE,
  TABLE_ELEMENT_SHIFT,
} from './meter-function.js';
export type { MeterHost, TrapClass, TrapKind } from './meter-host.js';
export { classifyInstantiationTrap, classifyTrap, meterHost } from './meter-host.js';
export type { MeterRejection, MeterRejectionCode } from './rejection.js';
export { COUNTER_IMPORTS, shareCounters } from './share-counters.js';
