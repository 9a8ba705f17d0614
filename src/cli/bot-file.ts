import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../sandbox/prepare/artifact.js';
import { type BotSource, BUILTIN_STRATEGIES, type BuiltinStrategy } from '../sandbox/types.js';
import { usageError } from './errors.js';

export interface LoadedBotArg {
  source: BotSource;
  /** The path as given, or "builtin:NAME". */
  label: string;
  bytes: Uint8Array | null;
}

/** Reads a bot argument: a .wasm path, or `builtin:rock|cycle|random` for a reference opponent. */
export async function loadBotArg(arg: string): Promise<LoadedBotArg> {
  if (arg.startsWith('builtin:')) {
    const strategy = arg.slice('builtin:'.length);
    if (!(BUILTIN_STRATEGIES as readonly string[]).includes(strategy)) {
      throw usageError(`unknown built-in bot "${strategy}"; choose one of ${BUILTIN_STRATEGIES.join(', ')}`);
    }
    return {
      label: arg,
      bytes: null,
      source: { kind: 'builtin', name: arg, strategy: strategy as BuiltinStrategy },
    };
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(arg);
  } catch {
    throw usageError(`${arg}: no such file`);
  }
  if (info.isDirectory()) throw usageError(`${arg} is a directory, not a .wasm file`);
  const bytes = new Uint8Array(await readFile(arg));
  const name = path.basename(arg).replace(/\.wasm$/, '');
  return {
    label: arg,
    bytes,
    source: { kind: 'wasm', name, sha256: sha256Hex(bytes), bytes: async () => bytes },
  };
}
