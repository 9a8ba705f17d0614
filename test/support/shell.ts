import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { findClang, findRustc, isMissing } from '../../src/cli/kit/toolchains.js';
import type { RunResult } from './cli.js';

/**
 * Running what a bot author would type: shell lines from a README or from docs, in a scratch
 * folder, with `throwdown` on PATH as `npm link` would put it. Used by the scaffold tests and
 * the docs tests, so neither the generated READMEs nor docs/bot-interface.md can rot.
 */

export const root = path.resolve(import.meta.dirname, '../..');

/** A folder holding a `throwdown` executable that runs this checkout's CLI (what `npm link` gives). */
export async function throwdownShim(dir: string): Promise<string> {
  const bin = path.join(dir, '.bin');
  await mkdir(bin, { recursive: true });
  const file = path.join(bin, 'throwdown');
  await writeFile(
    file,
    `#!/bin/sh\nexec '${process.execPath}' '${path.join(root, 'bin/throwdown.js')}' "$@"\n`,
  );
  await chmod(file, 0o755);
  return bin;
}

/** Runs a POSIX shell script (stops at the first failing line) and collects its output. */
export function runShell(
  script: string,
  options: { cwd: string; path?: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-euc', script], {
      cwd: options.cwd,
      env: {
        HOME: process.env.HOME,
        PATH: [options.path, process.env.PATH].filter(Boolean).join(path.delimiter),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`script timed out\n${script}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Stands in for `npm install` of a scaffold or a docs section: the packages it names must be the
 * ones this checkout has installed, at the same pinned versions, and then this checkout's
 * node_modules is linked in (the tests run offline).
 */
export async function linkNodeModules(dir: string, packages: string[]): Promise<void> {
  const installed = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const ours = { ...installed.dependencies, ...installed.devDependencies };
  for (const spec of packages) {
    const at = spec.lastIndexOf('@');
    const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, undefined];
    if (!ours[name]) throw new Error(`${name} is not a dependency of the Throwdown checkout`);
    if (version !== undefined && version !== ours[name])
      throw new Error(`${name}@${version} is pinned, but the checkout has ${ours[name]}`);
  }
  if (!existsSync(path.join(dir, 'node_modules')))
    await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/** The packages a package.json's devDependencies pin, as name@version. */
export async function pinnedPackages(dir: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  return Object.entries(pkg.devDependencies ?? {}).map(([n, v]) => `${n}@${v}`);
}

const run = promisify(execFile);

async function works(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export type Toolchain = 'c' | 'cpp' | 'rust-command' | 'rust-component' | 'wat2wasm' | 'npm';

/** Which toolchains this machine has (CI installs them all; .ci/run). */
export async function availableToolchains(): Promise<Set<Toolchain>> {
  const found = new Set<Toolchain>(['npm']);
  const [clang, rustCommand, rustComponent] = await Promise.all([
    findClang(),
    findRustc('command'),
    findRustc('component'),
  ]);
  if (!isMissing(clang)) found.add('c');
  if (!isMissing(rustCommand)) found.add('rust-command');
  if (!isMissing(rustComponent)) found.add('rust-component');
  if (!isMissing(clang)) {
    try {
      const { stdout } = await run('clang++', ['--target=wasm32-wasi', '-print-file-name=libc++.a']);
      if (stdout.trim().startsWith('/')) found.add('cpp');
    } catch {
      // no clang++ or no libc++ for wasm32-wasi
    }
  }
  if (await works('wat2wasm', ['--version'])) found.add('wat2wasm');
  return found;
}

/** CI sets THROWDOWN_REQUIRE_TOOLCHAINS=1: there a missing toolchain is a failure, not a skip. */
export const toolchainsRequired = process.env.THROWDOWN_REQUIRE_TOOLCHAINS === '1';
