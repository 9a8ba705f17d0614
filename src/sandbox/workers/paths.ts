import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Sandbox workers are separate Node processes that run the COMPILED JavaScript in dist/,
 * whether the caller is the built service or a vitest file importing src/. This finds the
 * project root (the nearest package.json named "throwdown") and the compiled entry points.
 */
let cachedRoot: string | null = null;

export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'throwdown') {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the throwdown project root above ' + import.meta.url);
    dir = parent;
  }
}

/** Absolute path of a compiled worker entry, e.g. compiledEntry('src/sandbox/workers/match-worker.js'). */
export function compiledEntry(relative: string): string {
  const file = path.join(projectRoot(), 'dist', relative);
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: run \`npm run build\` first (sandbox workers run the compiled code)`,
    );
  }
  return file;
}
