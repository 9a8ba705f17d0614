import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm start` runs the compiled code in dist/ (built once by `npm ci`; `npm run dev` rebuilds on
 * every save). In a checkout where someone edited src/ since the last build, say so in one line
 * rather than silently running the old code. Cheap: a stat of each source file, at start only.
 */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** A warning when src/ under `root` changed after `builtFile` was compiled; null otherwise. */
export function staleBuildWarning(root: string, builtFile: string): string | null {
  try {
    // tsc rewrites only the outputs that changed; its build info is written whenever it emits.
    const info = path.join(root, 'dist', '.tsbuildinfo');
    const built = Math.max(
      statSync(builtFile).mtimeMs,
      statSync(info, { throwIfNoEntry: false })?.mtimeMs ?? 0,
    );
    if (newestMtime(path.join(root, 'src')) <= built) return null;
    return 'throwdown: src/ changed since the last build; this runs the old code. Run `npm run build` (or keep `npm run dev` running).';
  } catch {
    return null; // no src/ (an installed package) or no build: nothing to compare
  }
}
