/**
 * Builds real guests for the host tests: core modules from WAT or AssemblyScript (through
 * @assemblyscript/wasi-shim), run under the preview1 host.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import asc from 'assemblyscript/asc';
import { runCommand } from '../../../src/sandbox/host/command.js';
import {
  createGuestContext,
  type GuestContext,
  type GuestContextOptions,
} from '../../../src/sandbox/host/context.js';

const WASI_SHIM_CONFIG = fileURLToPath(
  new URL('../../../node_modules/@assemblyscript/wasi-shim/asconfig.json', import.meta.url),
);

/** WAT text to a compiled module. */
export async function watModule(text: string): Promise<WebAssembly.Module> {
  return new WebAssembly.Module(await parse(text));
}

/** AssemblyScript source (a WASI command) to wasm bytes. */
export async function compileAssemblyScript(source: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'throwdown-as-'));
  try {
    const entry = join(dir, 'bot.ts');
    await writeFile(entry, source);
    let binary: Uint8Array | undefined;
    const { error, stderr } = await asc.main(
      // asc resolves the shim's `lib` against a config path given relative to the working directory.
      [
        entry,
        '--config',
        relative(process.cwd(), WASI_SHIM_CONFIG),
        '-O3',
        '--runtime',
        'stub',
        '-o',
        join(dir, 'bot.wasm'),
      ],
      {
        writeFile(name: string, contents: Uint8Array | string) {
          if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
        },
      },
    );
    if (error || binary === undefined) throw new Error(`asc failed: ${error?.message}\n${stderr.toString()}`);
    return binary;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function context(options: Partial<GuestContextOptions> = {}): GuestContext {
  return createGuestContext({ stdoutCap: 64 * 1024, stderrCap: 64 * 1024, rng: 'test-seed', ...options });
}

/** Runs a command module to completion; returns the exit code and what it printed. */
export function run(module: WebAssembly.Module, ctx: GuestContext = context()) {
  const { exitCode } = runCommand(module, ctx);
  return { exitCode, stdout: ctx.stdout.text(), stderr: ctx.stderr.text(), ctx };
}
