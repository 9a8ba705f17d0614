import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiscordTournamentAnnouncer } from '../../src/discord/tournament-announcer.js';
import { createTournamentService } from '../../src/engine/tournaments/index.js';
import { useTestDatabase } from '../support/database.js';
import { startFakeDiscord } from '../support/fake-discord/index.js';
import { expectFitsPhone } from '../support/phone-width.js';
import { useSandbox } from '../support/sandbox.js';
import { engineDeps, guildWithBots } from '../support/tournaments.js';

// The Discord announcer driving the real discord.js client against the fake Discord, through a
// real (small) tournament: what a channel sees from start to results.
const { db } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
const fake = await startFakeDiscord();
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: fake.restUrl, globalRequestsPerSecond: 1e6 },
});
const ready = once(client, Events.ClientReady);
await client.login(fake.token);
await ready;
afterAll(async () => {
  await client.destroy();
  await fake.close();
});

describe('Discord tournament announcer', () => {
  it('posts progress (edited), a thread with the entrants and standings, and the results with the chart', async () => {
    // The tournament's guild is the one the channel is in: the announcer posts nowhere else.
    const { guild } = await guildWithBots(
      deps,
      ['rock.component', 'cycle.component', 'beatlast.command'],
      'Throwdown Test',
      fake.guildId,
    );
    const service = createTournamentService({
      deps,
      announcer: createDiscordTournamentAnnouncer(client),
      concurrency: 2,
      progressIntervalMs: 0,
    });
    const admin = fake.users.alice.id;
    const started = await service.startNow({
      guildId: guild.id,
      channelId: fake.channelId,
      rounds: 200,
      startedBy: admin,
    });
    if (!started.ok) throw new Error(started.error.message);
    const t = started.value;
    expect(await service.waitFor(t.id)).toBe('finished');
    await service.stop();

    const row = (await deps.repos.tournaments.get(t.id))!;
    const [progress, results, ...rest] = fake.channelMessages();
    expect(rest).toEqual([]);
    expect(progress?.id).toBe(row.progressMessageId);
    expect(progress?.content).toContain(
      `**Round robin tournament #${t.id}** · 3 bots · 3 matches of 200 rounds`,
    );
    expect(progress?.content).toContain(`Started by <@${admin}> <t:`);
    expect(progress?.content).toMatch(/Round robin: 3\/3 matches · done in/);
    expect(progress?.content).toContain(`Details in <#${row.threadId}>.`);
    expect(progress?.edited_timestamp).not.toBeNull();

    expect(results?.embeds[0]?.title).toBe(`Round robin tournament #${t.id}: results`);
    // The owner with its tag ("#" escaped in prose).
    expect(results?.embeds[0]?.description).toMatch(/Winner: \*\*player\d\\#[0-9A-Z]{4}\/[\w\\-]+\*\*/);
    expect(results?.embeds[0]?.footer?.text).toMatch(/^3 matches in .* · ratings updated$/);
    expect(results?.embeds[1]?.description).toMatch(/Leaderboard.*3 bots/);
    expect(results?.attachments.map((a) => a.filename)).toEqual(['ratings.png']);
    expect(results?.attachments[0]?.description).toMatch(/^Rating chart of 3 bots/);

    const thread = fake.store.channels.get(row.threadId!);
    expect(thread).toMatchObject({ name: `Tournament #${t.id}: Round robin`, parent_id: fake.channelId });
    const inThread = fake.channelMessages(row.threadId!).map((m) => m.content);
    expect(inThread).toHaveLength(2);
    // Phone-width tables, the owner on the line under each bot.
    expect(inThread[0]).toMatch(/^Entrants .*\n```\nbot +ver +rating\n-+\n\S+ +v1 +\d+\nby player\d/);
    expect(inThread[1]).toMatch(/^Final standings of tournament #\d+:\n```\n *# +bot +pts +W-D-L +rating\n/);
    for (const text of inThread) expectFitsPhone(text);
    expectFitsPhone(results!);

    // Every message sent or edited asked Discord to ping nobody.
    const writes = fake.requests.filter(
      (r) => (r.method === 'POST' || r.method === 'PATCH') && /\/messages(\/:message)?$/.test(r.route ?? ''),
    );
    expect(writes.length).toBeGreaterThanOrEqual(5);
    for (const w of writes)
      expect([w.method, w.path, w.body?.allowed_mentions]).toEqual([w.method, w.path, { parse: [] }]);
    expect(writes.filter((w) => w.method === 'PATCH').length).toBeGreaterThanOrEqual(2);
  });
});
