import { readFile, stat, writeFile } from 'node:fs/promises';
import { projectRoot } from '../../sandbox/workers/paths.js';
import { CliError, usageError } from '../errors.js';
import type { Output } from '../local-commands.js';
import { componentize, playerWit } from './componentize.js';

/** `throwdown componentize core.wasm -o bot.wasm` (componentize.ts does the work). */
export async function componentizeCommand(
  file: string,
  options: { output: string },
  io: Output,
): Promise<number> {
  let input: Uint8Array;
  try {
    if ((await stat(file)).isDirectory()) throw usageError(`${file} is a directory, not a .wasm file`);
    input = new Uint8Array(await readFile(file));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw usageError(`${file}: no such file`);
  }
  const result = await componentize(input, await playerWit(projectRoot()));
  if (!result.ok) throw new CliError(`${file}: ${result.error}`);
  await writeFile(options.output, result.value);
  io.out(
    `${options.output}: a component bot exporting play (${result.value.length} bytes). Check it with: throwdown validate ${options.output}`,
  );
  return 0;
}
