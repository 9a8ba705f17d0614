import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BotInterfaceKind } from '../../games/match-record.js';
import type { DirectPlan } from '../component/plan.js';
import type { BotReport } from '../types.js';

/**
 * A prepared bot on disk: its metered core modules and, for components, how to wire them (our
 * own plan for flat components, jco's bindings as a script for the others), in a directory named
 * by a key over everything that shaped them. Match workers load artifacts read-only; the
 * directory survives restarts, so a bot is checked, metered and wired once.
 *
 * Format 2: components carry a direct plan or a bindings script (format 1 ran jco's module glue
 * for every component and is rebuilt).
 */
export const ARTIFACT_FORMAT = 2;

/** The limits that are baked into an artifact when it is metered. */
export interface BakedLimits {
  memoryPages: number;
  tableElements: number;
  stackBytes: number;
  /** The fuel each instance starts with, which is what start functions and component init may spend. */
  fuelPerInstantiation: number;
}

export interface ArtifactManifest {
  format: typeof ARTIFACT_FORMAT;
  key: string;
  kind: BotInterfaceKind;
  report: BotReport;
  /**
   * Metered core module files: commands one, "bot.wasm"; direct plans "core<i>.wasm" by module
   * index; bindings the names jco's glue asks for.
   */
  modules: string[];
  /**
   * Commands: their memory, which metering turned into an import so each move's fresh
   * instance can reuse a zeroed one (pages; max already capped).
   */
  memory?: { minPages: number; maxPages: number };
  /** Per module: the functions whose traps mean out-of-fuel or stack-exhausted. */
  traps: Record<string, { fuelTrapFunction: number; stackTrapFunction: number }>;
  /** Flat components: the wiring the match worker runs itself (component/plan.ts). */
  plan?: DirectPlan;
  /** Other components: jco's bindings as a classic script, run in a realm of its own. */
  glue?: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function artifactKey(sha256: string, baked: BakedLimits, toolchain: string): string {
  const shape = [
    ARTIFACT_FORMAT,
    sha256,
    baked.memoryPages,
    baked.tableElements,
    baked.stackBytes,
    baked.fuelPerInstantiation,
    toolchain,
  ].join('|');
  return sha256Hex(new TextEncoder().encode(shape)).slice(0, 32);
}

export function artifactDir(artifactsDir: string, key: string): string {
  return path.join(artifactsDir, key);
}

export async function readManifest(dir: string): Promise<ArtifactManifest | null> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ArtifactManifest;
    return manifest.format === ARTIFACT_FORMAT ? manifest : null;
  } catch {
    return null;
  }
}

/** Writes an artifact atomically: into a temporary sibling directory, then renamed into place. */
export async function writeArtifact(
  artifactsDir: string,
  manifest: ArtifactManifest,
  files: Record<string, Uint8Array | string>,
): Promise<string> {
  const finalDir = artifactDir(artifactsDir, manifest.key);
  const tempDir = `${finalDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tempDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(tempDir, name), content);
  await writeFile(path.join(tempDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  try {
    await rename(tempDir, finalDir);
  } catch (error) {
    // Another worker prepared the same bot first: theirs is identical, keep it.
    await rm(tempDir, { recursive: true, force: true });
    if (!(await readManifest(finalDir))) throw error;
  }
  return finalDir;
}

/** Marks an artifact as used now (its manifest's mtime), so collection keeps it a while. */
export async function touchArtifact(dir: string): Promise<void> {
  const now = new Date();
  await utimes(path.join(dir, 'manifest.json'), now, now).catch(() => {});
}

async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await treeBytes(full);
    else total += (await stat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/**
 * Collection of the artifact cache: removes artifacts of uploads not in `keep` (sha256) whose
 * manifest was not used for `graceMs`, and temporary or broken directories as old. The grace
 * protects an upload being checked right now (its version is not stored yet) and a match
 * loading an artifact as it is collected.
 */
export async function collectArtifacts(
  artifactsDir: string,
  keep: ReadonlySet<string>,
  graceMs: number,
  now = Date.now(),
): Promise<{ removed: number; bytes: number; kept: number }> {
  let removed = 0;
  let bytes = 0;
  let kept = 0;
  const entries = await readdir(artifactsDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(artifactsDir, entry.name);
    const manifest = entry.name.includes('.tmp-') ? null : await readManifest(dir);
    if (manifest && keep.has(manifest.report.sha256)) {
      kept++;
      continue;
    }
    const used = await stat(manifest ? path.join(dir, 'manifest.json') : dir).catch(() => null);
    if (used && now - used.mtimeMs < graceMs) {
      kept++;
      continue;
    }
    const size = await treeBytes(dir);
    await rm(dir, { recursive: true, force: true });
    removed++;
    bytes += size;
  }
  return { removed, bytes, kept };
}
