import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  componentEmbed,
  componentNew,
  componentWit,
  parse,
} from '@bytecodealliance/jco-transpile/wasm-tools';
import { err, ok, type Result } from '../../util/result.js';

/**
 * `throwdown componentize`: a core module exporting `play` with the canonical-ABI signature of
 * our world (six i32 in, one i32 out) becomes a component bot. The same two steps wasm-tools
 * does (`component embed` of our WIT, then `component new`), through the wasm-tools that ships
 * in jco-transpile, which the service already depends on: no wit-bindgen, no crates, no cargo.
 *
 * No WASI preview1 adapter: a module that imports `wasi_snapshot_preview1` is refused with an
 * explanation. The adapter ships only in full jco (~340 MB installed) and makes every bot a
 * multi-module component that imports a dozen WASI interfaces and is instantiated through jco's
 * glue; a module without WASI imports becomes one flat core module that the sandbox calls
 * directly (the fast path). C gets there with -nostartfiles and no stdio, Rust with the
 * wasm32-unknown-unknown target (std included); WASI programs are command bots instead.
 *
 * The world embedded is `throwdown:bots/player-random` (player + wasi:random/random@0.2.3).
 * wit-component keeps only the imports the module uses, so a module that does not import
 * get-random-u64 comes out as a plain `player` component.
 */

export const COMPONENT_WORLD = 'throwdown:bots/player-random';

/** Imports a component bot's core module may have, by module name. */
const ALLOWED_IMPORTS: Record<string, readonly string[]> = {
  'throwdown:rps/arena@0.1.0': ['debug', 'opponent-name', 'my-name'],
  'wasi:random/random@0.2.3': ['get-random-u64', 'get-random-bytes'],
};

/** wit/rps.wit plus bots/wit/extras.wit (the player-random world), as componentize embeds them. */
export async function playerWit(root: string): Promise<string> {
  const parts = await Promise.all(
    ['wit/rps.wit', 'bots/wit/extras.wit'].map((f) => readFile(path.join(root, f), 'utf8')),
  );
  return parts.join('\n');
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function isBinary(bytes: Uint8Array): boolean {
  return WASM_MAGIC.every((b, i) => bytes[i] === b);
}

/** The layer field of a wasm binary: 0 for a core module, 1 for a component. */
const layer = (bytes: Uint8Array) => (bytes.length >= 8 ? bytes[6]! | (bytes[7]! << 8) : -1);

/** The last "Caused by" line of a wasm-tools error: the specific reason. */
function toolMessage(error: unknown): string {
  const text = String((error as Error)?.message ?? error).replace(/^\$/gm, '');
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.at(-1) ?? text;
  return last.replace(/^\d+:\s*/, '');
}

function checkImports(module: WebAssembly.Module): string | null {
  const wasi: string[] = [];
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === 'wasi_snapshot_preview1') {
      wasi.push(imp.name);
      continue;
    }
    const allowed = ALLOWED_IMPORTS[imp.module];
    if (!allowed?.includes(imp.name)) {
      return (
        `the module imports ${imp.module}.${imp.name}, which a component bot cannot have; ` +
        `allowed: ${Object.entries(ALLOWED_IMPORTS)
          .flatMap(([m, names]) => names.map((n) => `${m}.${n}`))
          .join(', ')}`
      );
    }
  }
  if (wasi.length > 0) {
    return (
      `the module imports WASI preview1 (${wasi.slice(0, 4).join(', ')}${wasi.length > 4 ? ', ...' : ''}), ` +
      'which a component bot cannot use. Something in it reads or writes files or stdio (printf, ' +
      'println!, a panic message): in C build with -nostartfiles -Wl,--no-entry and avoid stdio; in ' +
      'Rust build for wasm32-unknown-unknown; log with arena.debug. Or submit it as a command bot.'
    );
  }
  return null;
}

/**
 * Core module (binary or WAT text) to component bot. Expected problems (not wasm, already a
 * component, wrong exports or imports) come back as a message for the author.
 */
export async function componentize(
  input: Uint8Array,
  witSource: string,
): Promise<Result<Uint8Array, string>> {
  let core = input;
  if (!isBinary(input)) {
    try {
      core = await parse(new TextDecoder('utf-8', { fatal: true }).decode(input));
    } catch (error) {
      const reason = error instanceof TypeError ? 'not UTF-8 text' : toolMessage(error);
      return err(`this is neither a wasm binary nor WAT text that parses (${reason})`);
    }
  }
  if (layer(core) === 1) return err('this is already a component; submit it as it is');
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(core as Uint8Array<ArrayBuffer>);
  } catch (error) {
    return err(`this is not a valid core module: ${(error as Error).message}`);
  }
  const exported = WebAssembly.Module.exports(module);
  if (!exported.some((e) => e.name === 'play' && e.kind === 'function')) {
    return err(
      'the module does not export a function named `play` ' +
        '(C: __attribute__((export_name("play"))); Rust: #[no_mangle] pub extern "C" fn play)',
    );
  }
  const importProblem = checkImports(module);
  if (importProblem) return err(importProblem);
  let component: Uint8Array;
  try {
    const embedded = await componentEmbed({ binary: core, witSource, world: COMPONENT_WORLD });
    component = await componentNew(embedded);
  } catch (error) {
    return err(toolMessage(error));
  }
  // What the server will check first: the component exports our world's play.
  const wit = await componentWit(component);
  if (!wit.includes('export play: func(state: round-state) -> hand;')) {
    return err('the component did not come out exporting play(round-state) -> hand');
  }
  return ok(component);
}
