import { createRepos } from '../../src/db/repos/index.js';
import type { EngineDeps } from '../../src/engine/deps.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { DEFAULT_PAIR_CAP } from '../../src/engine/rating-cap.js';
import { silentLogger } from '../../src/util/logger.js';
import { type TestDatabaseOptions, useTestDatabase } from './database.js';
import { useSandbox } from './sandbox.js';

/**
 * The real engine for a test file: its own database (PostgreSQL, or PGlite when asked), the
 * real sandbox with real bots, a controllable clock and fixed seeds.
 */
export async function useEngine(
  options: TestDatabaseOptions & { deps?: Partial<EngineDeps> } = {},
): Promise<{ engine: Engine; clock: { now: Date }; driver: string }> {
  const { db, driver } = await useTestDatabase(options);
  const sandbox = useSandbox();
  const clock = { now: new Date('2026-11-25T12:00:00Z') };
  let seeds = 0;
  const engine = createEngine({
    repos: createRepos(db),
    sandbox,
    limits: sandbox.limits,
    defaultRounds: 200,
    ratingCap: DEFAULT_PAIR_CAP,
    now: () => clock.now,
    newSeed: () => `seed-${++seeds}`,
    logger: silentLogger,
    ...options.deps,
  });
  return { engine, clock, driver };
}

export const guild = { id: '100000000000000001', name: 'Test Guild' };
export const alice = { userId: '200000000000000001', displayName: 'alice' };
export const bob = { userId: '200000000000000002', displayName: 'bob' };
export const carol = { userId: '200000000000000003', displayName: 'carol' };
