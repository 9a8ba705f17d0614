import { readFile } from 'node:fs/promises';
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
    return hit;
  }
  const pending = load(dir);
  cache.set(dir, pending);
  pending.catch(() => cache.delete(dir));
  while (cache.size > LIMIT) cache.delete(cache.keys().next().value as string);
  return pending;
}
