import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The npm packages that build bots, loaded lazily: an incremental build that has nothing to
 * do never loads them, and a missing one fails with a message that says what to run.
 */
export const TOOLCHAIN_PACKAGES = [
  '@bytecodealliance/jco-transpile',
  'assemblyscript',
  '@assemblyscript/wasi-shim',
  'componentize-qjs',
] as const;
export type ToolchainPackage = (typeof TOOLCHAIN_PACKAGES)[number];

export class MissingToolchainError extends Error {
  constructor(pkg: string, cause?: unknown) {
    super(
      `The bot toolchain '${pkg}' is not installed. It is a dependency of this repository: ` +
        `run 'npm install' (or 'npm ci') in the repository root, with dev dependencies.`,
      { cause },
    );
    this.name = 'MissingToolchainError';
  }
}

/** Versions of every toolchain, read from node_modules; part of every bot's input hash. */
export async function toolchainVersions(root: string): Promise<Record<ToolchainPackage, string>> {
  const versions = {} as Record<ToolchainPackage, string>;
  for (const pkg of TOOLCHAIN_PACKAGES) {
    let text: string;
    try {
      text = await readFile(join(root, 'node_modules', pkg, 'package.json'), 'utf8');
    } catch (cause) {
      throw new MissingToolchainError(pkg, cause);
    }
    versions[pkg] = (JSON.parse(text) as { version: string }).version;
  }
  return versions;
}

async function load<T>(pkg: string, specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new MissingToolchainError(pkg, cause);
    throw cause;
  }
}

export type WasmTools = typeof import('@bytecodealliance/jco-transpile/wasm-tools');
/**
 * The slice of the asc API we call, declared here: importing assemblyscript's own typings would
 * pull AssemblyScript's global declarations (its `console`, among others) into our program.
 */
export interface Asc {
  main(
    argv: string[],
    options: {
      stdout?: { write(chunk: string | Uint8Array): unknown };
      stderr?: { write(chunk: string | Uint8Array): unknown };
      readFile?: (name: string, baseDir: string) => Promise<string | null>;
      listFiles?: (dir: string, baseDir: string) => Promise<string[] | null>;
      writeFile?: (name: string, contents: Uint8Array | string, baseDir: string) => void;
    },
  ): Promise<{ error: Error | null }>;
}
export type ComponentizeQjs = typeof import('componentize-qjs');

export function loadWasmTools(): Promise<WasmTools> {
  return load('@bytecodealliance/jco-transpile', '@bytecodealliance/jco-transpile/wasm-tools');
}

export async function loadAsc(): Promise<Asc> {
  return (await load<{ default: Asc }>('assemblyscript', 'assemblyscript/asc')).default;
}

export function loadComponentizeQjs(): Promise<ComponentizeQjs> {
  return load('componentize-qjs', 'componentize-qjs');
}
