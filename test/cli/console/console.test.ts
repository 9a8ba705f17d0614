import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { botFile, runThrowdown } from '../../support/cli.js';

/**
 * `npm start` without a Discord token: it says Discord is off and how to turn it on, then runs
 * the same commands from stdin on the embedded database, which keeps everything across restarts.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'throwdown-console-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { THROWDOWN_DATA_DIR: dataDir };

describe('the local console (npm start without DISCORD_TOKEN)', () => {
  it('explains Discord is off, then plays submitted bots from piped commands', async () => {
    const input = [
      `/submit ${botFile('beatlast.component')} name:beater`,
      '/as bob',
      `/submit ${botFile('rock.command')} stone`,
      // The standard length, so the match is rated (other lengths are practice).
      '/challenge @you',
      '/leaderboard',
      '/challenge @nobody',
      '/quit',
    ].join('\n');
    const r = await runThrowdown([], { env, input, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Discord is off: DISCORD_TOKEN is not set/);
    expect(r.stderr).toMatch(/npm run deploy-commands/);
    expect(r.stdout).toMatch(/== Accepted: beater ==/);
    expect(r.stdout).toMatch(/You are now bob\./);
    expect(r.stdout).toMatch(/== Accepted: stone ==/);
    expect(r.stdout).toMatch(/== bob#[0-9A-Z]{4}\/stone vs you#[0-9A-Z]{4}\/beater ==/);
    expect(r.stdout).toMatch(/you#[0-9A-Z]{4}\/beater wins by/);
    expect(r.stdout).toMatch(/1 +beater +\d+\?? +1-0-0\n +by you#[0-9A-Z]{4}\n/);
    // Rendered for a terminal: no Discord markup, no line that looks like a prompt.
    expect(r.stdout).not.toMatch(/<[@#]|<t:\d+/);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('>'))).toEqual([]);
    expect(r.stdout).toMatch(/nobody#[0-9A-Z]{4} has no active bot to play\./);
  });

  it('finds everything still there after a restart', async () => {
    const r = await runThrowdown([], { env, input: '/leaderboard\n/bot info beater\n', timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 bots/);
    expect(r.stdout).toMatch(/beater/);
    expect(r.stdout).toMatch(/stone/);
    expect(r.stdout).toMatch(/Rating: \d+\? \(provisional\) \(#1 of 2\)/);
    expect(r.stdout).toMatch(/Record \(W-D-L\): 1-0-0 in 1 game\b/);
  });
});
