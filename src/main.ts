import type { EngineHandle } from './cli/db-commands.js';
import { CliError } from './cli/errors.js';
import { runProgram } from './cli/program.js';
import { type Config, dataPaths, loadConfig, loadEnvFile } from './config.js';
import { createDatabase } from './db/client.js';
import { createRepos } from './db/repos/index.js';
import { createEngine } from './engine/index.js';
import { DEFAULT_PAIR_CAP } from './engine/rating-cap.js';
import { newSeed } from './engine/seeds.js';
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
