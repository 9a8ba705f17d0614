/**
 * The guest's whole world, written by us: in-memory WASI hosts for untrusted bots.
 *
 * - `createGuestContext` (or build a GuestContext yourself): args, stdin, capped stdout/stderr
 *   sinks, the seeded generator and a virtual clock. Nothing else is visible to a guest.
 * - Core command modules: `createPreview1Imports(ctx, () => memory)`, or `runCommand(module, ctx)`.
 * - jco-transpiled components (`instantiation: 'sync'`): `createPreview2Imports(ctx)`, plus
 *   `createArenaImports(ctx, names)` for the throwdown:rps/arena import.
 * - A guest ends by returning, by GuestExit (its exit call), or by a thrown error: a trap,
 *   OutputLimitExceeded, GuestFault. The host process is never affected.
 */
export { type ArenaNames, createArenaImports } from './arena.js';
export { instantiateCommand, runCommand } from './command.js';
export * from './context.js';
export { createPreview1Imports, type Preview1Function, type Preview1Imports } from './preview1.js';
export { createPreview2Imports, MAX_RANDOM_BYTES, STREAM_CLOSED, WRITE_PERMIT } from './preview2/index.js';
