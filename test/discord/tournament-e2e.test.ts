// A tournament end to end through the Discord transport: /tournament run-now and /tournament
// schedule sent through the fake Discord to the real client started by startDiscord(), the
// tournament played in the real sandbox with real bots and stored in PostgreSQL, and its
// progress, thread and results posted in the channel with the bot token.
import type { APIUser } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import type { GuildRecord } from '../support/fake-discord/index.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { embedText, expectUserError, run } from './harness.js';
import { startTournamentHarness } from './tournament-harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const { h, clock } = await startTournamentHarness({
  db,
  sandbox,
  concurrency: 2,
  scheduledRounds: 300,
});

async function seedBots(guild: GuildRecord, users: Record<string, APIUser>) {
  const files = ['rock.component', 'cycle.component', 'beatlast.command'];
  for (const [i, user] of Object.values(users).entries()) {
    const seeded = await h.engine.submit({
      guild: { id: guild.id, name: guild.name },
      player: { userId: user.id, displayName: user.username },
      name: files[i]!.split('.')[0]!,
      bytes: botBytes(files[i]!),
    });
    if (!seeded.ok) throw new Error(seeded.error.message);
  }
}

/** Messages the bot posted in the channel itself (not replies to interactions, which are webhooks). */
const posted = (channelId: string) => h.fake.channelMessages(channelId).filter((m) => !m.webhook_id);

/** The tournament's channel messages once the results are in: [progress, results]. */
async function untilResults(channelId: string) {
  return h.fake.waitFor(
    () => {
      const messages = posted(channelId);
      return messages.length >= 2 && messages[1]!.embeds.length > 0 ? messages : undefined;
    },
    60_000,
    'the results post',
  );
}

describe('/tournament through Discord', () => {
  it('run-now: an admin starts one; progress, thread and results appear in the channel', async () => {
    const { guild, users } = await h.guild('Tournament server', ['ann', 'ben', 'cat']);
    await seedBots(guild, users);
    const channel = guild.channelIds[0]!;

    const refused = await run(h.fake, {
      name: 'tournament',
      subcommand: 'run-now',
      guildId: guild.id,
      user: users.ben!,
    });
    expectUserError(refused, /\/tournament run-now is for server managers/);
    // Refused privately before anything was shown: no "thinking…" at all.
    expect(refused.replies.map((r) => r.kind)).toEqual(['callback']);

    const started = await run(h.fake, {
      name: 'tournament',
      subcommand: 'run-now',
      guildId: guild.id,
      user: users.ann!,
      options: { rounds: 300 },
    });
    expect(started.ephemeral).toBe(true);
    expect(embedText(started.message)).toMatch(
      new RegExp(
        `Round robin tournament #\\d+ started <t:\\d+:R>: 3 bots, 3 matches of 300 rounds\\. Progress and results go to <#${channel}>\\.`,
      ),
    );

    const [progress, results] = await untilResults(channel);
    await h.fake.waitFor(
      () => /3\/3 matches · done/.test(h.fake.message(progress!.id)?.content ?? ''),
      10_000,
    );
    expect(h.fake.message(progress!.id)?.content).toContain(`Started by <@${users.ann!.id}>`);
    expect(results!.embeds[0]?.title).toMatch(/Round robin tournament #\d+: results/);
    expect(results!.attachments[0]?.description).toMatch(/^Rating chart of 3 bots/);
    const thread = h.fake.store.channels.get(progress!.id);
    expect(thread).toMatchObject({ parent_id: channel });
    await h.fake.waitFor(() => h.fake.channelMessages(progress!.id).length === 2, 10_000);

    // Results are announced just before the row is marked finished (at-least-once: a crash in
    // between announces twice rather than never), so history may briefly still say running.
    let history = '';
    for (let attempt = 0; attempt < 50 && !/winner \*\*/.test(history); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const reply = await run(h.fake, {
        name: 'tournament',
        subcommand: 'history',
        guildId: guild.id,
        user: users.ann!,
      });
      history = embedText(reply.message);
    }
    expect(history).toMatch(/Round robin · <t:\d+:d> · 3 bots · winner \*\*/);
    // The leaderboard now has the three bots, rated.
    const board = await run(h.fake, { name: 'leaderboard', guildId: guild.id, user: users.cat! });
    expect(embedText(board.message)).toMatch(/3 bots/);
  });

  it('schedule: the slot fires under the fake clock and the tournament posts in the chosen channel', async () => {
    const { guild, users } = await h.guild('Scheduled server', ['dan', 'eve', 'fay']);
    await seedBots(guild, users);
    const channel = h.fake.addChannel('tournaments', guild.id);
    const set = await run(h.fake, {
      name: 'tournament',
      subcommand: 'schedule',
      guildId: guild.id,
      user: users.dan!,
      options: { cron: '0 20 * * 5', channel, format: 'single-elimination' },
    });
    // Friday 6 March 2026, 20:00 UTC.
    const slot = Date.UTC(2026, 2, 6, 20) / 1000;
    expect(embedText(set.message)).toContain(`Next: <t:${slot}:F> (<t:${slot}:R>)`);
    clock.advanceTo(new Date(slot * 1000));
    const [progress, results] = await untilResults(channel.id);
    expect(progress!.content).toMatch(
      /\*\*Single elimination tournament #\d+\*\* · 3 bots · 2 matches of 300 rounds/,
    );
    expect(progress!.content).toContain('Started on schedule');
    expect(results!.embeds[0]?.title).toMatch(/Single elimination tournament #\d+: results/);
    const status = await run(h.fake, {
      name: 'tournament',
      subcommand: 'status',
      guildId: guild.id,
      user: users.dan!,
    });
    expect(embedText(status.message)).toContain(`Next: <t:${Date.UTC(2026, 2, 13, 20) / 1000}:F>`);
  });
});
