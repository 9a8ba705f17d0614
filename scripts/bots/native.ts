import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { componentize } from '../../src/cli/kit/componentize.js';
import { type BotInterface, C_FLAGS, RUST_FLAGS } from '../../src/cli/kit/recipes.js';
import {
  type Found,
  type FoundRustc,
  findClang,
  findRustc,
  isMissing,
  type Lookup,
} from '../../src/cli/kit/toolchains.js';

/**
 * The native toolchains (clang + wasi-libc, rustc with wasm targets) for the C and Rust starter
 * bots. Unlike the npm toolchains they may be absent: the build then skips those bots and says
 * why, unless the caller requires them (CI does, through THROWDOWN_REQUIRE_TOOLCHAINS=1).
 */

const run = promisify(execFile);

export interface NativeToolchains {
  c: Lookup<Found>;
  rustCommand: Lookup<FoundRustc>;
  rustComponent: Lookup<FoundRustc>;
}

let detected: Promise<NativeToolchains> | null = null;

/** Looks once per process (a few compiler invocations, well under a second). */
export function detectNative(): Promise<NativeToolchains> {
  detected ??= (async () => {
    const [c, rustCommand, rustComponent] = await Promise.all([
      findClang(),
      findRustc('command'),
      findRustc('component'),
    ]);
    return { c, rustCommand, rustComponent };
  })();
  return detected;
}

/** One line per missing toolchain; empty when everything is there. */
export function missingNative(native: NativeToolchains): string[] {
  const lines: string[] = [];
  if (isMissing(native.c)) lines.push(`C bots: ${native.c.missing}`);
  if (isMissing(native.rustCommand)) lines.push(`Rust command bots: ${native.rustCommand.missing}`);
  if (isMissing(native.rustComponent)) lines.push(`Rust component bots: ${native.rustComponent.missing}`);
  return lines;
}

async function compileTo(command: string, args: (out: string) => string[]): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'throwdown-native-'));
  try {
    const out = join(dir, 'out.wasm');
    try {
      await run(command, args(out), { timeout: 120_000, maxBuffer: 4 << 20 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`${command} failed: ${e.stderr?.trim() || e.message}`);
    }
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function toComponent(core: Uint8Array, witSource: string): Promise<Uint8Array> {
  const result = await componentize(core, witSource);
  if (!result.ok) throw new Error(`componentize: ${result.error}`);
  return result.value;
}

export async function cToWasm(
  clang: Found,
  iface: BotInterface,
  sourcePath: string,
  witSource: string,
): Promise<Uint8Array> {
  const bytes = await compileTo(clang.command, (out) => [...C_FLAGS[iface], '-o', out, sourcePath]);
  return iface === 'component' ? toComponent(bytes, witSource) : bytes;
}

export async function rustToWasm(
  rustc: FoundRustc,
  iface: BotInterface,
  sourcePath: string,
  witSource: string,
): Promise<Uint8Array> {
  const bytes = await compileTo(rustc.command, (out) => [
    '--target',
    rustc.target,
    ...RUST_FLAGS[iface],
    '-o',
    out,
    sourcePath,
  ]);
  return iface === 'component' ? toComponent(bytes, witSource) : bytes;
}
