import path from 'node:path';
import { runConsole } from './cli/console/console.js';
import type { EngineHandle } from './cli/db-commands.js';
import { CliError } from './cli/errors.js';
import { runProgram } from './cli/program.js';
import { createDispatcher } from './commands/dispatch.js';
import { createCommands } from './commands/index.js';
import { createRateLimiter } from './commands/rate-limit.js';
import { type Config, dataPaths, loadConfig, loadEnvFile } from './config.js';
import { createDatabase } from './db/client.js';
import { createRepos } from './db/repos/index.js';
import { DiscordLoginError } from './discord/client.js';
import { startDiscord } from './discord/service.js';
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

const DISCORD_OFF = `Discord is off: DISCORD_TOKEN is not set.
To run the Discord bot, put DISCORD_TOKEN and DISCORD_APPLICATION_ID in .env (see .env.example
and docs/discord.md), run \`npm run deploy-commands\` once, then \`npm start\` again.
Meanwhile, here is the local console: the same commands, as a local user.`;

/** Resolves with the first of these signals the process receives. */
function untilSignal(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, on);
      resolve(signal);
    };
    for (const s of signals) process.on(s, on);
  });
}

async function serve(config: Config): Promise<void> {
  const consoleMode = !config.discord.token;
  // The console shares the terminal with the log: keep routine events out of the way there.
  const logger = createLogger({
    level: consoleMode && config.logLevel === 'info' ? 'warn' : config.logLevel,
  });
  const handle = await openEngine(config, logger);
  try {
    const dispatcher = createDispatcher(
      createCommands({ docsUrl: config.docsUrl }),
      createRateLimiter({
        submit: config.rateLimits.submitsPerHour,
        challenge: config.rateLimits.challengesPerHour,
      }),
    );
    if (consoleMode) {
      process.stderr.write(`${DISCORD_OFF}\n`);
      void untilSignal(['SIGTERM', 'SIGINT']).then(() => process.stdin.destroy());
      await runConsole({
        dispatcher,
        engine: handle.engine,
        logger,
        input: process.stdin,
        output: process.stdout,
        filesDir: path.join(config.dataDir, 'console'),
      });
      return;
    }
    const discord = await startDiscord({ config, dispatcher, engine: handle.engine, logger }).catch(
      (error) => {
        throw error instanceof DiscordLoginError ? new CliError(error.message, 1) : error;
      },
    );
    const signal = await untilSignal(['SIGTERM', 'SIGINT']);
    logger.info('stopping', { signal });
    await discord.stop();
    logger.info('stopped');
  } finally {
    await handle.close();
  }
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
