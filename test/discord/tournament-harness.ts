// The Discord harness with the tournament command wired as src/main.ts wires it: a tournament
// service that announces through the harness's own discord.js client, and a scheduler on a
// fake clock (tests move time by hand). Files that exercise tournaments through Discord share
// this so they test one wiring, not four copies of it.
import type { Client } from 'discord.js';
import { afterAll } from 'vitest';
import { tournamentCommand } from '../../src/commands/tournament.js';
import type { Db } from '../../src/db/client.js';
import { createDiscordTournamentAnnouncer } from '../../src/discord/tournament-announcer.js';
import type { EngineDeps } from '../../src/engine/deps.js';
import { createTournamentService } from '../../src/engine/tournaments/index.js';
import { createScheduler } from '../../src/engine/tournaments/scheduler.js';
import type { Limits } from '../../src/sandbox/limits.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeClock } from '../support/fake-clock.js';
import { engineDeps } from '../support/tournaments.js';
import { type Harness, type HarnessOptions, startHarness } from './harness.js';

export interface TournamentHarnessOptions extends Omit<HarnessOptions, 'extra'> {
  /** Matches a tournament plays at once. */
  concurrency: number;
  /** Rounds of a scheduled tournament that names none. */
  scheduledRounds: number;
}

export interface TournamentHarness {
  h: Harness;
  deps: EngineDeps;
  service: ReturnType<typeof createTournamentService>;
  clock: FakeClock;
}

/** Starts the harness and stops the scheduler, the service and the harness after the file. */
export async function startTournamentHarness(
  options: TournamentHarnessOptions & { db: Db; sandbox: Sandbox & { limits: Limits } },
): Promise<TournamentHarness> {
  const { concurrency, scheduledRounds, ...harnessOptions } = options;
  const deps = engineDeps(options.db, options.sandbox);
  // The command is registered before the client exists; the announcer finds it when it posts.
  let client: Client | null = null;
  const service = createTournamentService({
    deps,
    announcer: createDiscordTournamentAnnouncer(() => client),
    concurrency,
    progressIntervalMs: 200,
  });
  const clock = new FakeClock('2026-03-06T12:00:00Z');
  const scheduler = createScheduler({
    schedules: deps.repos.schedules,
    clock,
    logger: silentLogger,
    defaultTimezone: 'UTC',
    defaultRounds: scheduledRounds,
    fire: (row) => service.startScheduled(row),
  });
  const h = await startHarness({ ...harnessOptions, extra: [tournamentCommand({ service, scheduler })] });
  client = h.service.client;
  afterAll(async () => {
    scheduler.stop();
    await service.stop();
    await h.close();
  });
  return { h, deps, service, clock };
}
