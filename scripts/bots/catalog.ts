import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BotInterface } from '../../src/cli/kit/recipes.js';
import { type FoundRustc, isMissing } from '../../src/cli/kit/toolchains.js';
import type { Target } from './build.js';
import {
  assemblyScriptToCommand,
  combinedWit,
  javaScriptToComponent,
  watToComponent,
  watToWasm,
} from './compile.js';
import type { BotEntry, Strategy } from './manifest.js';
import { cToWasm, type NativeToolchains, rustToWasm } from './native.js';

/**
 * The repository's own bots: every strategy in at least one interface, both interfaces with
 * several strategies, one target per output file. File names say strategy and flavour:
 *   <strategy>.component.wasm    WAT component (world `player`)
 *   <strategy>.wat-command.wasm  WAT preview1 command
 *   <strategy>.command.wasm      AssemblyScript preview1 command (Snippy style)
 *   <strategy>.js.wasm           JavaScript component (componentize-qjs)
 *   <strategy>.c.wasm            C component (clang, then componentize)
 *   <strategy>.c-command.wasm    C preview1 command (clang + wasi-libc)
 *   <strategy>.rust.wasm         Rust component (rustc for wasm32-unknown-unknown, then componentize)
 *   <strategy>.rust-command.wasm Rust preview1 command (rustc for wasm32-wasip1)
 * The C and Rust bots are built only where their compilers are installed (native.ts).
 */

const RPS_WIT = 'wit/rps.wit';
const EXTRAS_WIT = 'bots/wit/extras.wit';
const AS_LIB = ['bots/as/lib/input.ts', 'node_modules/@assemblyscript/wasi-shim/asconfig.json'];

/** The world each random bot needs: `player` plus wasi:random/random. */
const RANDOM_WORLD = 'throwdown:bots/player-random';

const DESCRIPTIONS: Record<Strategy, string> = {
  rock: 'Always plays rock.',
  random: "Plays uniformly at random from the host's seeded randomness.",
  cycle: 'Plays rock, paper, scissors in turn.',
  beatlast: "Plays what beats the opponent's previous hand (paper first).",
  frequency: "Plays what beats the opponent's most frequent hand so far (paper first).",
};

const read = (root: string, file: string) => readFile(join(root, file), 'utf8');

function watComponent(strategy: Strategy): Target<BotEntry> {
  const source = `bots/wat/component/${strategy}.wat`;
  const world = strategy === 'random' ? RANDOM_WORLD : 'player';
  return {
    entry: {
      file: `${strategy}.component.wasm`,
      name: `${strategy}.component`,
      kind: 'component',
      language: 'wat',
      strategy,
      source,
      description: DESCRIPTIONS[strategy],
    },
    inputs: [source, RPS_WIT, EXTRAS_WIT],
    recipe: { tool: 'wat-component', world },
    build: async ({ root }) =>
      watToComponent(await read(root, source), await combinedWit(root, [EXTRAS_WIT]), world),
  };
}

function watCommand(strategy: Strategy): Target<BotEntry> {
  const source = `bots/wat/command/${strategy}.wat`;
  return {
    entry: {
      file: `${strategy}.wat-command.wasm`,
      name: `${strategy}.wat-command`,
      kind: 'command',
      language: 'wat',
      strategy,
      source,
      description: DESCRIPTIONS[strategy],
    },
    inputs: [source],
    recipe: { tool: 'wat-command' },
    build: async ({ root }) => watToWasm(await read(root, source)),
  };
}

function asCommand(strategy: Strategy): Target<BotEntry> {
  const source = `bots/as/${strategy}.ts`;
  return {
    entry: {
      file: `${strategy}.command.wasm`,
      name: `${strategy}.command`,
      kind: 'command',
      language: 'assemblyscript',
      strategy,
      source,
      description: DESCRIPTIONS[strategy],
    },
    inputs: [source, ...AS_LIB],
    recipe: { tool: 'assemblyscript' },
    build: ({ root }) => assemblyScriptToCommand(root, source),
  };
}

function jsComponent(strategy: Strategy): Target<BotEntry> {
  const source = `bots/js/${strategy}.js`;
  // Only the random bot needs WASI (for wasi:random); the others stub it so that they import
  // nothing but our own world.
  const options =
    strategy === 'random' ? { world: RANDOM_WORLD, stubWasi: false } : { world: 'player', stubWasi: true };
  return {
    entry: {
      file: `${strategy}.js.wasm`,
      name: `${strategy}.js`,
      kind: 'component',
      language: 'javascript',
      strategy,
      source,
      description: DESCRIPTIONS[strategy],
    },
    inputs: [source, RPS_WIT, EXTRAS_WIT],
    recipe: { tool: 'componentize-qjs', ...options },
    build: async ({ root }) =>
      javaScriptToComponent(await read(root, source), await combinedWit(root, [EXTRAS_WIT]), options),
  };
}

const ALL: readonly Strategy[] = ['rock', 'random', 'cycle', 'beatlast', 'frequency'];

/** A C or Rust starter bot: bots/<lang>/<interface>/<strategy>.<ext>. */
function nativeBot(
  language: 'c' | 'rust',
  iface: BotInterface,
  strategy: Strategy,
  native: NativeToolchains,
): Target<BotEntry> | null {
  const toolchain =
    language === 'c' ? native.c : iface === 'command' ? native.rustCommand : native.rustComponent;
  if (isMissing(toolchain)) return null;
  const source = `bots/${language}/${iface}/${strategy}.${language === 'c' ? 'c' : 'rs'}`;
  const suffix = iface === 'component' ? language : `${language}-command`;
  return {
    entry: {
      file: `${strategy}.${suffix}.wasm`,
      name: `${strategy}.${suffix}`,
      kind: iface,
      language,
      strategy,
      source,
      description: DESCRIPTIONS[strategy],
    },
    inputs: [source, RPS_WIT, EXTRAS_WIT],
    // The compiler's version decides the output, so it is part of the hash.
    recipe: {
      tool: language === 'c' ? 'clang' : 'rustc',
      iface,
      version: toolchain.version,
      target: language === 'rust' ? (toolchain as FoundRustc).target : 'wasm32-wasi',
    },
    build: async ({ root }) => {
      const wit = await combinedWit(root, [EXTRAS_WIT]);
      return language === 'rust'
        ? rustToWasm(toolchain as FoundRustc, iface, join(root, source), wit)
        : cToWasm(toolchain, iface, join(root, source), wit);
    },
  };
}

/** The C and Rust starters: both interfaces in each language. */
const NATIVE: ReadonlyArray<[language: 'c' | 'rust', iface: BotInterface, strategy: Strategy]> = [
  ['c', 'component', 'frequency'],
  ['c', 'component', 'random'],
  ['c', 'command', 'frequency'],
  ['rust', 'component', 'frequency'],
  ['rust', 'component', 'beatlast'],
  ['rust', 'command', 'frequency'],
];

/**
 * Every bot of the repository. `native` says which compilers this machine has; the C and Rust
 * bots whose compiler is missing are left out (build-bots.ts says so, or fails when required).
 */
export function botTargets(native: NativeToolchains): Target<BotEntry>[] {
  return [
    ...ALL.map(watComponent),
    ...(['rock', 'cycle', 'frequency'] as const).map(watCommand),
    ...ALL.map(asCommand),
    ...ALL.map(jsComponent),
    ...NATIVE.flatMap(([language, iface, strategy]) => nativeBot(language, iface, strategy, native) ?? []),
  ];
}
