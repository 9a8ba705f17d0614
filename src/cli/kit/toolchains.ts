import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Finding the native compilers that make bots: clang with a WASI sysroot (wasi-libc) for C, and
 * a rustc that has the standard library for a wasm target. Nothing is hard-coded: a machine can
 * have several rustc (rustup's first on PATH without wasm targets, Debian's /usr/bin/rustc with
 * them), so every candidate is asked which targets it really has. The scaffolded build.sh files
 * do the same search in shell (recipes.ts), so the repository's build and an author's agree.
 */

const run = promisify(execFile);

export interface Found {
  /** The executable to run. */
  command: string;
  /** First line of `--version`: part of the build hash of everything it makes. */
  version: string;
}

export interface FoundRustc extends Found {
  /** The target name this rustc knows: wasm32-wasip1 (Rust >= 1.78) or wasm32-wasi (older). */
  target: string;
}

/** Why a toolchain was not found, with what to install. */
export interface Missing {
  missing: string;
}

export type Lookup<T> = T | Missing;

export const isMissing = <T>(x: Lookup<T>): x is Missing => (x as Missing).missing !== undefined;

/** Debian/Ubuntu packages that provide each toolchain (what .ci/run installs). */
export const DEBIAN_PACKAGES = {
  c: ['clang', 'lld', 'wasi-libc', 'libclang-rt-dev-wasm32'],
  rust: ['rustc', 'libstd-rust-dev-wasm32'],
} as const;

const INSTALL_HINT = {
  c: `install clang, lld and wasi-libc (Debian/Ubuntu: apt-get install ${DEBIAN_PACKAGES.c.join(' ')}; elsewhere: wasi-sdk, and set CC to its clang)`,
  rust: `install a rustc with the wasm targets (Debian/Ubuntu: apt-get install ${DEBIAN_PACKAGES.rust.join(' ')}; with rustup: rustup target add wasm32-wasip1 wasm32-unknown-unknown), or set RUSTC`,
} as const;

async function firstLine(command: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await run(command, args, { timeout: 20_000 });
    return stdout.split('\n')[0]?.trim() || null;
  } catch {
    return null;
  }
}

/** Every `name` on PATH, in PATH order (like `which -a`). */
function onPath(name: string, path: string | undefined): string[] {
  const found: string[] = [];
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (existsSync(file) && !found.includes(file)) found.push(file);
  }
  return found;
}

export interface LookupEnv {
  PATH?: string | undefined;
  CC?: string | undefined;
  RUSTC?: string | undefined;
}

/**
 * clang that can compile and link for wasm32-wasi: asks it where `crt1-command.o` (from
 * wasi-libc) and `wasm-ld` (from lld) are; a clang without them prints the bare name back.
 */
export async function findClang(env: LookupEnv = process.env): Promise<Lookup<Found>> {
  const candidates = env.CC ? [env.CC] : onPath('clang', env.PATH);
  for (const command of candidates) {
    const version = await firstLine(command, ['--version']);
    if (!version) continue;
    const crt = await firstLine(command, ['--target=wasm32-wasi', '-print-file-name=crt1-command.o']);
    const ld = await firstLine(command, ['--target=wasm32-wasi', '-print-prog-name=wasm-ld']);
    if (crt?.startsWith('/') && existsSync(crt) && ld?.startsWith('/') && existsSync(ld)) {
      return { command, version };
    }
  }
  return {
    missing: candidates.length
      ? `clang cannot build for wasm32-wasi here (no wasi-libc or no wasm-ld): ${INSTALL_HINT.c}`
      : `no clang found: ${INSTALL_HINT.c}`,
  };
}

/** Does `rustc` have the standard library for `target`? (the target's lib folder holds libstd) */
async function hasTarget(rustc: string, target: string): Promise<boolean> {
  const dir = await firstLine(rustc, ['--print', 'target-libdir', '--target', target]);
  if (!dir || !existsSync(dir)) return false;
  try {
    return readdirSync(dir).some((f) => f.startsWith('libstd-') && f.endsWith('.rlib'));
  } catch {
    return false;
  }
}

/** Rust's names for the WASI preview1 target: the new one first (renamed in Rust 1.78). */
export const RUST_COMMAND_TARGETS = ['wasm32-wasip1', 'wasm32-wasi'] as const;
/** Component bots are built for the target without WASI: std works, and nothing is imported. */
export const RUST_COMPONENT_TARGETS = ['wasm32-unknown-unknown'] as const;

/** Candidates in order: $RUSTC, every rustc on PATH, then Debian's /usr/bin/rustc. */
function rustcCandidates(env: LookupEnv): string[] {
  if (env.RUSTC) return [env.RUSTC];
  const list = onPath('rustc', env.PATH);
  if (existsSync('/usr/bin/rustc') && !list.includes('/usr/bin/rustc')) list.push('/usr/bin/rustc');
  return list;
}

/** The first rustc that has one of `targets`. */
export async function findRustc(
  kind: 'command' | 'component',
  env: LookupEnv = process.env,
): Promise<Lookup<FoundRustc>> {
  const targets = kind === 'command' ? RUST_COMMAND_TARGETS : RUST_COMPONENT_TARGETS;
  const candidates = rustcCandidates(env);
  for (const command of candidates) {
    const version = await firstLine(command, ['--version']);
    if (!version) continue;
    for (const target of targets) {
      if (await hasTarget(command, target)) return { command, version, target };
    }
  }
  return {
    missing: candidates.length
      ? `no rustc here has the standard library for ${targets.join(' or ')}: ${INSTALL_HINT.rust}`
      : `no rustc found: ${INSTALL_HINT.rust}`,
  };
}
