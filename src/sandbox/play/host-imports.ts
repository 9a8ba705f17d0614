import type { HostImports } from '../component/lower-import.js';
import type { GuestContext } from '../host/index.js';
import {
  type ArenaNames,
  createArenaImports,
  createGuestContext,
  createPreview2Imports,
} from '../host/index.js';

/**
 * Everything a component bot can import: WASI 0.2 in memory plus throwdown:rps/arena, keyed by
 * unversioned interface name in jco's shapes. The direct path lowers these functions itself; the
 * bindings path hands the same object to jco's glue. Upload checks (prepare/check-host-imports.ts)
 * read the same object, so what is accepted is exactly what can be called.
 */
export function createHostImports(ctx: GuestContext, names: ArenaNames): HostImports {
  // Object.assign, not spread: see createPreview2Imports.
  return Object.assign(createPreview2Imports(ctx), createArenaImports(ctx, names));
}

/** A host object used only to look up which functions and resources exist. */
export function hostShape(): HostImports {
  const ctx = createGuestContext({ stdoutCap: 0, stderrCap: 0, rng: 'shape' });
  return createHostImports(ctx, { opponentName: '', myName: '' });
}
