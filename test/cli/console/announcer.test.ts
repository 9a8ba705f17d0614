// Tournaments in the local console: the messages a channel and its thread would get, played for
// real (sandbox, database), rendered for a terminal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsoleAnnouncer } from '../../../src/cli/console/announcer.js';
import { createTournamentService } from '../../../src/engine/tournaments/index.js';
import { useTestDatabase } from '../../support/database.js';
import { renderedColumns } from '../../support/phone-width.js';
import { useSandbox } from '../../support/sandbox.js';
import { engineDeps, FAST_BOTS, guildWithBots } from '../../support/tournaments.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
const filesDir = mkdtempSync(path.join(tmpdir(), 'throwdown-console-files-'));
afterAll(() => rmSync(filesDir, { recursive: true, force: true }));

describe('the console announcer', () => {
  it('prints the start, the entrants, the results with standings and the leaderboard, for a terminal', async () => {
    const printed: string[] = [];
    const service = createTournamentService({
      deps,
      announcer: createConsoleAnnouncer({ write: (text) => printed.push(text), filesDir }),
      concurrency: 2,
      progressIntervalMs: 0,
    });
    const { guild } = await guildWithBots(deps, FAST_BOTS.slice(0, 4));
    const started = await service.startNow({
      guildId: guild.id,
      channelId: 'console',
      startedBy: 'you',
      rounds: 50,
    });
    if (!started.ok) throw new Error(started.error.message);
    expect(await service.waitFor(started.value.id)).toBe('finished');
    await service.stop();
    const out = printed.join('\n');
    expect(out).toMatch(
      new RegExp(`Round robin tournament #${started.value.id} · 4 bots · 6 matches of 50 rounds`),
    );
    expect(out).toMatch(/Entrants \(each plays the version shown to the end\):/);
    expect(out).toMatch(new RegExp(`== Round robin tournament #${started.value.id}: results ==`));
    expect(out).toMatch(/Winner: player\d+#[0-9A-Z]{4}\/\w+/);
    expect(out).toMatch(/^ *# +bot +pts +W-D-L +rating$/m);
    // Progress is one line per update, not the whole headline again.
    expect(out.match(/Round robin: \d\/6 matches/g)?.length).toBeGreaterThan(1);
    expect(out.match(/· 4 bots · 6 matches of 50 rounds/g)).toHaveLength(1);
    expect(out).toMatch(/Leaderboard \(all games\) · page 1\/1 · 4 bots/);
    expect(out).toMatch(/\[file saved: .*ratings\.png\]/);
    // No Discord markup and nothing that reads as a prompt.
    expect(out).not.toMatch(/<[@#][!&]?\w+>|<t:-?\d+(:\w)?>|```|\*\*/);
    expect(out.split('\n').filter((l) => l.startsWith('>'))).toEqual([]);
    for (const line of out.split('\n').filter((l) => /^ *(\d+|#) /.test(l))) {
      expect(renderedColumns(line)).toBeLessThanOrEqual(40);
    }
  });
});
