import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config.js';
import { FORMAT_NAMES } from '../engine/formats/index.js';
import { projectRoot } from '../sandbox/workers/paths.js';
import type { EngineHandle } from './db-commands.js';
import { CliError } from './errors.js';
import { LANGUAGE_NAMES } from './kit/languages.js';
import type { Output } from './local-commands.js';
import { shutdown } from './shutdown.js';
import { terminalSafe } from './terminal.js';

/**
 * The `throwdown` command line, behaving like a Unix tool: commander parses, the handlers do
 * the work, and every expected failure is one line on stderr starting `throwdown:` with an exit
 * code (1: the bot, match or operation failed; 2: bad usage, including commander's own
 * complaints). Unexpected errors (bugs) exit 70 with a short note and, with THROWDOWN_DEBUG=1,
 * the stack. Output cut short by the reader (`--json | head`) ends quietly. `src/main.ts`
 * supplies the configuration and the service wiring.
 *
 * Each command's handler is imported when the command runs, so that `--help` and the light
 * commands do not load the sandbox, the database and the engine first.
 */
/** wit/rps.wit, or with --random the same plus bots/wit/extras.wit (what componentize embeds). */
async function witText(random: boolean): Promise<string> {
  if (random) return (await import('./kit/componentize.js')).playerWit(projectRoot());
  return readFile(`${projectRoot()}/wit/rps.wit`, 'utf8');
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/** stdout, which stops writing (without an error) once the reader has gone away. */
function stdoutOutput(): Output {
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    out: (text: string) => {
      if (!closed) process.stdout.write(`${terminalSafe(text)}\n`);
    },
  };
}

export interface ProgramDeps {
  /** Loads configuration; throws CliError when it is invalid. */
  config(): Config;
  /** Opens the database and sandbox behind the engine (for the commands that use the database). */
  openEngine(config: Config): Promise<EngineHandle>;
  /** Runs the service: Discord, or the local console without a token. */
  serve(config: Config): Promise<void>;
  /** `throwdown worker`: plays match jobs from the queue (or prints its status) until stopped. */
  worker(config: Config, options: { status?: boolean }, io: Output): Promise<number>;
  debug: boolean;
}

export function buildProgram(deps: ProgramDeps, io: Output = stdoutOutput()): Command {
  const configOrExit = deps.config;
  const pkg = JSON.parse(readFileSync(`${projectRoot()}/package.json`, 'utf8')) as { version: string };
  const program = new Command('throwdown')
    .description(
      'Write, check and play WebAssembly rock-paper-scissors bots locally, as the Throwdown server would; or run the server.',
    )
    .version(pkg.version)
    // Errors come back to runProgram as exceptions; it prints them as one line.
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  program
    .command('validate')
    .description('check a bot as /submit would: kind, size, imports, exports and a short test match')
    .argument('<bot.wasm>', 'the compiled bot')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const { validateCommand } = await import('./local-commands.js');
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
    .option('--trace', "round by round: each bot's move and fuel, then its stderr")
    .option('--json', 'print the full match record as JSON (see docs/cli.md)')
    .action(async (a: string, b: string, options) => {
      const { matchCommand } = await import('./local-commands.js');
      process.exitCode = await matchCommand(configOrExit(), [a, b], options, io);
    });

  program
    .command('tournament')
    .description("play a local tournament between bots with the server's formats, seeds and limits")
    .argument('<bots...>', 'two or more .wasm files or builtin:NAME')
    .addOption(
      new Option('-f, --format <format>', 'tournament format').choices(FORMAT_NAMES).default('round-robin'),
    )
    .option('-r, --rounds <n>', 'rounds per match (default 1000)', wholeNumber)
    .option('-s, --seed <seed>', 'tournament seed; the same seed and bots replay the same tournament')
    .option('--json', 'print standings, per-bot fuel, time and faults, and every match as JSON')
    .action(async (files: string[], options) => {
      const { tournamentCommand } = await import('./tournament.js');
      process.exitCode = await tournamentCommand(configOrExit(), files, options, io);
    });

  program
    .command('new')
    .description('create a bot project: source with a strategy that beats rock, build script, README')
    .argument('<language>', LANGUAGE_NAMES.join(', '))
    .argument('[dir]', 'folder to create (default: <language>-bot)')
    .addOption(
      new Option(
        '-i, --interface <kind>',
        'component or command (default: the language’s usual one)',
      ).choices(['component', 'command']),
    )
    .action(async (language: string, dir: string | undefined, options: { interface?: string }) => {
      const { newCommand } = await import('./kit/scaffold.js');
      process.exitCode = await newCommand(language, dir, options, io);
    });

  program
    .command('componentize')
    .description('turn a core module (or WAT) exporting play into a component bot: embeds wit/rps.wit')
    .argument('<core.wasm>', 'a core module exporting play(i32 x6) -> i32, or its WAT text')
    .requiredOption('-o, --output <bot.wasm>', 'where to write the component')
    .action(async (file: string, options: { output: string }) => {
      const { componentizeCommand } = await import('./kit/componentize-command.js');
      process.exitCode = await componentizeCommand(file, options, io);
    });

  program
    .command('wit')
    .description('print the WIT world of component bots (wit/rps.wit), for toolchains that read WIT')
    .option('--random', 'print it with the player-random world (player + wasi:random/random)')
    .action(async (options: { random?: boolean }) => {
      io.out((await witText(options.random === true)).trimEnd());
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
    .command('serve')
    .description(
      'run the service: the Discord bot, or the local console when DISCORD_TOKEN is unset (what `throwdown` alone does)',
    )
    .action(async () => {
      await deps.serve(configOrExit());
    });

  program
    .command('worker')
    .description(
      'play match jobs from the queue on this machine and store their results (needs DATABASE_URL; no Discord token)',
    )
    .option('--status', 'print each queue: jobs waiting, jobs held, how long they have waited')
    .action(async (options: { status?: boolean }) => {
      process.exitCode = await deps.worker(configOrExit(), options, io);
    });

  program
    .command('submit')
    .description('upload a bot into the database, exactly as /submit does')
    .argument('<bot.wasm>', 'the compiled bot')
    .requiredOption('--as <user>', 'the player who owns the bot')
    .option('-n, --name <name>', 'bot name (default: from the file name)')
    .option(...guildOption)
    .action(async (file: string, options) => {
      const { submitCli } = await import('./db-commands.js');
      process.exitCode = await submitCli(open, file, options, io);
    });

  program
    .command('challenge')
    .description("play USER_A's bot against USER_B's as /challenge does: store the match and update ratings")
    .argument('<userA>', 'the challenger')
    .argument('<userB>', 'the opponent')
    .option('-r, --rounds <n>', 'rounds (default 1000, as /challenge: 1 to 10000)', wholeNumber)
    .option('--bot-a <name>', "which of USER_A's bots (default: their latest)")
    .option('--bot-b <name>', "which of USER_B's bots (default: their latest)")
    .option('-s, --seed <seed>', 'fix the seed (default: random)')
    .option(...guildOption)
    .action(async (a: string, b: string, options) => {
      const { challengeCli } = await import('./db-commands.js');
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
      const { leaderboardCli } = await import('./db-commands.js');
      process.exitCode = await leaderboardCli(open, options, io);
    });

  program
    .command('bots')
    .description('list the active bots and their current versions')
    .option(...guildOption)
    .action(async (options) => {
      const { botsCli } = await import('./db-commands.js');
      process.exitCode = await botsCli(open, options, io);
    });

  program
    .command('replay')
    .description('re-run a stored match from its seed and bot versions and check the log is identical')
    .argument('<matchId>', 'match number', wholeNumber)
    .option('--json', 'print JSON')
    .action(async (matchId: number, options) => {
      const { replayCli } = await import('./db-commands.js');
      process.exitCode = await replayCli(open, matchId, options, io);
    });

  return program;
}

/** The subcommand named in argv, if any: for the "see --help" hint. */
function commandIn(program: Command, args: readonly string[]): Command | null {
  const name = args.find((a) => !a.startsWith('-'));
  return program.commands.find((c) => c.name() === name) ?? null;
}

/** commander's message as our one line: no "error: " prefix, one sentence, the help to read. */
function usageLine(error: CommanderError, command: Command | null): string {
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\.?\n.*$/s, '')
    .replace(/\.$/, '');
  return `${message} (see 'throwdown ${command ? `${command.name()} ` : ''}--help')`;
}

export async function runProgram(deps: ProgramDeps, argv: string[]): Promise<void> {
  shutdown.install();
  const program = buildProgram(deps);
  const args = argv.slice(2);
  try {
    // No arguments at all runs the service; anything else must name a command. (serve is not
    // commander's default command, so a typo is "unknown command", not an argument to serve.)
    await program.parseAsync(args.length === 0 ? [...argv, 'serve'] : argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version and `help` exit 0 after printing; help shown for a missing command is usage.
      if (error.exitCode === 0) return;
      if (error.message !== '(outputHelp)')
        process.stderr.write(`throwdown: ${usageLine(error, commandIn(program, args))}\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`throwdown: ${terminalSafe(error.message)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(
      `throwdown: unexpected error: ${terminalSafe(String((error as Error)?.message ?? error))}\n`,
    );
    if (deps.debug) process.stderr.write(`${(error as Error)?.stack}\n`);
    else process.stderr.write('(this is a bug; run with THROWDOWN_DEBUG=1 for details)\n');
    process.exitCode = 70;
  } finally {
    // Interrupted and not finished: say so to scripts (the service ends with 0 once stopped cleanly).
    if (shutdown.signal.aborted && process.exitCode !== 0) process.exitCode = 130;
  }
}
