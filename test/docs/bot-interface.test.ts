import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRustc, isMissing } from '../../src/cli/kit/toolchains.js';
import { docSections } from '../support/doc-sections.js';
import {
  availableToolchains,
  linkNodeModules,
  root,
  runShell,
  throwdownShim,
  toolchainsRequired,
} from '../support/shell.js';

/**
 * docs/bot-interface.md cannot rot: every section marked `<!-- doc-test: NAME requires=... -->`
 * is run as a reader would copy it. Its fenced blocks with `file=NAME` are written to an empty
 * folder, its `sh` blocks run there in order (stopping at the first failure), with `throwdown` on
 * the PATH (what `npm link` gives) and, for Rust, `rustc` being this machine's rustc with the wasm
 * targets. `npm install --save-dev PKG...` is the one line not run: the packages it names must be
 * this checkout's dependencies, whose node_modules is linked in instead (tests run offline).
 * The section must validate bot.wasm, and the validation must accept it.
 */

const markdown = await readFile(path.join(root, 'docs/bot-interface.md'), 'utf8');
const sections = docSections(markdown);
const toolchains = await availableToolchains();

async function rustcShim(dir: string, kind: 'command' | 'component'): Promise<string> {
  const rustc = await findRustc(kind);
  if (isMissing(rustc)) throw new Error(rustc.missing);
  const bin = path.join(dir, '.rustc');
  await mkdir(bin, { recursive: true });
  await writeFile(path.join(bin, 'rustc'), `#!/bin/sh\nexec '${rustc.command}' "$@"\n`);
  await chmod(path.join(bin, 'rustc'), 0o755);
  return bin;
}

describe('docs/bot-interface.md', () => {
  it('has a tested section for every language and interface it teaches', () => {
    expect(sections.map((s) => s.name)).toEqual([
      'quick-start',
      'c-component',
      'rust-component',
      'javascript-component',
      'javascript-random',
      'wat-component',
      'c-command',
      'cpp-command',
      'rust-command',
      'assemblyscript-command',
      'wat-command',
    ]);
    for (const s of sections) expect(s.script, s.name).toContain('throwdown validate bot.wasm');
  });

  it.runIf(toolchainsRequired)('CI: every toolchain the sections need is installed', () => {
    const needed = new Set(sections.flatMap((s) => s.requires));
    expect([...needed].filter((t) => !toolchains.has(t))).toEqual([]);
  });

  for (const section of sections) {
    const missing = section.requires.filter((t) => !toolchains.has(t));
    it.skipIf(missing.length > 0)(
      `${section.name}: the commands, copied as written, make a bot that validate accepts`,
      async () => {
        const dir = await mkdtemp(path.join(tmpdir(), `throwdown-doc-${section.name}-`));
        try {
          for (const [name, text] of Object.entries(section.files))
            await writeFile(path.join(dir, name), text);
          const paths = [await throwdownShim(dir)];
          for (const kind of ['command', 'component'] as const)
            if (section.requires.includes(`rust-${kind}`)) paths.push(await rustcShim(dir, kind));
          const script: string[] = [];
          for (const line of section.script) {
            const install = /^npm install --save-dev (.+)$/.exec(line);
            if (install) {
              await linkNodeModules(dir, (install[1] as string).split(/\s+/));
              script.push(': npm install, linked by the test');
            } else script.push(line);
          }
          const ran = await runShell(script.join('\n'), {
            cwd: dir,
            path: paths.join(path.delimiter),
            env: { THROWDOWN_DATA_DIR: path.join(dir, '.throwdown') },
          });
          expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
          expect(ran.stdout).toMatch(/^bot\.wasm: accepted$/m);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
      300_000,
    );
  }
});
