import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config.js';
import { projectRoot } from '../sandbox/workers/paths.js';
import { CliError } from './errors.js';
import { matchCommand, validateCommand } from './local-commands.js';

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

  return program;
}

export async function runProgram(deps: ProgramDeps, argv: string[]): Promise<void> {
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
  }
}
