import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config.js';
import { projectRoot } from '../sandbox/workers/paths.js';
import {
  botsCli,
  challengeCli,
  type EngineHandle,
  leaderboardCli,
  replayCli,
  submitCli,
} from './db-commands.js';
import { CliError } from './errors.js';
import { matchCommand, validateCommand } from './local-commands.js';
import { shutdown } from './shutdown.js';

/**
 * The `throwdown` command line: commander parses, the handlers do the work, and every
 * expected failure becomes one line on stderr and a non-zero exit code (1: the bot or match
 * failed, 2: bad usage). Unexpected errors print a short note and, with THROWDOWN_DEBUG=1,
 * the stack. `src/main.ts` supplies the configuration and the service wiring.
 */
function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

const io = { out: (text: string) => process.stdout.write(`${text}\n`) };

export interface ProgramDeps {
  /** Loads configuration; throws CliError when it is invalid. */
  config(): Config;
  /** Opens the database and sandbox behind the engine (for the commands that use the database). */
  openEngine(config: Config): Promise<EngineHandle>;
  /** Runs the service: Discord, or the local console without a token. */
  serve(config: Config): Promise<void>;
  debug: boolean;
}

export function buildProgram(deps: ProgramDeps): Command {
  const configOrExit = deps.config;
  const pkg = JSON.parse(readFileSync(`${projectRoot()}/package.json`, 'utf8')) as { version: string };
  const program = new Command('throwdown')
    .description(
      'Validate and play WebAssembly rock-paper-scissors bots locally, as the Throwdown server would.',
    )
    .version(pkg.version)
    .showHelpAfterError('(run `throwdown --help` for usage)');

  program
    .command('validate')
    .description('check a bot as /submit would: kind, size, imports, exports and a short test match')
    .argument('<bot.wasm>', 'the compiled bot')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      process.exitCode = await validateCommand(configOrExit(), file, options, io);
    });

  program
    .command('match')
    .description('play a match between two bots (a .wasm file or builtin:rock|cycle|random)')
    .argument('<botA>', 'seat 0: a .wasm file or builtin:NAME')
    .argument('<botB>', 'seat 1: a .wasm file or builtin:NAME')
    .option('-r, --rounds <n>', 'rounds to play (default 1000)', wholeNumber)
    .option('-m, --draw-margin <n>', 'points a win must exceed (default 2% of rounds)', wholeNumber)
    .option('-s, --seed <seed>', "seed for the bots' randomness; the same seed replays the same match")
    .option('--json', 'print the full match record as JSON (see docs/cli.md)')
    .action(async (a: string, b: string, options) => {
      process.exitCode = await matchCommand(configOrExit(), [a, b], options, io);
    });

  const open = async () => {
    const handle = await deps.openEngine(configOrExit());
    // Ctrl-C: the sandbox work in progress ends as "shutting down"; the command then closes
    // the database as usual (db-commands.ts), so nothing is left half-written.
    shutdown.onStop(() => handle.engine.deps.sandbox.close());
    return handle;
  };
  const guildOption = [
    '-g, --guild <id>',
    'guild (server) id; the console mode uses "local"',
    'local',
  ] as const;

  program
    .command('serve', { isDefault: true })
    .description(
      'run the service: the Discord bot, or the local console when DISCORD_TOKEN is unset (the default)',
    )
    .action(async () => {
      await deps.serve(configOrExit());
    });

  program
    .command('submit')
    .description('upload a bot into the database, exactly as /submit does')
    .argument('<bot.wasm>', 'the compiled bot')
    .requiredOption('--as <user>', 'the player who owns the bot')
    .option('-n, --name <name>', 'bot name (default: from the file name)')
    .option(...guildOption)
    .action(async (file: string, options) => {
      process.exitCode = await submitCli(open, file, options, io);
    });

  program
    .command('challenge')
    .description("play USER_A's bot against USER_B's, store the match and update ratings")
    .argument('<userA>', 'the challenger')
    .argument('<userB>', 'the opponent')
    .option('-r, --rounds <n>', 'rounds (default 1000)', wholeNumber)
    .option('--bot-a <name>', "which of USER_A's bots (default: their latest)")
    .option('--bot-b <name>', "which of USER_B's bots (default: their latest)")
    .option('-s, --seed <seed>', 'fix the seed (default: random)')
    .option(...guildOption)
    .action(async (a: string, b: string, options) => {
      process.exitCode = await challengeCli(open, [a, b], options, io);
    });

  program
    .command('leaderboard')
    .description('standings by conservative rating')
    .option('-p, --page <n>', 'page (25 bots a page)', wholeNumber)
    .option('--as <user>', "also show this player's rank")
    .option('--json', 'print JSON')
    .option(...guildOption)
    .action(async (options) => {
      process.exitCode = await leaderboardCli(open, options, io);
    });

  program
    .command('bots')
    .description('list the active bots and their current versions')
    .option(...guildOption)
    .action(async (options) => {
      process.exitCode = await botsCli(open, options, io);
    });

  program
    .command('replay')
    .description('re-run a stored match from its seed and bot versions and check the log is identical')
    .argument('<matchId>', 'match number', wholeNumber)
    .option('--json', 'print JSON')
    .action(async (matchId: number, options) => {
      process.exitCode = await replayCli(open, matchId, options, io);
    });

  return program;
}

export async function runProgram(deps: ProgramDeps, argv: string[]): Promise<void> {
  shutdown.install();
  try {
    await buildProgram(deps).parseAsync(argv);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`throwdown: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`throwdown: unexpected error: ${(error as Error)?.message ?? error}\n`);
    if (deps.debug) process.stderr.write(`${(error as Error)?.stack}\n`);
    else process.stderr.write('(this is a bug; run with THROWDOWN_DEBUG=1 for details)\n');
    process.exitCode = 70;
  } finally {
    // Interrupted and not finished: say so to scripts (the service ends with 0 once stopped cleanly).
    if (shutdown.signal.aborted && process.exitCode !== 0) process.exitCode = 130;
  }
}
