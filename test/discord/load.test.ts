// Load on the transport: many interactions at once, and a long match that must not hold up
// anyone else (matches run in the sandbox's worker processes, never on the event loop).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { answered, embedText, run, startHarness } from './harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const h = await startHarness({ db, sandbox });
afterAll(() => h.close());

async function seed(guild: { id: string; name: string }, userId: string, name: string, file: string) {
  const result = await h.engine.submit({
    guild: { id: guild.id, name: guild.name },
    player: { userId, displayName: name },
    name,
    bytes: botBytes(file),
  });
  if (!result.ok) throw new Error(result.error.message);
}

describe('under load', () => {
  it('answers a burst of 20 concurrent /challenge interactions, each with its own match', async () => {
    const players = ['ann', 'ben', 'cat', 'dan', 'eve'];
    const { guild, users } = await h.guild('Burst', players);
    const files = [
      'rock.component',
      'cycle.component',
      'beatlast.component',
      'frequency.component',
      'random.component',
    ];
    for (const [i, p] of players.entries()) await seed(guild, users[p]!.id, p, files[i]!);

    const t0 = performance.now();
    const handles = Array.from({ length: 20 }, (_, i) =>
      h.fake.sendChatInput({
        name: 'challenge',
        guildId: guild.id,
        user: users[players[i % 5]!],
        options: { opponent: users[players[(i + 1 + (i % 4)) % 5]!]!, rounds: 1000 },
      }),
    );
    const answers = await Promise.all(handles.map((handle) => answered(h.fake, handle, 60_000)));
    const ms = performance.now() - t0;

    // Every one acknowledged ("thinking…") within Discord's 3 s (a late callback gets 404),
    // then filled in with its own result.
    for (const handle of handles) expect(handle.replies()[0]).toMatchObject({ kind: 'callback', type: 5 });
    const callbacks = h.fake.requests.filter((r) => r.route === '/interactions/:interaction/:token/callback');
    expect(callbacks.map((r) => r.status)).toEqual(callbacks.map(() => 204));
    for (const answer of answers) {
      expect(answer.ephemeral).toBe(false);
      expect(answer.message.embeds[0]?.title).toMatch(/^\w+\\#[0-9A-Z]{4}\/\w+ vs \w+\\#[0-9A-Z]{4}\/\w+$/);
    }
    const matchIds = answers.map((a) => /Match #(\d+)/.exec(a.message.embeds[0]!.footer!.text)![1]);
    expect(new Set(matchIds).size).toBe(20);
    // Ratings moved in 20 separate transactions without losing an update.
    const board = await h.engine.leaderboard({
      guildId: guild.id,
      page: 1,
      pageSize: 25,
      viewerUserId: null,
    });
    expect(board.rows.reduce((sum, r) => sum + r.played, 0)).toBe(40);
    console.info(`20 concurrent /challenge (1000 rounds each): all answered in ${Math.round(ms)} ms`);
  });

  it('answers /help while a long match is being played', async () => {
    const { guild, users } = await h.guild('Long match');
    await seed(guild, users.ann!.id, 'slowpoke', 'frequency.js');
    await seed(guild, users.ben!.id, 'other', 'beatlast.js');
    // The service runs in this process: its event loop is the one measured here.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = performance.now();
    const long = h.fake.sendChatInput({
      name: 'challenge',
      guildId: guild.id,
      user: users.ann,
      options: { opponent: users.ben!, rounds: 10_000 },
    });
    await long.response();
    const t0 = performance.now();
    const help = await run(h.fake, { name: 'help', guildId: guild.id, user: users.ben });
    const helpMs = performance.now() - t0;
    expect(embedText(help.message)).toContain('Throwdown');
    // The match was still being played when /help was answered.
    expect(long.replies().map((r) => r.kind)).toEqual(['callback']);
    expect(helpMs).toBeLessThan(1000);
    const result = await answered(h.fake, long, 120_000);
    const matchMs = performance.now() - started;
    lag.disable();
    expect(result.message.embeds[0]?.description).toMatch(/10,000 rounds/);
    // Playing 20,000 QuickJS moves never stalled the loop that answers Discord.
    expect(lag.max / 1e6).toBeLessThan(250);
    console.info(
      `/help answered in ${Math.round(helpMs)} ms during a ${Math.round(matchMs)} ms QuickJS match; worst event-loop delay ${Math.round(lag.max / 1e6)} ms`,
    );
  });
});
