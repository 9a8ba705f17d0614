import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above `from` with our package.json. Works both from
 * scripts/ (TypeScript run by vitest) and from dist/scripts/ (compiled by tsc).
 */
export function findRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'throwdown'
    ) {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no throwdown package.json above ${from}`);
    dir = up;
  }
}
