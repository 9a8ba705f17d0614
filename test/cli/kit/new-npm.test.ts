import { describe, it } from 'vitest';
import { availableToolchains } from '../../support/shell.js';
import { scaffoldAndPlay } from './scaffold-run.js';

/** `throwdown new` for the languages whose toolchains are npm packages of this repository (and WAT). */
const toolchains = await availableToolchains();

describe('throwdown new (WAT, AssemblyScript, JavaScript)', () => {
  it.each([
    { language: 'wat', iface: 'component' },
    { language: 'assemblyscript', iface: 'command' },
    { language: 'javascript', iface: 'component' },
  ])(
    '$language $iface: the README commands build, validate and play it; it beats rock among the starters',
    async ({ language, iface }) => {
      await scaffoldAndPlay(language, iface);
    },
    300_000,
  );

  it('wat command: the same, with wat2wasm (wabt)', async (ctx) => {
    if (!toolchains.has('wat2wasm')) ctx.skip('no wat2wasm here');
    await scaffoldAndPlay('wat', 'command');
  }, 300_000);
});
