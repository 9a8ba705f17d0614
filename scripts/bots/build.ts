import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuiltEntry, Manifest } from './manifest.js';
import { toolchainVersions } from './toolchains.js';

/**
 * Incremental building of a set of targets into one folder with a manifest. A target is
 * rebuilt only when its input hash changes: the hash covers the target's own source files,
 * its recipe, the build code itself and the toolchain versions, so an unchanged tree builds
 * nothing (tests and `npm ci` stay fast) and any change that could alter an output rebuilds it.
 */

export interface BuildContext {
  root: string;
}

export interface Target<E extends BuiltEntry> {
  /** The manifest entry minus what the build computes. */
  entry: Omit<E, 'sha256' | 'bytes' | 'inputHash'>;
  /** Files (relative to the root) whose contents decide the output, besides the build code. */
  inputs: readonly string[];
  /** Anything else that decides the output (options, generator parameters), as JSON-able data. */
  recipe: unknown;
  build(ctx: BuildContext): Promise<Uint8Array>;
}

export interface BuildReport<E extends BuiltEntry> {
  manifest: Manifest<E>;
  built: string[];
  reused: string[];
  millis: number;
}

export interface BuildSetOptions {
  root: string;
  /** Output folder, relative to root. */
  outDir: string;
  /** Files of the build code itself (relative to root): any change rebuilds everything. */
  buildCode: readonly string[];
  log?: (line: string) => void;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function hashFiles(root: string, files: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of [...files].sort()) hashes[file] = sha256Hex(await readFile(join(root, file)));
  return hashes;
}

async function readManifest<E extends BuiltEntry>(path: string): Promise<Manifest<E> | null> {
  try {
    const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest<E>;
    return manifest.format === 1 && Array.isArray(manifest.entries) ? manifest : null;
  } catch {
    return null;
  }
}

async function fileSha(path: string): Promise<string | null> {
  try {
    return sha256Hex(await readFile(path));
  } catch {
    return null;
  }
}

export async function buildSet<E extends BuiltEntry>(
  targets: readonly Target<E>[],
  options: BuildSetOptions,
): Promise<BuildReport<E>> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const outDir = join(options.root, options.outDir);
  const manifestPath = join(outDir, 'manifest.json');
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.entry.file)) throw new Error(`two targets write ${t.entry.file}`);
    names.add(t.entry.file);
  }

  const toolchains = await toolchainVersions(options.root);
  const codeHashes = await hashFiles(options.root, options.buildCode);
  const previous = await readManifest<E>(manifestPath);
  const previousByFile = new Map((previous?.entries ?? []).map((e) => [e.file, e]));
  await mkdir(outDir, { recursive: true });

  const entries: E[] = [];
  const built: string[] = [];
  const reused: string[] = [];
  for (const target of targets) {
    const inputHash = sha256Hex(
      JSON.stringify({
        toolchains,
        code: codeHashes,
        inputs: await hashFiles(options.root, target.inputs),
        recipe: target.recipe,
        entry: target.entry,
      }),
    );
    const path = join(outDir, target.entry.file);
    const old = previousByFile.get(target.entry.file);
    if (old && old.inputHash === inputHash && (await fileSha(path)) === old.sha256) {
      entries.push(old);
      reused.push(target.entry.file);
      continue;
    }
    const t0 = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = await target.build({ root: options.root });
    } catch (cause) {
      throw new Error(`building ${options.outDir}/${target.entry.file} failed: ${(cause as Error).message}`, {
        cause,
      });
    }
    await writeFile(path, bytes);
    const entry = { ...target.entry, sha256: sha256Hex(bytes), bytes: bytes.length, inputHash } as E;
    entries.push(entry);
    built.push(target.entry.file);
    log(
      `built ${options.outDir}/${target.entry.file} (${bytes.length} bytes, ${Math.round(performance.now() - t0)} ms)`,
    );
  }

  // Outputs of targets that no longer exist would otherwise linger and confuse a reader.
  for (const old of previous?.entries ?? []) {
    if (!names.has(old.file) && !/[\\/]/.test(old.file)) await rm(join(outDir, old.file), { force: true });
  }
  const manifest: Manifest<E> = { format: 1, toolchains, entries };
  // Unchanged, it is left alone: readers (tests running meanwhile) never see it half-written.
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if ((await readFile(manifestPath, 'utf8').catch(() => null)) !== text) await writeFile(manifestPath, text);
  return { manifest, built, reused, millis: performance.now() - started };
}
