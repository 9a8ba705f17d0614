import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostileTargets } from '../test/hostile/corpus.js';
import { type BuildReport, buildSet } from './bots/build.js';
import { botTargets } from './bots/catalog.js';
import type { BotEntry, BuiltEntry, HostileEntry } from './bots/manifest.js';
import { detectNative, missingNative } from './bots/native.js';
import { findRoot } from './bots/root.js';
import { MissingToolchainError } from './bots/toolchains.js';

/**
 * Builds the repository's bots into bots/dist/ and the hostile corpus into test/hostile/dist/,
 * each with a manifest.json. Incremental: a file is rebuilt only when its sources, the build
 * code or a toolchain version changed.
 *
 * `npm run build:bots` (and so `npm ci`) builds only the starter bots: installing to run the
 * service has no use for the hostile corpus (51 files, one of 16.5 MiB). The vitest global
 * setup builds both (buildAll); `npm run build:bots -- --all` does too.
 */

export const BOTS_DIR = 'bots/dist';
export const HOSTILE_DIR = 'test/hostile/dist';

/**
 * The TypeScript sources of the build itself. Hashing the .ts files (never the compiled .js)
 * keeps the hash the same whether tsc's output or vitest's on-the-fly TypeScript runs it.
 */
async function buildCode(root: string, extra: readonly string[] = []): Promise<string[]> {
  const lib = (await readdir(join(root, 'scripts/bots'))).filter((f) => f.endsWith('.ts'));
  return [
    'scripts/build-bots.ts',
    ...lib.map((f) => `scripts/bots/${f}`),
    'src/games/match-record.ts',
    // How C and Rust are compiled and made into components.
    'src/cli/kit/recipes.ts',
    'src/cli/kit/componentize.ts',
    ...extra,
  ];
}

export interface BuildOptions {
  root?: string;
  log?: (line: string) => void;
  /**
   * Fail when clang or a suitable rustc is missing instead of leaving the C and Rust bots out.
   * CI sets it (THROWDOWN_REQUIRE_TOOLCHAINS=1) so that those bots are always built and tested.
   */
  requireNative?: boolean;
}

export async function buildBots(options: BuildOptions = {}): Promise<BuildReport<BotEntry>> {
  const root = options.root ?? findRoot();
  const native = await detectNative();
  const missing = missingNative(native);
  if (missing.length > 0) {
    if (options.requireNative) throw new Error(`required toolchains are missing:\n  ${missing.join('\n  ')}`);
    for (const line of missing) options.log?.(`skipped ${line}`);
  }
  return buildSet(botTargets(native), {
    root,
    outDir: BOTS_DIR,
    buildCode: await buildCode(root),
    ...(options.log ? { log: options.log } : {}),
  });
}

export async function buildHostile(options: BuildOptions = {}): Promise<BuildReport<HostileEntry>> {
  const root = options.root ?? findRoot();
  return buildSet(hostileTargets(), {
    root,
    outDir: HOSTILE_DIR,
    buildCode: await buildCode(root, ['test/hostile/corpus.ts', 'test/hostile/generate.ts']),
    ...(options.log ? { log: options.log } : {}),
  });
}

export async function buildAll(
  options: BuildOptions = {},
): Promise<{ bots: BuildReport<BotEntry>; hostile: BuildReport<HostileEntry> }> {
  const bots = await buildBots(options);
  const hostile = await buildHostile(options);
  return { bots, hostile };
}

function summary(dir: string, report: BuildReport<BuiltEntry>): string {
  return `${dir}: ${report.built.length} built, ${report.reused.length} unchanged (${Math.round(report.millis)} ms)`;
}

/** Whether the environment asks for the C and Rust toolchains to be required (CI). */
export const requireNativeFromEnv = (env: NodeJS.ProcessEnv) => env.THROWDOWN_REQUIRE_TOOLCHAINS === '1';

async function main(args: string[]): Promise<void> {
  const log = (line: string) => console.log(line);
  const options = { log, requireNative: requireNativeFromEnv(process.env) };
  try {
    console.log(summary(BOTS_DIR, await buildBots(options)));
    if (args.includes('--all')) console.log(summary(HOSTILE_DIR, await buildHostile(options)));
  } catch (error) {
    const missing = error instanceof MissingToolchainError ? error : (error as Error).cause;
    console.error(
      `build-bots: ${(missing instanceof MissingToolchainError ? missing : (error as Error)).message}`,
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.slice(2));
