import type { EngineHandle } from './cli/db-commands.js';
import { CliError } from './cli/errors.js';
import { runProgram } from './cli/program.js';
import { tournamentCommand } from './commands/tournament.js';
import type { Command } from './commands/types.js';
import { type Config, dataPaths, loadConfig, loadEnvFile } from './config.js';
import { createDatabase } from './db/client.js';
import { createRepos } from './db/repos/index.js';
import { createEngine, type Engine } from './engine/index.js';
import { DEFAULT_PAIR_CAP } from './engine/rating-cap.js';
import { newSeed } from './engine/seeds.js';
import {
  createTournamentService,
  systemClock,
  type TournamentAnnouncer,
} from './engine/tournaments/index.js';
import { createScheduler } from './engine/tournaments/scheduler.js';
import { createSandbox } from './sandbox/sandbox.js';
import { createLogger, type Logger } from './util/logger.js';

/**
 * The composition root: the only place that reads configuration and wires the pieces
 * together. `npm start` and the `throwdown` command both enter here.
 */
function configOrThrow(): Config {
  loadEnvFile(process.env);
  const config = loadConfig();
  if (!config.ok) throw new CliError(config.error.map((p) => p.message).join('\nthrowdown: '), 2);
  return config.value;
}

/** Database, sandbox and the engine over them. */
async function openEngine(config: Config, logger: Logger): Promise<EngineHandle> {
  const paths = dataPaths(config);
  const database = await createDatabase({ url: config.databaseUrl, dataDir: paths.database, logger });
  const sandbox = createSandbox({
    artifactsDir: paths.artifacts,
    workers: config.sandbox.workers ?? undefined,
    limits: config.sandbox.limits,
    smokeRounds: config.sandbox.smokeRounds,
    logger,
  });
  const engine = createEngine({
    repos: createRepos(database.db),
    sandbox,
    limits: sandbox.limits,
    defaultRounds: 1000,
    ratingCap: DEFAULT_PAIR_CAP,
    now: () => new Date(),
    newSeed,
    logger,
  });
  return {
    engine,
    close: async () => {
      await sandbox.close();
      await database.close();
    },
  };
}

// ---- tournaments (issue 6) -------------------------------------------------------------------
/**
 * The tournament start-up hook for `serve`. `command` goes to `createCommands({ extra: [...] })`;
 * `start()` (once the announcer can post: for Discord, after the client is ready; the announcer
 * is createDiscordTournamentAnnouncer(client)) resumes every tournament a previous process left
 * pending or running, keeps watching for ones whose process died, loads the guilds' schedules
 * and fires them; `stop()` at shutdown hands running tournaments back for the next start.
 */
export function tournaments(engine: Engine, config: Config, announcer: TournamentAnnouncer) {
  const { deps } = engine;
  const service = createTournamentService({ deps, announcer, concurrency: config.tournaments.concurrency });
  const scheduler = createScheduler({
    schedules: deps.repos.schedules,
    clock: systemClock,
    logger: deps.logger,
    defaultTimezone: config.tournaments.timezone,
    defaultRounds: deps.defaultRounds,
    fire: (schedule) => service.startScheduled(schedule),
  });
  return {
    command: tournamentCommand({ service, scheduler }) satisfies Command,
    async start(): Promise<void> {
      await service.start();
      await scheduler.start();
    },
    async stop(): Promise<void> {
      scheduler.stop();
      await service.stop();
    },
  };
}
// ------------------------------------------------------------------------------------------------

async function serve(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  logger.error('the service is not wired yet');
}

await runProgram(
  {
    config: configOrThrow,
    openEngine: (config) => openEngine(config, createLogger({ level: 'warn' })),
    serve,
    debug: process.env.THROWDOWN_DEBUG === '1',
  },
  process.argv,
);
