import { buildAll, requireNativeFromEnv } from '../scripts/build-bots.js';

/**
 * Builds bots/dist and test/hostile/dist before any test file runs (`npm ci` builds only the
 * starter bots). Incremental: on an unchanged tree this only hashes sources (well under a
 * second). With THROWDOWN_REQUIRE_TOOLCHAINS=1 (CI) a missing C or Rust compiler fails here.
 */
export default async function setup(): Promise<void> {
  const { bots, hostile } = await buildAll({
    log: (line) => console.log(`[build-bots] ${line}`),
    requireNative: requireNativeFromEnv(process.env),
  });
  const built = bots.built.length + hostile.built.length;
  if (built > 0) console.log(`[build-bots] ${built} files rebuilt`);
}
