import { splitInterfaceName, type WorldSummary } from '../component/world-text.js';
import type { Rejection } from '../types.js';

/**
 * Component bots must export `play` from the throwdown:rps `player` world and may import only
 * what the host provides in memory: WASI 0.2 cli/io/clocks/random/filesystem (with no
 * preopens) and throwdown:rps's own interfaces. Network interfaces are refused by name.
 */
const ALLOWED: Record<string, ReadonlySet<string>> = {
  'wasi:cli': new Set([
    'environment',
    'exit',
    'stdin',
    'stdout',
    'stderr',
    'terminal-input',
    'terminal-output',
    'terminal-stdin',
    'terminal-stdout',
    'terminal-stderr',
  ]),
  'wasi:io': new Set(['error', 'poll', 'streams']),
  'wasi:clocks': new Set(['wall-clock', 'monotonic-clock']),
  'wasi:random': new Set(['random', 'insecure', 'insecure-seed']),
  'wasi:filesystem': new Set(['types', 'preopens']),
  'throwdown:rps': new Set(['arena', 'types']),
};
const NETWORK_PACKAGES = new Set(['wasi:sockets', 'wasi:http']);

export const PLAY_SIGNATURE = /^func\([a-z][a-z0-9-]*: round-state\) -> hand$/;
const TYPES_USE = /^throwdown:rps\/types@0\.1\.\d+\.\{(.*)\}$/;

function versionProblem(pkg: string, version: string | null): string | null {
  if (pkg.startsWith('wasi:')) {
    if (version === null || /^0\.2\./.test(version)) return null;
    return `WASI ${version}; the host provides WASI 0.2`;
  }
  if (version === null || /^0\.1\./.test(version)) return null;
  return `version ${version}; the host provides throwdown:rps 0.1`;
}

export function checkComponentWorld(world: WorldSummary): Rejection | null {
  for (const item of world.imports) {
    const parsed = splitInterfaceName(item.name);
    if (!parsed) {
      return {
        code: 'unknown-import',
        message: `It imports \`${item.name}\`${item.signature ? ` (${item.signature})` : ''}, which Throwdown does not provide. Component bots may import only WASI 0.2 cli, io, clocks, random and filesystem, and throwdown:rps/arena.`,
      };
    }
    if (NETWORK_PACKAGES.has(parsed.pkg)) {
      return { code: 'forbidden-import', message: `It imports ${item.name}: bots may not use the network.` };
    }
    if (!ALLOWED[parsed.pkg]?.has(parsed.iface)) {
      return {
        code: 'unknown-import',
        message: `It imports ${item.name}, which Throwdown does not provide. Component bots may import only WASI 0.2 cli, io, clocks, random and filesystem, and throwdown:rps/arena.`,
      };
    }
    const problem = versionProblem(parsed.pkg, parsed.version);
    if (problem) return { code: 'unknown-import', message: `It imports ${item.name}, which is ${problem}.` };
  }

  const play = world.exports.find((e) => e.name === 'play');
  if (!play) {
    const isCommand = world.exports.some((e) => e.name.startsWith('wasi:cli/run@'));
    return {
      code: 'wrong-exports',
      message: isCommand
        ? 'It is a WASI command component (it exports wasi:cli/run). Throwdown runs command bots as WASI preview1 modules: build for wasm32-wasip1 instead, or export `play` from the throwdown:rps `player` world.'
        : 'It does not export `play`. Component bots must target the `player` world of wit/rps.wit (throwdown:rps@0.1.0).',
    };
  }
  const usesOurTypes = world.uses.some((u) => {
    const m = TYPES_USE.exec(u);
    if (!m) return false;
    const names = (m[1] ?? '').split(',').map((s) => s.trim());
    return names.includes('hand') && names.includes('round-state');
  });
  if (!play.signature || !PLAY_SIGNATURE.test(play.signature) || !usesOurTypes) {
    return {
      code: 'wrong-signature',
      message: `Its \`play\` is \`${play.signature ?? 'not a function'}\`, but the player world needs \`play: func(state: round-state) -> hand\` with the types from throwdown:rps/types@0.1.0 (see wit/rps.wit).`,
    };
  }
  return null;
}
