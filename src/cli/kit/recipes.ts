/**
 * The compiler flags that turn C and Rust into bots, in one place: the repository's starter bots
 * (scripts/bots/catalog.ts) are built with exactly these, and the build.sh of a scaffolded bot
 * (`throwdown new`) and the copy-paste commands of docs/bot-interface.md spell the same ones.
 *
 * Component bots are compiled to a core module exporting `play` with the canonical-ABI
 * signature (six i32 in, one i32 out) and nothing from WASI, then wrapped by
 * `throwdown componentize` (componentize.ts). Command bots are ordinary WASI preview1 programs.
 */

export type BotInterface = 'component' | 'command';

/**
 * C through clang and wasi-libc. `--strip-debug` drops the DWARF that wasi-libc's archive
 * carries (100 KB of a 130 KB bot) and keeps the name section, so a trap names the function.
 * Components: no C start files and no entry point (there is no `main`); the C library still
 * links for what it can do without WASI (string.h, malloc).
 */
export const C_FLAGS: Record<BotInterface, readonly string[]> = {
  command: ['--target=wasm32-wasi', '-O2', '-Wall', '-Wl,--strip-debug'],
  component: ['--target=wasm32-wasi', '-O2', '-Wall', '-nostartfiles', '-Wl,--no-entry', '-Wl,--strip-debug'],
};

/**
 * Rust through rustc alone (no cargo, no crates). Commands target WASI preview1; components
 * target wasm32-unknown-unknown, whose std (Vec, HashMap, format!) imports nothing, so the core
 * module needs no WASI adapter. `strip=debuginfo` keeps function names for trap messages.
 */
export const RUST_FLAGS: Record<BotInterface, readonly string[]> = {
  command: ['--edition', '2021', '-O', '-C', 'strip=debuginfo'],
  component: ['--edition', '2021', '-O', '--crate-type', 'cdylib', '-C', 'strip=debuginfo'],
};

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const shellLine = (words: readonly string[]) => words.map(shellQuote).join(' ');

/** `clang ... -o out source`, as a shell line with `$CC`-style overridable compiler. */
export function cCommandLine(iface: BotInterface, source: string, out: string, cc = 'clang'): string {
  return `${cc} ${shellLine([...C_FLAGS[iface], '-o', out, source])}`;
}

/** `rustc --target T ... -o out source`. */
export function rustCommandLine(
  iface: BotInterface,
  target: string,
  source: string,
  out: string,
  rustc = 'rustc',
): string {
  return `${rustc} ${shellLine(['--target', target, ...RUST_FLAGS[iface], '-o', out, source])}`;
}
