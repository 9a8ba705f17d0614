import { buildAll } from '../scripts/build-bots.js';

/**
 * Builds bots/dist and test/hostile/dist before any test file runs. Incremental: on an
 * unchanged tree this only hashes sources (well under a second).
 */
export default async function setup(): Promise<void> {
  const { bots, hostile } = await buildAll({ log: (line) => console.log(`[build-bots] ${line}`) });
  const built = bots.built.length + hostile.built.length;
  if (built > 0) console.log(`[build-bots] ${built} files rebuilt`);
}
