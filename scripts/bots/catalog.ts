import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Target } from './build.js';
import {
  assemblyScriptToCommand,
  combinedWit,
  javaScriptToComponent,
  watToComponent,
  watToWasm,
} from './compile.js';
import type { BotEntry, Strategy } from './manifest.js';

/**
 * The repository's own bots: every strategy in at least one interface, both interfaces with
 * several strategies, one target per output file. File names say strategy and flavour:
 *   <strategy>.component.wasm    WAT component (world `player`)
 *   <strategy>.wat-command.wasm  WAT preview1 command
 *   <strategy>.command.wasm      AssemblyScript preview1 command (Snippy style)
 *   <strategy>.js.wasm           JavaScript component (componentize-qjs)
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

export function botTargets(): Target<BotEntry>[] {
  return [
    ...ALL.map(watComponent),
    ...(['rock', 'cycle'] as const).map(watCommand),
    ...ALL.map(asCommand),
    ...ALL.map(jsComponent),
  ];
}
