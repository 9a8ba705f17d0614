import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadAsc, loadComponentizeQjs, loadWasmTools } from './toolchains.js';

/**
 * One function per toolchain: each turns a source (text or file) into wasm bytes. They know
 * nothing about manifests or caching; build.ts decides what to call.
 */

/** The repository's world plus extra WIT files appended to it (nested `package x { }` blocks). */
export async function combinedWit(root: string, extras: readonly string[]): Promise<string> {
  const parts = [await readFile(join(root, 'wit/rps.wit'), 'utf8')];
  for (const extra of extras) parts.push(await readFile(join(root, extra), 'utf8'));
  return parts.join('\n');
}

/** WAT text to a core module (or to whatever the text describes: wasm-tools also parses components). */
export async function watToWasm(wat: string): Promise<Uint8Array> {
  const tools = await loadWasmTools();
  return tools.parse(wat);
}

/**
 * A core module to a component of `world`: embed the world's WIT as a custom section, then let
 * wit-component wrap the module, matching its imports and exports to the world by name.
 */
export async function coreToComponent(
  core: Uint8Array,
  witSource: string,
  world: string,
): Promise<Uint8Array> {
  const tools = await loadWasmTools();
  const embedded = await tools.componentEmbed({ binary: core, witSource, world });
  return tools.componentNew(embedded);
}

export async function watToComponent(wat: string, witSource: string, world: string): Promise<Uint8Array> {
  return coreToComponent(await watToWasm(wat), witSource, world);
}

/**
 * AssemblyScript to a WASI preview1 command through @assemblyscript/wasi-shim, as Snippy's
 * sample bot is built. `entry` is relative to `root`; output stays in memory.
 */
const WASI_SHIM_CONFIG = 'node_modules/@assemblyscript/wasi-shim/asconfig.json';

/** The options of @assemblyscript/wasi-shim's asconfig.json as command-line flags with absolute paths. */
async function wasiShimArgs(root: string): Promise<string[]> {
  const config = JSON.parse(await readFile(join(root, WASI_SHIM_CONFIG), 'utf8')) as {
    options: { lib: string; use: string[]; exportStart: string };
  };
  const { lib, use, exportStart } = config.options;
  return [
    '--lib',
    join(root, dirname(WASI_SHIM_CONFIG), lib),
    ...use.flatMap((u) => ['--use', u]),
    '--exportStart',
    exportStart,
  ];
}

export async function assemblyScriptToCommand(root: string, entry: string): Promise<Uint8Array> {
  const asc = await loadAsc();
  let binary: Uint8Array | null = null;
  const errors: string[] = [];
  const collect = {
    write(chunk: string | Uint8Array) {
      errors.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
      return true;
    },
  };
  const result = await asc.main(
    [
      join(root, entry),
      ...(await wasiShimArgs(root)),
      '--optimizeLevel',
      '3',
      '--shrinkLevel',
      '1',
      '--outFile',
      'bot.wasm',
    ],
    {
      stdout: collect,
      stderr: collect,
      // asc's own file access joins baseDir and path, which mangles absolute paths; resolve
      // them instead so the build works from any current directory.
      readFile: async (name, baseDir) => {
        try {
          return await readFile(resolve(baseDir, name), 'utf8');
        } catch {
          return null;
        }
      },
      listFiles: async (dir, baseDir) => {
        try {
          return (await readdir(resolve(baseDir, dir))).filter(
            (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
          );
        } catch {
          return null;
        }
      },
      writeFile: (name, contents) => {
        if (name.endsWith('bot.wasm') && typeof contents !== 'string') binary = contents;
      },
    },
  );
  if (result.error || !binary) {
    throw new Error(`asc failed on ${entry}: ${result.error?.message ?? 'no output'}\n${errors.join('')}`);
  }
  return binary;
}

export interface JsComponentOptions {
  /** The world to build; 'player' or a world of an extras file such as 'throwdown:bots/player-random'. */
  world: string;
  /**
   * true: every WASI import becomes a trap stub and the component imports only our world.
   * false: the component imports the WASI 0.2 interfaces QuickJS's libc uses (the host must
   * provide them all) and the JS can import WASI interfaces its world names.
   */
  stubWasi: boolean;
}

/** JavaScript to a component with componentize-qjs (QuickJS snapshotted by Wizer, ~1.6 MB). */
export async function javaScriptToComponent(
  jsSource: string,
  witSource: string,
  options: JsComponentOptions,
): Promise<Uint8Array> {
  const { componentize } = await loadComponentizeQjs();
  // componentize-qjs reads WIT only from a path.
  const dir = await mkdtemp(join(tmpdir(), 'throwdown-wit-'));
  try {
    const witPath = join(dir, 'world.wit');
    await writeFile(witPath, witSource);
    const { component } = await componentize({
      witPath,
      jsSource,
      world: options.world,
      stubWasi: options.stubWasi,
      // The non-async runtime: our host calls play synchronously (no component-model async).
      sync: true,
    });
    return new Uint8Array(component);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
