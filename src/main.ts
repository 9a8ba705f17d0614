// First: refuses an unsupported Node in one line, before any other module runs.
import './require-node.js';
import path from 'node:path';
import type { Client } from 'discord.js';
import type { EngineHandle } from './cli/db-commands.js';
import { CliError } from './cli/errors.js';
import type { Output } from './cli/local-commands.js';
import { runProgram } from './cli/program.js';
import { shutdown } from './cli/shutdown.js';
import { staleBuildWarning } from './cli/stale-build.js';
import { type Config, dataPaths, loadConfig, loadEnvFile } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import type { DiscordService } from './discord/service.js';
import type { Engine } from './engine/index.js';
import { DEFAULT_PAIR_CAP } from './engine/rating-cap.js';
import { newSeed } from './engine/seeds.js';
import type { TournamentAnnouncer } from './engine/tournaments/index.js';
import type { PgBossQueue } from './queue/pgboss.js';
import { MATCHES_IN_FLIGHT_PER_PROCESS, matchProcesses } from './sandbox/in-flight.js';
import { STANDARD_ROUNDS } from './sandbox/limits.js';
import { projectRoot } from './sandbox/workers/paths.js';
import { createLogger, type Logger } from './util/logger.js';

/**
 * The composition root: the only place that reads configuration and wires the pieces
 * together. `npm start` and the `throwdown` command both enter here.
 *
 * The service's pieces (database, sandbox, engine, Discord, the queue) are imported where they
 * are wired, when a command needs them: `throwdown --help`, `wit` or `new` load none of them.
 */
function configOrThrow(): Config {
  loadEnvFile(process.env);
  const config = loadConfig();
  if (!config.ok) throw new CliError(config.error.map((p) => p.message).join('\nthrowdown: '), 2);
  return config.value;
}

/** The match queue, when the operator chose it (THROWDOWN_MATCH_QUEUE=pgboss, on PostgreSQL). */
async function openQueue(config: Config, logger: Logger): Promise<PgBossQueue> {
  if (!config.databaseUrl) {
    throw new CliError('the match queue and `throwdown worker` need DATABASE_URL (a PostgreSQL server)', 2);
  }
  const { openPgBossQueue } = await import('./queue/pgboss.js');
  return openPgBossQueue({ url: config.databaseUrl, logger });
}

/**
 * Database, sandbox and the engine over them. `queued`: matches go to the match queue (the
 * service with THROWDOWN_MATCH_QUEUE=pgboss); a worker and the one-shot commands play in-process.
 */
async function openEngine(config: Config, logger: Logger, queued = false): Promise<EngineHandle> {
  const { createDatabase } = await import('./db/client.js');
  const { createRepos } = await import('./db/repos/index.js');
  const { createEngine } = await import('./engine/index.js');
  const { createSandbox } = await import('./sandbox/sandbox.js');
  const { logStatus } = await import('./cli/worker.js');
  const queue = queued && config.matchQueue === 'pgboss' ? await openQueue(config, logger) : null;
  const paths = dataPaths(config);
  const database = await createDatabase({ url: config.databaseUrl, dataDir: paths.database, logger }).catch(
    (error) => {
      // Another Throwdown (say, the running service) has the embedded database: the user's to fix.
      throw error instanceof DataDirLockedError ? new CliError(error.message, 1) : error;
    },
  );
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
    defaultRounds: STANDARD_ROUNDS,
    quota: {
      botsPerUser: config.storage.botsPerUser,
      versionsPerBot: config.storage.versionsPerBot,
      bytesPerUser: config.storage.bytesPerUser,
    },
    ratingCap: DEFAULT_PAIR_CAP,
    now: () => new Date(),
    newSeed,
    logger,
    ...(queue ? { matchQueue: queue.matches } : {}),
  });
  const stopQueueLog = queue ? logStatus(queue, logger, 60_000) : () => {};
  return {
    engine,
    ...(queue ? { abandonQueued: () => queue.close(), queuedSettled: () => queue.idle() } : {}),
    close: async () => {
      stopQueueLog();
      await queue?.close();
      await sandbox.close();
      await database.close();
    },
  };
}

/** `throwdown worker`: matches from the queue, played in this machine's sandbox pool. */
async function worker(config: Config, options: { status?: boolean }, io: Output): Promise<number> {
  const logger = createLogger({ level: options.status ? 'warn' : config.logLevel });
  const { workerCli } = await import('./cli/worker.js');
  return workerCli(
    {
      openEngine: () => openEngine(config, logger),
      openQueue: () => openQueue(config, logger),
      // Each sandbox process keeps this many matches in flight (in-flight.ts): the worker's share.
      capacity: matchProcesses(config.sandbox.workers) * MATCHES_IN_FLIGHT_PER_PROCESS,
      signal: shutdown.signal,
      logger,
    },
    options,
    io,
  );
}

// ---- tournaments (issue 6) -------------------------------------------------------------------
/**
 * The tournament start-up hook: `command` is /tournament for the dispatcher; `start()` (once the
 * announcer can post) resumes every tournament a previous process left pending or running, keeps
 * watching for ones whose process died, loads the guilds' schedules and fires them; `stop()`
 * hands running tournaments back for the next start (matches in the sandbox finish first).
 */
async function tournaments(engine: Engine, config: Config, announcer: TournamentAnnouncer) {
  const { tournamentCommand } = await import('./commands/tournament.js');
  const { createTournamentService, systemClock } = await import('./engine/tournaments/index.js');
  const { createScheduler } = await import('./engine/tournaments/scheduler.js');
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
    command: tournamentCommand({ service, scheduler }),
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

const DISCORD_OFF = `Discord is off: DISCORD_TOKEN is not set.
To run the Discord bot, put DISCORD_TOKEN and DISCORD_APPLICATION_ID in .env (see .env.example
and docs/discord.md), run \`npm run deploy-commands\` once, then \`npm start\` again.
Meanwhile, here is the local console: the same commands, as a local user.`;

/** Time in-flight matches get to finish when the service stops, before they are abandoned. */
const DRAIN_MS = 10_000;

/**
 * Stops the service's work in order: tournaments stop starting matches and their matches in
 * the sandbox (or on the queue, challenges included) get `DRAIN_MS` to finish and be stored;
 * then the sandbox is closed, which ends whatever still runs as "shutting down" (an abandoned
 * tournament match is played when the tournament resumes; a console or Discord command answers
 * that the server is stopping). Queued challenges are waited for too: a worker stores them
 * whether or not anyone waits, so cutting them short would answer "try again" for a match
 * that counts.
 */
async function drain(tourneys: { stop(): Promise<void> }, handle: EngineHandle, logger: Logger) {
  const stopped = Promise.all([tourneys.stop(), handle.queuedSettled?.()]);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), DRAIN_MS);
  });
  if ((await Promise.race([stopped, late])) === 'late') {
    logger.warn('matches still running after the drain period: abandoning them', { drainMs: DRAIN_MS });
  }
  clearTimeout(timer);
  await handle.engine.deps.sandbox.close();
  await handle.abandonQueued?.();
  await stopped;
}

async function serve(config: Config): Promise<void> {
  const { createConsoleAnnouncer } = await import('./cli/console/announcer.js');
  const { runConsole } = await import('./cli/console/console.js');
  const { createDispatcher } = await import('./commands/dispatch.js');
  const { createCommands } = await import('./commands/index.js');
  const { createRateLimiter } = await import('./commands/rate-limit.js');
  const { DiscordLoginError } = await import('./discord/client.js');
  const { startDiscord } = await import('./discord/service.js');
  const { createDiscordTournamentAnnouncer } = await import('./discord/tournament-announcer.js');
  const { startArtifactCollection } = await import('./engine/artifacts.js');
  const { startLogCompaction } = await import('./engine/log-compaction.js');
  const { createOnceAnnouncer } = await import('./engine/tournaments/index.js');
  const consoleMode = !config.discord.token;
  // The console shares the terminal with the log: keep routine events out of the way there.
  const logger = createLogger({
    level: consoleMode && config.logLevel === 'info' ? 'warn' : config.logLevel,
  });
  logger.info('starting', {
    node: process.version,
    database: config.databaseUrl ? 'postgres' : 'embedded',
    matches: config.matchQueue,
  });
  const handle = await openEngine(config, logger, true);
  const stopCompaction = startLogCompaction(handle.engine.deps, {
    keepDays: config.storage.matchLogsKeepDays,
  });
  // Tournaments post through the Discord client once it is connected (to the log in the console).
  let discordClient: Client | null = null;
  let discord: DiscordService | null = null;
  const announcer = consoleMode
    ? // The console's user sees tournaments as a channel would show them, rendered for a terminal.
      createConsoleAnnouncer({
        write: (text) => process.stdout.write(`${text}\n`),
        filesDir: path.join(config.dataDir, 'console'),
      })
    : createDiscordTournamentAnnouncer(() => discordClient);
  // With several instances on one database, starts, results and cancellations are posted once.
  const tourneys = await tournaments(
    handle.engine,
    config,
    createOnceAnnouncer({ announcer, ledger: handle.engine.deps.repos.announcements, logger }),
  );
  const stopCollecting = startArtifactCollection(handle.engine.deps, 60 * 60_000);
  try {
    const dispatcher = createDispatcher(
      createCommands({ docsUrl: config.docsUrl, extra: [tourneys.command] }),
      createRateLimiter({
        submit: config.rateLimits.submitsPerHour,
        challenge: config.rateLimits.challengesPerHour,
      }),
    );
    if (consoleMode) {
      process.stderr.write(`Throwdown on Node ${process.version}. ${DISCORD_OFF}\n`);
      if (!shutdown.signal.aborted) await tourneys.start();
      const consoleDone = runConsole({
        dispatcher,
        engine: handle.engine,
        logger,
        input: process.stdin,
        output: process.stdout,
        filesDir: path.join(config.dataDir, 'console'),
        signal: shutdown.signal,
      });
      // /quit or end of input, or a signal: then stop, letting the command in progress end.
      await Promise.race([consoleDone, shutdown.requested]);
      await drain(tourneys, handle, logger);
      await consoleDone;
      process.stdin.destroy();
    } else {
      discord = await startDiscord({ config, dispatcher, engine: handle.engine, logger }).catch((error) => {
        throw error instanceof DiscordLoginError ? new CliError(error.message, 1) : error;
      });
      discordClient = discord.client;
      if (!shutdown.signal.aborted) await tourneys.start();
      const signal = await shutdown.requested;
      logger.info('stopping', { signal });
      // No new interactions; the ones in progress end with the sandbox work they wait for.
      const stopping = discord;
      discord = null;
      await Promise.all([stopping.stop(), drain(tourneys, handle, logger)]);
    }
  } finally {
    stopCompaction();
    stopCollecting();
    await tourneys.stop();
    await discord?.stop();
    await handle.close();
  }
  logger.info('stopped');
  // Stopped cleanly, whether asked by a signal or by /quit: that is success.
  process.exitCode = 0;
}

const stale = staleBuildWarning(projectRoot());
if (stale) process.stderr.write(`${stale}\n`);

await runProgram(
  {
    config: configOrThrow,
    openEngine: (config) => openEngine(config, createLogger({ level: 'warn' })),
    serve,
    worker,
    debug: process.env.THROWDOWN_DEBUG === '1',
  },
  process.argv,
);
