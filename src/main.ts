import { CliError } from './cli/errors.js';
import { runProgram } from './cli/program.js';
import { type Config, loadConfig, loadEnvFile } from './config.js';

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

await runProgram({ config: configOrThrow, debug: process.env.THROWDOWN_DEBUG === '1' }, process.argv);
