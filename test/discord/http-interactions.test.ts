// Interactions over HTTP (DISCORD_INTERACTIONS=http): the fake POSTs each interaction, signed
// with the application's Ed25519 key, to the service's endpoint, as Discord does once an
// Interactions Endpoint URL is set, and nothing comes over the gateway. The service answers
// through the same REST callback and webhook as on the gateway. With two instances the fake
// plays a load balancer, sending each interaction to the next instance in turn.
import type { APIUser, Client } from 'discord.js';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tournamentCommand } from '../../src/commands/tournament.js';
import { createDiscordTournamentAnnouncer } from '../../src/discord/tournament-announcer.js';
import { createTournamentService } from '../../src/engine/tournaments/index.js';
import { createScheduler } from '../../src/engine/tournaments/scheduler.js';
import { silentLogger } from '../../src/util/logger.js';
import { useTestDatabase } from '../support/database.js';
import { FakeClock } from '../support/fake-clock.js';
import type { GuildRecord } from '../support/fake-discord/index.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { engineDeps } from '../support/tournaments.js';
import { answered, embedText, startHarness } from './harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
// Tournament posts go through the REST-only client of the first instance (no gateway cache).
let client: Client | null = null;
const tournaments = createTournamentService({
  deps,
  announcer: createDiscordTournamentAnnouncer(() => client),
  concurrency: 2,
  progressIntervalMs: 200,
});
const scheduler = createScheduler({
  schedules: deps.repos.schedules,
  clock: new FakeClock('2026-03-06T12:00:00Z'),
  logger: silentLogger,
  defaultTimezone: 'UTC',
  defaultRounds: 100,
  fire: (row) => tournaments.startScheduled(row),
});
const h = await startHarness({
  db,
  sandbox,
  transport: 'http',
  defaultRounds: 100,
  extra: [tournamentCommand({ service: tournaments, scheduler })],
});
client = h.service.client;
afterAll(async () => {
  scheduler.stop();
  await tournaments.stop();
  await h.close();
});

const R = InteractionResponseType;

async function seed(guild: GuildRecord, user: APIUser, name: string) {
  const result = await h.engine.submit({
    guild: { id: guild.id, name: guild.name },
    player: { userId: user.id, displayName: user.username },
    name,
    bytes: botBytes('rock.component'),
  });
  if (!result.ok) throw new Error(result.error.message);
}

describe('interactions over HTTP', () => {
  it('the endpoint answers PING with PONG, and no gateway session is opened', async () => {
    const pong = await h.fake.ping(h.service.endpointUrl!);
    expect(pong.status).toBe(200);
    expect(JSON.parse(pong.body)).toEqual({ type: 1 });
    expect(h.fake.gateway.connected).toBe(0);
    const health = await fetch(new URL('/healthz', h.service.endpointUrl!));
    expect(health.status).toBe(200);
  });

  it('/help, /leaderboard and /bot list: acknowledged (202), deferred, then filled in over REST', async () => {
    const { guild, users } = await h.guild('Over HTTP');
    await seed(guild, users.ann!, 'anvil');

    const helpHandle = h.fake.sendChatInput({ name: 'help', guildId: guild.id, user: users.ann });
    const help = await answered(h.fake, helpHandle);
    expect((await helpHandle.delivered()).status).toBe(202);
    // Deferred privately through the callback endpoint, then the reply edited in with the token.
    expect(help.replies.map((r) => r.kind)).toEqual(['callback', 'edit']);
    expect(help.replies[0]).toMatchObject({ type: R.DeferredChannelMessageWithSource });
    expect(help.ephemeral).toBe(true);
    expect(embedText(help.message)).toContain('Throwdown: rock-paper-scissors');

    const boardHandle = h.fake.sendChatInput({ name: 'leaderboard', guildId: guild.id, user: users.ben });
    const board = await answered(h.fake, boardHandle);
    expect((await boardHandle.delivered()).status).toBe(202);
    expect(board.ephemeral).toBe(false);
    expect(embedText(board.message)).toContain('anvil');

    const listHandle = h.fake.sendChatInput({
      name: 'bot',
      subcommand: 'list',
      guildId: guild.id,
      user: users.ben,
      options: { owner: users.ann! },
    });
    const list = await answered(h.fake, listHandle);
    expect((await listHandle.delivered()).status).toBe(202);
    expect(embedText(list.message)).toContain('anvil');
  });

  it('/challenge plays a match: public "thinking…" first, the result edited in when it is done', async () => {
    const { guild, users } = await h.guild('Challenge over HTTP');
    await seed(guild, users.ann!, 'rocky');
    await seed(guild, users.ben!, 'stone');
    const handle = h.fake.sendChatInput({
      name: 'challenge',
      guildId: guild.id,
      user: users.ann,
      options: { opponent: users.ben!, rounds: 50 },
    });
    const answer = await answered(h.fake, handle, 60_000);
    expect((await handle.delivered()).status).toBe(202);
    expect(answer.replies[0]).toMatchObject({ kind: 'callback', type: R.DeferredChannelMessageWithSource });
    const first = answer.replies[0];
    expect(first?.kind === 'callback' && ((first.data?.flags as number) ?? 0) & MessageFlags.Ephemeral).toBe(
      0,
    );
    expect(answer.ephemeral).toBe(false);
    expect(embedText(answer.message)).toMatch(/rocky/);
    expect(embedText(answer.message)).toMatch(/stone/);
  });

  it('a button press arrives over HTTP too: the presser gets their own page', async () => {
    const { guild, users } = await h.guild('Paging over HTTP');
    for (let i = 0; i < 11; i++)
      await seed(guild, i % 2 ? users.ann! : users.ben!, `b${String(i).padStart(2, '0')}`);
    const board = await answered(
      h.fake,
      h.fake.sendChatInput({ name: 'leaderboard', guildId: guild.id, user: users.ann }),
    );
    expect(embedText(board.message)).toContain('page 1/2');
    const handle = h.fake.sendButton({
      customId: 'leaderboard:page:2',
      messageId: board.message.id,
      user: users.ben,
      guildId: guild.id,
    });
    const press = await answered(h.fake, handle);
    expect((await handle.delivered()).status).toBe(202);
    expect(press.ephemeral).toBe(true);
    expect(embedText(press.message)).toContain('page 2/2');
  });

  it('a tournament started over HTTP posts its progress, thread and results with the bot token', async () => {
    const { guild, users } = await h.guild('Tournament over HTTP', ['ann', 'ben', 'cat']);
    for (const [i, user] of [users.ann!, users.ben!, users.cat!].entries()) await seed(guild, user, `t${i}`);
    const channel = guild.channelIds[0]!;
    const started = await answered(
      h.fake,
      h.fake.sendChatInput({
        name: 'tournament',
        subcommand: 'run-now',
        guildId: guild.id,
        user: users.ann,
        options: { rounds: 50 },
      }),
    );
    expect(embedText(started.message)).toMatch(/tournament #\d+ started/);
    // The bot's own posts (not webhook replies): the progress message, then the results.
    const [progress, results] = await h.fake.waitFor(
      () => {
        const mine = h.fake.channelMessages(channel).filter((m) => !m.webhook_id);
        return mine.length >= 2 && mine[1]!.embeds.length > 0 ? mine : undefined;
      },
      60_000,
      'the results post',
    );
    expect(progress!.content).toContain('Started by');
    expect(embedText(results!)).toMatch(/t0|t1|t2/);
    expect(
      [...h.fake.store.channels.values()].some((c) => 'name' in c && /Tournament #/.test(c.name ?? '')),
    ).toBe(true);
  });

  it('two instances behind a load balancer: interactions alternate between them and both answer', async () => {
    const second = await h.addInstance();
    const { guild, users } = await h.guild('Balanced');
    await seed(guild, users.ann!, 'pebble');
    const urls: string[] = [];
    for (let i = 0; i < 6; i++) {
      const handle = h.fake.sendChatInput({
        name: i % 2 ? 'leaderboard' : 'help',
        guildId: guild.id,
        user: i % 3 ? users.ann : users.ben,
      });
      const answer = await answered(h.fake, handle);
      const delivery = await handle.delivered();
      expect(delivery.status).toBe(202);
      urls.push(delivery.url);
      expect(embedText(answer.message)).toMatch(i % 2 ? /pebble/ : /Throwdown/);
    }
    // Round robin: first, second, first, ...; each instance wrote its own "answered" lines.
    expect(new Set(urls)).toEqual(new Set([h.service.endpointUrl, second.endpointUrl]));
    expect(urls[0]).not.toBe(urls[1]);
    const answeredBy = (n: number) =>
      h.logs.filter((l) => l.includes(' answered ') && l.includes(`instance=${n}`) && l.includes(guild.id));
    // The "answered" line is written just after the last reply reached Discord.
    await vi.waitFor(() => expect(answeredBy(2)).toHaveLength(3));
    expect(answeredBy(1)).toHaveLength(3);
  });
});
