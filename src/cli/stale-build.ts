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

/**
 * A warning when src/ under `root` changed after the last build; null otherwise. The build is
 * incremental (tsc rewrites only the outputs of changed files, and not always its build info),
 * so `npm run build` writes dist/.built when it finishes: its time is the build's.
 */
export function staleBuildWarning(root: string): string | null {
  try {
    const built = statSync(path.join(root, 'dist', '.built')).mtimeMs;
    if (newestMtime(path.join(root, 'src')) <= built) return null;
    return 'throwdown: src/ changed since the last build; this runs the old code. Run `npm run build` (or keep `npm run dev` running).';
  } catch {
    return null; // no src/ (an installed package) or no build: nothing to compare
  }
}
