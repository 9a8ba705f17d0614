import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root } from '../support/shell.js';

/**
 * Installing to run the service (`npm ci` runs `prepare`: build, then build:bots) builds the
 * starter bots only; the hostile corpus (51 files, one of 16.5 MiB) is the tests' business
 * (test/global-setup.ts) or `-- --all`. Both runs here are incremental no-ops after the setup.
 */
const run = promisify(execFile);

describe('npm run build:bots', () => {
  it('builds bots/dist and not the hostile corpus; --all adds it', async () => {
    const plain = await run('npm', ['run', '--silent', 'build:bots'], { cwd: root });
    expect(plain.stdout).toMatch(/^bots\/dist: \d+ built, \d+ unchanged/m);
    expect(plain.stdout).not.toMatch(/test\/hostile/);
    const all = await run('npm', ['run', '--silent', 'build:bots', '--', '--all'], { cwd: root });
    expect(all.stdout).toMatch(/^test\/hostile\/dist: 0 built, \d+ unchanged/m);
  }, 120_000);
});
