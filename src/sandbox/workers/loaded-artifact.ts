import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentCode } from '../play/component-player.js';
import { compileGlue } from '../play/glue-realm.js';
import { type ArtifactManifest, readManifest } from '../prepare/artifact.js';

/**
 * A prepared bot loaded into a match worker: compiled modules and, for components, how to wire
 * them (a direct plan, or jco's bindings compiled as a script, never imported as a module: the
 * bindings are generated from an upload and only ever run in a realm of their own).
 */
export interface LoadedArtifact {
  manifest: ArtifactManifest;
  modules: Map<string, WebAssembly.Module>;
  code: ComponentCode | null;
}

/**
 * The cache is bounded by the BYTES of what it holds (module and glue files: compiled code and
 * parsed glue grow with them), not by a count: 64 small bots or one 38 MB glue. The entry just
 * loaded is always kept. Glue loaded with import() stays in the module map anyway, so the
 * worker also retires itself once its heap is large (worker-entry.ts).
 */
export const CACHE_BYTES = 48 * 1024 * 1024;
const cache = new Map<string, { pending: Promise<LoadedArtifact>; bytes: number }>();
let cachedBytes = 0;
let budget = CACHE_BYTES;

/** Changes the cache's byte budget (tests). */
export function setCacheBudget(bytes: number): void {
  budget = bytes;
}

async function artifactBytes(dir: string, files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(path.join(dir, file)).catch(() => ({ size: 0 }))).size;
  return total;
}

async function load(dir: string): Promise<LoadedArtifact> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new Error(`no prepared artifact in ${dir}`);
  const modules = new Map<string, WebAssembly.Module>();
  await Promise.all(
    manifest.modules.map(async (name) => {
      modules.set(name, await WebAssembly.compile(await readFile(path.join(dir, name))));
    }),
  );
  let code: ComponentCode | null = null;
  if (manifest.plan) code = { kind: 'direct', plan: manifest.plan };
  else if (manifest.glue) {
    const source = await readFile(path.join(dir, manifest.glue), 'utf8');
    code = { kind: 'glue', script: compileGlue(source, `${manifest.key}/${manifest.glue}`) };
  }
  return { manifest, modules, code };
}

/**
 * Compiled artifacts are kept per worker process (most recently used first), so a tournament
 * compiles each bot once per worker, not once per match.
 */
export function loadArtifact(dir: string): Promise<LoadedArtifact> {
  const hit = cache.get(dir);
  if (hit) {
    cache.delete(dir);
    cache.set(dir, hit);
    return hit.pending;
  }
  const entry: { pending: Promise<LoadedArtifact>; bytes: number } = {
    pending: Promise.resolve(null!),
    bytes: 0,
  };
  // Counted before the caller sees the artifact, so the bound holds as soon as it is used.
  entry.pending = load(dir).then(
    async (loaded) => {
      const files = [...loaded.manifest.modules, ...(loaded.manifest.glue ? [loaded.manifest.glue] : [])];
      const bytes = await artifactBytes(dir, files);
      if (cache.get(dir) === entry) {
        entry.bytes = bytes;
        cachedBytes += bytes;
        evict(dir);
      }
      return loaded;
    },
    (error) => {
      if (cache.get(dir) === entry) cache.delete(dir);
      throw error;
    },
  );
  cache.set(dir, entry);
  return entry.pending;
}

/** Drops the least recently used entries until the cache fits, keeping `keep`. */
function evict(keep: string): void {
  for (const [dir, entry] of cache) {
    if (cachedBytes <= budget) return;
    if (dir === keep) continue;
    cache.delete(dir);
    cachedBytes -= entry.bytes;
  }
}

/** What the cache holds (tests). */
export function cacheStats(): { entries: number; bytes: number } {
  return { entries: cache.size, bytes: cachedBytes };
}
