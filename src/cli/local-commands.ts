import type { Config } from '../config.js';
import { dataPaths } from '../config.js';
import { newSeed } from '../engine/seeds.js';
import { checkRules, makeRules } from '../games/rps.js';
import { createSandbox } from '../sandbox/sandbox.js';
import { loadBotArg } from './bot-file.js';
import { CliError, usageError } from './errors.js';
import { formatMatch, formatRejection, formatReport, formatTrace } from './format.js';
import { matchToJson } from './match-json.js';
import { shutdown } from './shutdown.js';

/** `throwdown validate` and `throwdown match`: work on local files, no database. */

export interface Output {
  out(text: string): void;
}

export function localSandbox(config: Config, workers = 1) {
  const sandbox = createSandbox({
    artifactsDir: dataPaths(config).artifacts,
    workers,
    limits: config.sandbox.limits,
    smokeRounds: config.sandbox.smokeRounds,
  });
  // Ctrl-C: the match or check in progress ends as "shutting down", and the command returns.
  shutdown.onStop(() => sandbox.close());
  return sandbox;
}

export async function validateCommand(
  config: Config,
  file: string,
  options: { json?: boolean },
  io: Output,
): Promise<number> {
  const bot = await loadBotArg(file);
  if (!bot.bytes) throw usageError('validate needs a .wasm file, not a built-in bot');
  const sandbox = localSandbox(config);
  try {
    const result = await sandbox.check(bot.bytes);
    if (options.json) {
      io.out(
        JSON.stringify(
          result.ok ? { accepted: true, report: result.value } : { accepted: false, rejection: result.error },
          null,
          2,
        ),
      );
    } else {
      io.out(result.ok ? formatReport(file, result.value) : formatRejection(file, result.error));
    }
    return result.ok ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}

export interface MatchOptions {
  rounds?: number;
  drawMargin?: number;
  seed?: string;
  json?: boolean;
  /** Round by round: each bot's move and fuel, then what each wrote to stderr. */
  trace?: boolean;
}

export async function matchCommand(
  config: Config,
  files: [string, string],
  options: MatchOptions,
  io: Output,
): Promise<number> {
  const rules = makeRules({ rounds: options.rounds, drawMargin: options.drawMargin });
  const problem = checkRules(rules);
  if (problem) throw usageError(problem.message);
  const bots = await Promise.all(files.map(loadBotArg));
  const sandbox = localSandbox(config);
  try {
    const result = await sandbox.play({
      seed: options.seed ?? newSeed(),
      rules,
      bots: [bots[0]!.source, bots[1]!.source],
    });
    if (!result.ok) {
      const failure = result.error;
      if (failure.code === 'rejected') {
        throw new CliError(`${files[failure.seat]} was rejected: ${failure.rejection.message}`);
      }
      throw new CliError(`the match could not be played: ${failure.message}`);
    }
    if (options.json) io.out(JSON.stringify(matchToJson(result.value, files), null, 2));
    else if (options.trace) io.out(`${formatTrace(result.value)}\n\n${formatMatch(result.value)}`);
    else io.out(formatMatch(result.value));
    return 0;
  } finally {
    await sandbox.close();
  }
}
