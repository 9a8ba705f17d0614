import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { botFile, runThrowdown } from '../../support/cli.js';
import { linkNodeModules, pinnedPackages, runShell, throwdownShim } from '../../support/shell.js';

/**
 * One language end to end, as a new author would go: `throwdown new`, then every command of the
 * generated README's first shell block, in order (build, validate, match --trace, tournament
 * against the built-in bots), then a tournament against the repository's starter bots, which
 * the new bot must finish without a fault and with a win over rock.
 */

/** Starter bots of several languages and both interfaces; rock is the one to beat. */
const STARTERS = ['rock.component', 'cycle.command', 'beatlast.component', 'random.js'];

/** The first ```sh block of a markdown text, as lines. */
export function firstShellBlock(markdown: string): string[] {
  const match = /```sh\n([\s\S]*?)```/.exec(markdown);
  if (!match) throw new Error('no sh block');
  return (match[1] as string).split('\n').filter((l) => l.trim() !== '');
}

export async function scaffoldAndPlay(language: string, iface: string): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), `throwdown-new-${language}-`));
  const env = { THROWDOWN_DATA_DIR: path.join(work, 'data') };
  try {
    const created = await runThrowdown(['new', language, 'mybot', '--interface', iface], { cwd: work, env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created mybot\/: /);
    const dir = path.join(work, 'mybot');

    const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
    const lines = firstShellBlock(readme);
    expect(lines[0]).toBe('cd mybot');
    if (lines.some((l) => l.startsWith('npm install'))) await linkNodeModules(dir, await pinnedPackages(dir));
    const script = lines.map((l) =>
      l.startsWith('npm install') ? ': npm install done by linkNodeModules' : l,
    );
    const shim = await throwdownShim(work);
    const ran = await runShell(script.join('\n'), { cwd: work, path: shim, env });
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    expect(ran.stdout).toMatch(/^bot\.wasm: accepted$/m);
    // match --trace: a line per round, then each bot's stderr.
    expect(ran.stdout).toMatch(/^\s+20 {2}(rock|paper|scissors)/m);
    expect(ran.stdout).toMatch(/^stderr of bot/m);
    expect(ran.stdout).toMatch(/^Round robin: 4 bots, 6 matches of 1000 rounds/m);

    const t = await runThrowdown(
      [
        'tournament',
        path.join(dir, 'bot.wasm'),
        ...STARTERS.map(botFile),
        '-r',
        '200',
        '-s',
        'kit',
        '--json',
      ],
      { env, timeoutMs: 180_000 },
    );
    expect(t.code, t.stderr).toBe(0);
    const json = JSON.parse(t.stdout) as {
      standings: Array<{ bot: string; faults: unknown[]; moves: number }>;
      matches: Array<{ bots: string[]; result: { winnerName: string | null } }>;
    };
    const mine = json.standings.find((s) => s.bot === 'bot');
    expect(mine?.faults).toEqual([]);
    expect(mine?.moves).toBe(4 * 200);
    const vsRock = json.matches.find((m) => m.bots.includes('bot') && m.bots.includes('rock.component'));
    expect(vsRock?.result.winnerName).toBe('bot');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
