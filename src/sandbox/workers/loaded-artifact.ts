import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GlueInstantiate } from '../play/component-player.js';
import { type ArtifactManifest, readManifest } from '../prepare/artifact.js';

/** A prepared bot loaded into a match worker: compiled modules and, for components, the glue. */
export interface LoadedArtifact {
  manifest: ArtifactManifest;
  modules: Map<string, WebAssembly.Module>;
  instantiate: GlueInstantiate | null;
}

const LIMIT = 64;
const cache = new Map<string, Promise<LoadedArtifact>>();

async function load(dir: string): Promise<LoadedArtifact> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new Error(`no prepared artifact in ${dir}`);
  const modules = new Map<string, WebAssembly.Module>();
  await Promise.all(
    manifest.modules.map(async (name) => {
      modules.set(name, await WebAssembly.compile(await readFile(path.join(dir, name))));
    }),
  );
  let instantiate: GlueInstantiate | null = null;
  if (manifest.glue) {
    const glue = (await import(pathToFileURL(path.join(dir, manifest.glue)).href)) as {
      instantiate: GlueInstantiate;
    };
    instantiate = glue.instantiate;
  }
  return { manifest, modules, instantiate };
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
    return hit;
  }
  const pending = load(dir);
  cache.set(dir, pending);
  pending.catch(() => cache.delete(dir));
  while (cache.size > LIMIT) cache.delete(cache.keys().next().value as string);
  return pending;
}
