import { describe, expect, it } from 'vitest';
import { availableToolchains, type Toolchain, toolchainsRequired } from '../../support/shell.js';
import { scaffoldAndPlay } from './scaffold-run.js';

/** `throwdown new` for the languages built by native compilers (present in CI; .ci/run installs them). */
const toolchains = await availableToolchains();

const CASES: Array<{ language: string; iface: string; needs: Toolchain }> = [
  { language: 'c', iface: 'component', needs: 'c' },
  { language: 'c', iface: 'command', needs: 'c' },
  { language: 'rust', iface: 'component', needs: 'rust-component' },
  { language: 'rust', iface: 'command', needs: 'rust-command' },
];

describe('throwdown new (C and Rust)', () => {
  it.runIf(toolchainsRequired)('CI: every native toolchain is installed', () => {
    expect(CASES.filter((c) => !toolchains.has(c.needs)).map((c) => c.needs)).toEqual([]);
  });

  for (const { language, iface, needs } of CASES) {
    it.skipIf(!toolchains.has(needs))(
      `${language} ${iface}: the README commands build, validate and play it; it beats rock among the starters`,
      () => scaffoldAndPlay(language, iface),
      300_000,
    );
  }
});
