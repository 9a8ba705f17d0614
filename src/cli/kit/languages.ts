import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type BotInterface, C_FLAGS, RUST_FLAGS, shellLine } from './recipes.js';
import { RUST_COMMAND_TARGETS, RUST_COMPONENT_TARGETS } from './toolchains.js';

/**
 * What `throwdown new <language>` writes, per language. The bot's source is the repository's own
 * starter bot (bots/...), which `npm run build:bots` builds and the tests play, so a scaffold is
 * never a copy that can drift; the build script spells the compiler flags of recipes.ts.
 * Every scaffold builds `bot.wasm` from one command (./build.sh or npm run build).
 */

export interface ScaffoldContext {
  /** The Throwdown checkout (starter sources, WIT, package versions). */
  root: string;
  /** This throwdown, shell-quoted: the Node running it and bin/throwdown.js. */
  throwdown: { node: string; bin: string };
}

export interface Scaffold {
  /** Relative path -> contents. */
  files: Record<string, string>;
  /** Files to mark executable. */
  executable: string[];
  /** The build command(s), as the README says them. */
  build: string[];
  /** The main source file the author edits. */
  source: string;
}

export interface Language {
  name: string;
  title: string;
  aliases: readonly string[];
  interfaces: readonly BotInterface[];
  /** Which toolchain to look for before building (null: npm packages or throwdown only). */
  toolchain: 'c' | 'rust' | 'wat2wasm' | null;
  scaffold(iface: BotInterface, ctx: ScaffoldContext): Promise<Scaffold>;
}

const copy = (ctx: ScaffoldContext, file: string) => readFile(path.join(ctx.root, file), 'utf8');

/**
 * A POSIX shell function so build scripts find throwdown: $THROWDOWN, else the checkout that made
 * them with the Node it ran on (the project's own Node 26, whatever node is on PATH), else PATH.
 */
function throwdownFunction(ctx: ScaffoldContext): string {
  return `# The throwdown command line: $THROWDOWN, else the Throwdown checkout that created this
# folder, else \`throwdown\` on PATH (npm link in a checkout).
run_throwdown() {
  if [ -n "\${THROWDOWN:-}" ]; then $THROWDOWN "$@"
  elif [ -x ${ctx.throwdown.node} ] && [ -f ${ctx.throwdown.bin} ]; then ${ctx.throwdown.node} ${ctx.throwdown.bin} "$@"
  else throwdown "$@"
  fi
}`;
}

const HEADER = `#!/bin/sh
# Builds bot.wasm (see README.md). Run it from anywhere: ./build.sh
set -eu
cd "$(dirname "$0")"`;

/** Shell that sets RUSTC and TARGET to the first rustc having the standard library for one of the targets. */
const FIND_RUSTC = `# A rustc with the standard library for one of the targets given: $RUSTC, else every rustc on
# PATH, then /usr/bin/rustc (rustup's rustc may have no wasm targets; Debian's does).
find_rustc() {
  candidates=\${RUSTC:-"$(IFS=:; for d in $PATH; do [ -x "$d/rustc" ] && echo "$d/rustc"; done; echo /usr/bin/rustc)"}
  for candidate in $candidates; do
    for target in "$@"; do
      libdir=$("$candidate" --print target-libdir --target "$target" 2>/dev/null) || continue
      if ls "$libdir"/libstd-*.rlib >/dev/null 2>&1; then RUSTC=$candidate; TARGET=$target; return 0; fi
    done
  done
  echo "build.sh: no rustc with the standard library for $*." >&2
  echo "  Debian/Ubuntu: apt-get install rustc libstd-rust-dev-wasm32; rustup: rustup target add $1" >&2
  exit 1
}`;

function pinned(ctx: ScaffoldContext, names: string[]): Promise<Record<string, string>> {
  return copy(ctx, 'package.json').then((text) => {
    const pkg = JSON.parse(text) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    return Object.fromEntries(names.map((n) => [n, all[n] ?? 'latest']));
  });
}

function packageJson(name: string, build: string, devDependencies: Record<string, string>): string {
  return `${JSON.stringify({ name, private: true, type: 'module', scripts: { build }, devDependencies }, null, 2)}\n`;
}

const GITIGNORE = 'bot.wasm\ncore.wasm\nnode_modules/\n';

export const LANGUAGES: readonly Language[] = [
  {
    name: 'c',
    title: 'C',
    aliases: ['c'],
    interfaces: ['component', 'command'],
    toolchain: 'c',
    async scaffold(iface, ctx) {
      const compile =
        iface === 'component'
          ? `$CC ${shellLine([...C_FLAGS.component, '-o', 'core.wasm', 'bot.c'])}\nrun_throwdown componentize core.wasm -o bot.wasm`
          : `$CC ${shellLine([...C_FLAGS.command, '-o', 'bot.wasm', 'bot.c'])}`;
      return {
        files: {
          'bot.c': await copy(ctx, `bots/c/${iface}/frequency.c`),
          'build.sh': `${HEADER}
# C compiler for wasm32-wasi with wasi-libc: Debian/Ubuntu clang + wasi-libc, or wasi-sdk's clang.
CC=\${CC:-clang}
${iface === 'component' ? `${throwdownFunction(ctx)}\n` : ''}${compile}
echo "built bot.wasm"
`,
          '.gitignore': GITIGNORE,
        },
        executable: ['build.sh'],
        build: ['./build.sh'],
        source: 'bot.c',
      };
    },
  },
  {
    name: 'rust',
    title: 'Rust',
    aliases: ['rust', 'rs'],
    interfaces: ['component', 'command'],
    toolchain: 'rust',
    async scaffold(iface, ctx) {
      const targets = iface === 'component' ? RUST_COMPONENT_TARGETS : RUST_COMMAND_TARGETS;
      const out = iface === 'component' ? 'core.wasm' : 'bot.wasm';
      return {
        files: {
          'bot.rs': await copy(ctx, `bots/rust/${iface}/frequency.rs`),
          'build.sh': `${HEADER}
${FIND_RUSTC}
${iface === 'component' ? `${throwdownFunction(ctx)}\n` : ''}find_rustc ${targets.join(' ')}
"$RUSTC" --target "$TARGET" ${shellLine([...RUST_FLAGS[iface], '-o', out, 'bot.rs'])}
${iface === 'component' ? 'run_throwdown componentize core.wasm -o bot.wasm\n' : ''}echo "built bot.wasm ($TARGET, $RUSTC)"
`,
          '.gitignore': GITIGNORE,
        },
        executable: ['build.sh'],
        build: ['./build.sh'],
        source: 'bot.rs',
      };
    },
  },
  {
    name: 'wat',
    title: 'WAT (WebAssembly text)',
    aliases: ['wat', 'wasm'],
    interfaces: ['component', 'command'],
    toolchain: null,
    async scaffold(iface, ctx) {
      const build =
        iface === 'component'
          ? `${throwdownFunction(ctx)}\nrun_throwdown componentize bot.wat -o bot.wasm`
          : '# wat2wasm is in wabt (Debian/Ubuntu: apt-get install wabt; or npx wat2wasm from npm)\nwat2wasm bot.wat -o bot.wasm';
      return {
        files: {
          'bot.wat': await copy(ctx, `bots/wat/${iface}/frequency.wat`),
          'build.sh': `${HEADER}\n${build}\necho "built bot.wasm"\n`,
          '.gitignore': GITIGNORE,
        },
        executable: ['build.sh'],
        build: ['./build.sh'],
        source: 'bot.wat',
      };
    },
  },
  {
    name: 'assemblyscript',
    title: 'AssemblyScript',
    aliases: ['assemblyscript', 'as', 'ts'],
    interfaces: ['command'],
    toolchain: null,
    async scaffold(_iface, ctx) {
      const deps = await pinned(ctx, ['assemblyscript', '@assemblyscript/wasi-shim']);
      const build =
        'asc bot.ts --config ./node_modules/@assemblyscript/wasi-shim/asconfig.json -O3 --outFile bot.wasm';
      return {
        files: {
          'bot.ts': (await copy(ctx, 'bots/as/frequency.ts')).replace("from './lib/input'", "from './input'"),
          'input.ts': await copy(ctx, 'bots/as/lib/input.ts'),
          'package.json': packageJson('my-assemblyscript-bot', build, deps),
          '.gitignore': GITIGNORE,
        },
        executable: [],
        build: ['npm install', 'npm run build'],
        source: 'bot.ts',
      };
    },
  },
  {
    name: 'javascript',
    title: 'JavaScript',
    aliases: ['javascript', 'js'],
    interfaces: ['component'],
    toolchain: null,
    async scaffold(_iface, ctx) {
      const deps = await pinned(ctx, ['componentize-qjs']);
      const build =
        'componentize-qjs --wit wit/rps.wit --js bot.js --world player --stub-wasi --sync -o bot.wasm';
      return {
        files: {
          'bot.js': await copy(ctx, 'bots/js/frequency.js'),
          'wit/rps.wit': await copy(ctx, 'wit/rps.wit'),
          'package.json': packageJson('my-javascript-bot', build, deps),
          '.gitignore': GITIGNORE,
        },
        executable: [],
        build: ['npm install', 'npm run build'],
        source: 'bot.js',
      };
    },
  },
];

export const LANGUAGE_NAMES = LANGUAGES.map((l) => l.name);

export function findLanguage(name: string): Language | undefined {
  const key = name.toLowerCase();
  return LANGUAGES.find((l) => l.aliases.includes(key));
}
