// The fake, driven by the real discord.js client: each test plays a user against a client
// wired to the fake and asserts on what the fake received, so a fake that lies fails here.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInflate, constants as zlibConstants } from 'node:zlib';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Guild,
  type Interaction,
  InteractionResponseType,
  type Message,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from './fake-discord/index.js';

// A 1x1 transparent PNG: real magic bytes, so content-type sniffing sees an image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let fake: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await fake?.close();
  fake = undefined;
});

async function start(options?: FakeDiscordOptions): Promise<FakeDiscord> {
  fake = await startFakeDiscord(options);
  return fake;
}

function newClient(f: FakeDiscord, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]): Client {
  const client = new Client({
    intents,
    rest: { api: f.restUrl, globalRequestsPerSecond: 1e6 },
  });
  clients.push(client);
  return client;
}

/** Log in and wait for clientReady (listening first: READY can beat `login()`'s promise). */
async function connect(f: FakeDiscord): Promise<Client<true>> {
  const client = newClient(f);
  const ready = once(client, Events.ClientReady);
  await client.login(f.token);
  await ready;
  return client as Client<true>;
}

/** Run `handler` for each interaction; its errors fail the test via `errors`. */
function onInteraction(client: Client, handler: (i: Interaction) => Promise<unknown>): unknown[] {
  const errors: unknown[] = [];
  client.on(Events.InteractionCreate, (i) => void handler(i).catch((e) => errors.push(e)));
  return errors;
}

const channelOf = (client: Client, f: FakeDiscord) => client.channels.cache.get(f.channelId) as TextChannel;

describe('fake Discord with the real discord.js client', () => {
  it('logs in: READY, GUILD_CREATE with channels and members, heartbeats acknowledged', async () => {
    const f = await start({ heartbeatIntervalMs: 40 });
    const t0 = performance.now();
    const client = await connect(f);
    const readyMs = performance.now() - t0;

    expect(client.user.id).toBe(f.bot.id);
    expect(client.application.id).toBe(f.applicationId);
    const guild = client.guilds.cache.get(f.guildId)!;
    expect(guild.name).toBe('Throwdown Test');
    expect(guild.channels.cache.get(f.channelId)?.name).toBe('general');
    expect(guild.members.me?.id).toBe(f.bot.id);
    // Guilds alone caches only the bot's member (GuildMembers is privileged); others via REST.
    expect(guild.members.cache.has(f.users.alice.id)).toBe(false);
    expect((await guild.members.fetch(f.users.alice.id)).user.username).toBe('alice');
    expect(guild.memberCount).toBe(3);
    expect(guild.ownerId).toBe(f.users.alice.id);
    expect(f.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toContain('GET /gateway/bot 200');
    const identify = f.gateway.received.find((frame) => frame.op === 2);
    expect(identify?.d).toMatchObject({ token: f.token, intents: GatewayIntentBits.Guilds });

    // ws.ping is set only when an ACK (op 11) answers a heartbeat (op 1).
    await f.waitFor(
      () => f.gateway.received.filter((frame) => frame.op === 1).length >= 2,
      2000,
      'heartbeats',
    );
    await f.waitFor(() => client.ws.ping >= 0, 2000, 'a heartbeat ACK');
    // REST reads behind the cache.
    expect((await client.user.fetch(true)).username).toBe('throwdown');
    expect(await client.rest.get(Routes.user('@me'))).toMatchObject({ id: f.bot.id, bot: true });
    expect((await client.application.fetch()).name).toBe('throwdown');
    expect((await client.guilds.fetch({ guild: f.guildId, force: true })).name).toBe('Throwdown Test');
    expect((await client.channels.fetch(f.channelId, { force: true }))?.type).toBe(ChannelType.GuildText);
    const routes = f.requests.map((r) => `${r.method} ${r.route}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /users/@me',
        'GET /users/:user',
        'GET /applications/@me',
        'GET /guilds/:guild',
        'GET /channels/:channel',
      ]),
    );
    console.info(`login to clientReady: ${readyMs.toFixed(1)} ms`);
  });

  it('sends every member to GuildMembers clients, and GUILD_CREATE when the bot joins later', async () => {
    const f = await start();
    const client = newClient(f, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
    const ready = once(client, Events.ClientReady);
    await client.login(f.token);
    await ready;
    expect(client.guilds.cache.get(f.guildId)?.members.cache.get(f.users.bob.id)?.user.username).toBe('bob');

    const joined = once(client, Events.GuildCreate);
    const second = f.addGuild({ name: 'Second Server', members: [f.users.bob], channels: ['arena', 'logs'] });
    const [guild] = (await joined) as [Guild];
    expect(guild.id).toBe(second.id);
    expect(guild.channels.cache.map((c) => c.name).sort()).toEqual(['arena', 'logs']);
    expect(guild.ownerId).toBe(f.users.bob.id);
  });

  it('registers guild and global commands, keeps ids on re-registration, rejects invalid ones', async () => {
    const f = await start();
    const client = await connect(f);
    const commands = [
      new SlashCommandBuilder()
        .setName('submit')
        .setDescription('Submit a bot')
        .addAttachmentOption((o) => o.setName('bot').setDescription('The .wasm file').setRequired(true)),
      new SlashCommandBuilder().setName('leaderboard').setDescription('Show standings'),
    ].map((c) => c.toJSON());
    const set = await client.application.commands.set(commands, f.guildId);
    expect([...set.values()].map((c) => c.name).sort()).toEqual(['leaderboard', 'submit']);
    const registered = f.registeredCommands(f.guildId);
    expect(registered.map((c) => c.name).sort()).toEqual(['leaderboard', 'submit']);
    expect(registered.find((c) => c.name === 'submit')?.options?.[0]).toMatchObject({
      name: 'bot',
      type: 11,
    });
    expect(f.requests.at(-1)).toMatchObject({
      method: 'PUT',
      route: '/applications/:app/guilds/:guild/commands',
    });

    const again = await client.application.commands.set(commands, f.guildId);
    expect(again.map((c) => c.id).sort()).toEqual(set.map((c) => c.id).sort());

    await client.application.commands.create({ name: 'ping', description: 'Global ping' });
    expect(f.registeredCommands().map((c) => c.name)).toEqual(['ping']);
    expect((await client.application.commands.fetch()).map((c) => c.name)).toEqual(['ping']);

    const bad = await client.application.commands
      .create({ name: 'Bad Name', description: 'x' })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(DiscordAPIError);
    expect((bad as DiscordAPIError).code).toBe(50035);
  });

  it('runs /submit: defer, download the attachment from the CDN, edit with an embed, follow up', async () => {
    const f = await start();
    const client = await connect(f);
    const wasm = Buffer.from('\0asm\x01\0\0\0fake bot body');
    let followUp: Message | undefined;
    const errors = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      const file = i.options.getAttachment('bot', true);
      const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
      const sha = createHash('sha256').update(bytes).digest('hex');
      await i.editReply({
        embeds: [
          new EmbedBuilder()
            .setTitle(`Received ${file.name}`)
            .setDescription(`${bytes.length} bytes, ${sha}`),
        ],
      });
      followUp = await i.followUp({ content: 'Queued for the next tournament' });
    });

    const attachment = f.addAttachment({
      filename: 'rps.wasm',
      bytes: wasm,
      contentType: 'application/wasm',
    });
    const t0 = performance.now();
    const handle = f.sendChatInput({ name: 'submit', user: f.users.bob, options: { bot: attachment } });
    const replies = await handle.waitForReplies(3);
    const roundTripMs = performance.now() - t0;

    expect(errors).toEqual([]);
    expect(replies.map((r) => r.kind)).toEqual(['callback', 'edit', 'followup']);
    expect(replies[0]).toMatchObject({
      kind: 'callback',
      type: InteractionResponseType.DeferredChannelMessageWithSource,
    });
    const sha = createHash('sha256').update(wasm).digest('hex');
    expect(replies[1]).toMatchObject({ kind: 'edit', target: '@original' });
    const original = handle.original()!;
    expect(original.embeds[0]).toMatchObject({
      title: 'Received rps.wasm',
      description: `${wasm.length} bytes, ${sha}`,
    });
    expect(original.flags! & MessageFlags.Loading).toBe(0);
    expect(original.interaction_metadata?.user.id).toBe(f.users.bob.id);
    expect(f.requests.some((r) => r.route?.startsWith('/cdn/') && r.status === 200)).toBe(true);
    // The original (filled in) and the follow-up, in order, in the channel.
    expect(f.channelMessages().map((m) => m.content)).toEqual(['', 'Queued for the next tournament']);
    expect(f.requests.find((r) => r.route === '/webhooks/:app/:token')?.query.get('wait')).toBe('true');
    // discord.js built its Message from the fake's answer (wait=true returns the message).
    await f.waitFor(() => followUp, 2000, 'followUp() to resolve');
    expect(followUp?.id).toBe(replies[2]?.kind === 'followup' && replies[2].message.id);
    expect(followUp?.content).toBe('Queued for the next tournament');
    console.info(`/submit round trip (defer, download, edit, follow-up): ${roundTripMs.toFixed(1)} ms`);
  });

  it('fills a deferred reply with the first follow-up, as Discord does', async () => {
    const f = await start();
    const client = await connect(f);
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.followUp('first');
      await i.followUp('second');
    });
    const handle = f.sendChatInput({ name: 'practice' });
    const replies = await handle.waitForReplies(3);
    expect(replies[1]?.kind === 'followup' && replies[1].message.id).toBe(handle.original()?.id);
    expect(handle.original()).toMatchObject({ content: 'first', flags: MessageFlags.Ephemeral });
    expect(f.channelMessages().map((m) => m.content)).toEqual(['first', 'second']);
  });

  it('answers an ephemeral reply with flags 64', async () => {
    const f = await start();
    const client = await connect(f);
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand())
        await i.reply({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    });
    const reply = await f.sendChatInput({ name: 'rank' }).response();
    expect(reply.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(reply.data).toMatchObject({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    expect(reply.message?.flags).toBe(MessageFlags.Ephemeral);
  });

  it('posts a channel message with a PNG and an attachment description (multipart)', async () => {
    const f = await start();
    const client = await connect(f);
    const sent = await channelOf(client, f).send({
      content: 'Ratings',
      files: [{ attachment: PNG, name: 'chart.png', description: 'Rating chart: alice 1520, bob 1480' }],
    });

    const request = f.requests.find((r) => r.method === 'POST' && r.route === '/channels/:channel/messages')!;
    expect(request.body).toMatchObject({ content: 'Ratings' });
    expect(request.files).toHaveLength(1);
    expect(request.files[0]).toMatchObject({
      field: 'files[0]',
      filename: 'chart.png',
      contentType: 'image/png',
    });
    expect(request.files[0]!.bytes.equals(PNG)).toBe(true);
    const stored = f.channelMessages()[0]!;
    expect(stored.attachments[0]).toMatchObject({
      filename: 'chart.png',
      description: 'Rating chart: alice 1520, bob 1480',
    });
    expect(sent.attachments.first()?.description).toBe('Rating chart: alice 1520, bob 1480');
    // What the bot uploaded can be downloaded again from the CDN.
    const again = Buffer.from(await (await fetch(sent.attachments.first()!.url)).arrayBuffer());
    expect(again.equals(PNG)).toBe(true);
  });

  it('edits a channel message; the fake keeps the latest content', async () => {
    const f = await start();
    const client = await connect(f);
    const message = await channelOf(client, f).send('Round 1 of 3');
    const edited = await message.edit('Round 2 of 3');
    expect(edited.content).toBe('Round 2 of 3');
    expect(edited.editedTimestamp).not.toBeNull();
    expect(f.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      route: '/channels/:channel/messages/:message',
    });
    expect(f.channelMessages().map((m) => m.content)).toEqual(['Round 2 of 3']);
    await message.delete();
    expect(f.channelMessages()).toEqual([]);
  });

  it('answers a button click with an update (type 7) of the message it is on', async () => {
    const f = await start();
    const client = await connect(f);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('page:2').setLabel('Next').setStyle(ButtonStyle.Primary),
    );
    const board = await channelOf(client, f).send({ content: 'Page 1/2', components: [row] });
    onInteraction(client, async (i) => {
      if (i.isButton() && i.customId === 'page:2') await i.update({ content: 'Page 2/2', components: [] });
    });
    const reply = await f
      .sendButton({ customId: 'page:2', messageId: board.id, user: f.users.bob })
      .response();
    expect(reply.type).toBe(InteractionResponseType.UpdateMessage);
    expect(f.message(board.id)).toMatchObject({ content: 'Page 2/2', components: [] });
  });

  it('defers a button update (type 6), then edits the message it is on', async () => {
    const f = await start();
    const client = await connect(f);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('refresh').setLabel('Refresh').setStyle(ButtonStyle.Secondary),
    );
    const board = await channelOf(client, f).send({ content: 'Standings (stale)', components: [row] });
    onInteraction(client, async (i) => {
      if (!i.isButton()) return;
      await i.deferUpdate();
      await i.editReply({ content: 'Standings (fresh)' });
    });
    const handle = f.sendButton({ customId: 'refresh', messageId: board.id });
    const [callback, edit] = await handle.waitForReplies(2);
    expect(callback).toMatchObject({ kind: 'callback', type: InteractionResponseType.DeferredMessageUpdate });
    expect(edit).toMatchObject({ kind: 'edit', target: '@original' });
    expect(f.message(board.id)?.content).toBe('Standings (fresh)');
    expect(f.channelMessages()).toHaveLength(1);
  });

  it('replies with a file (multipart callback), fetches, edits a follow-up by id and deletes', async () => {
    const f = await start();
    const client = await connect(f);
    const seen: string[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'Your chart', files: [{ attachment: PNG, name: 'me.png' }] });
      seen.push((await i.fetchReply()).attachments.first()?.name ?? 'none');
      const extra = await i.followUp('extra');
      await i.editReply({ message: extra.id, content: 'extra (edited)' });
      await i.deleteReply();
      seen.push('done');
    });
    const handle = f.sendChatInput({ name: 'chart' });
    const replies = await handle.waitForReplies(4);
    expect(replies.map((r) => r.kind)).toEqual(['callback', 'followup', 'edit', 'delete']);
    const callback = replies[0]!;
    expect(callback.kind === 'callback' && callback.files.map((file) => file.filename)).toEqual(['me.png']);
    expect(replies[2]).toMatchObject({ kind: 'edit', target: expect.stringMatching(/^\d+$/) });
    await f.waitFor(() => seen.includes('done'));
    expect(seen[0]).toBe('me.png');
    expect(f.channelMessages().map((m) => m.content)).toEqual(['extra (edited)']);
  });

  it('answers autocomplete with choices for the focused option', async () => {
    const f = await start();
    const client = await connect(f);
    const bots = ['rock-bot', 'rocket', 'paper-bot', 'scissors'];
    onInteraction(client, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond(bots.filter((b) => b.startsWith(typed)).map((b) => ({ name: b, value: b })));
    });
    const handle = f.sendAutocomplete({ name: 'match', options: { bot: 'roc', rounds: 3 }, focused: 'bot' });
    const reply = await handle.response();
    expect(reply.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(reply.data?.choices).toEqual([
      { name: 'rock-bot', value: 'rock-bot' },
      { name: 'rocket', value: 'rocket' },
    ]);
  });

  it('resolves options of every kind (user/member, role, channel, primitives) under subcommands', async () => {
    const f = await start();
    const client = await connect(f);
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const o = i.options;
      const member = o.getMember('opponent');
      const parts = [
        `${o.getSubcommandGroup()}/${o.getSubcommand()}:`,
        `${i.user.username} vs ${o.getUser('opponent', true).username}`,
        `(${member && 'joinedAt' in member ? 'member' : 'no member'})`,
        `x${o.getInteger('rounds')} ranked=${o.getBoolean('ranked')} in #${o.getChannel('arena')?.name}`,
        `"${o.getString('note')}" seed=${o.getRole('seed')?.name} ref=${o.getUser('referee')?.username}`,
      ];
      await i.reply(parts.join(' '));
    });
    const organisers = f.addRole('Organisers', PermissionFlagsBits.ManageGuild);
    const handle = f.sendChatInput({
      name: 'tournament',
      subcommandGroup: 'match',
      subcommand: 'challenge',
      options: {
        opponent: f.users.bob,
        rounds: 5,
        ranked: true,
        arena: f.store.channels.get(f.channelId)!,
        note: 'gg',
        seed: organisers,
        // Explicit type: a bare id cannot say it is a user.
        referee: { type: ApplicationCommandOptionType.User, value: f.users.alice.id },
      },
    });
    const reply = await handle.response();
    expect(reply.data?.content).toBe(
      'match/challenge: alice vs bob (member) x5 ranked=true in #general "gg" seed=Organisers ref=alice',
    );
  });

  it('creates threads (standalone and from a message) and posts in them', async () => {
    const f = await start();
    const client = await connect(f);
    const channel = channelOf(client, f);
    const thread = await channel.threads.create({ name: 'Tournament #1', type: ChannelType.PublicThread });
    await thread.send('Round 1: alice beats bob');
    expect(f.requests.find((r) => r.route === '/channels/:channel/threads')?.body).toMatchObject({
      name: 'Tournament #1',
      type: ChannelType.PublicThread,
    });
    expect(f.channelMessages(thread.id).map((m) => m.content)).toEqual(['Round 1: alice beats bob']);

    const starter = await channel.send('Submission from bob');
    const fromMessage = await starter.startThread({ name: 'bob-submission' });
    expect(fromMessage.id).toBe(starter.id);
    await fromMessage.send('Validating…');
    expect(f.channelMessages(starter.id).map((m) => m.content)).toEqual(['Validating…']);
    expect(f.message(starter.id)?.thread?.name).toBe('bob-submission');
    // THREAD_CREATE reached the client over the gateway too.
    await f.waitFor(() => client.channels.cache.get(thread.id));
  });

  it('rejects login with TokenInvalid when /gateway/bot answers 401', async () => {
    const f = await start();
    const client = newClient(f);
    const error = await client.login('not-the-token').catch((e) => e);
    expect(error).toMatchObject({ code: 'TokenInvalid' });
    expect(f.requests).toContainEqual(expect.objectContaining({ path: '/gateway/bot', status: 401 }));
    expect(f.gateway.received).toEqual([]);
  });

  it('makes editReply reject with 50027 once the interaction token expired', async () => {
    const f = await start();
    const client = await connect(f);
    let proceed!: () => void;
    const expired = new Promise<void>((resolve) => {
      proceed = resolve;
    });
    const outcome = new Promise<unknown>((resolve) => {
      onInteraction(client, async (i) => {
        if (!i.isChatInputCommand()) return;
        await i.deferReply();
        await expired;
        resolve(await i.editReply('Tournament finished').catch((e) => e));
      });
    });
    const handle = f.sendChatInput({ name: 'run' });
    await handle.response();
    handle.expire();
    proceed();
    const error = await outcome;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50027, status: 401 });
    expect(f.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: expect.stringContaining('@original'),
      status: 401,
    });
    expect(handle.replies().map((r) => r.kind)).toEqual(['callback']);
  });

  it('expires interaction tokens after interactionTokenTtlMs (the 15-minute rule, shortened)', async () => {
    const f = await start({ interactionTokenTtlMs: 40 });
    const client = await connect(f);
    const outcome = new Promise<unknown>((resolve) => {
      onInteraction(client, async (i) => {
        if (!i.isChatInputCommand()) return;
        await i.deferReply();
        await new Promise((r) => setTimeout(r, 80));
        resolve(await i.followUp('Round 40 of 40').catch((e) => e));
      });
    });
    f.sendChatInput({ name: 'run' });
    expect(await outcome).toMatchObject({ code: 50027, status: 401 });
    // The bot token is untouched: a 401 on a token-less webhook route must not log the client out.
    expect((await channelOf(client, f).send('Tournament finished')).content).toBe('Tournament finished');
  });

  it('refuses a late first response (3 s rule) and a second one (40060)', async () => {
    const f = await start({ callbackDeadlineMs: 50 });
    const client = await connect(f);
    const outcomes: unknown[] = [];
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      if (i.commandName === 'slow') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        outcomes.push(await i.reply('too late').catch((e) => e));
      } else {
        await i.reply('once');
        // Bypass discord.js's own "already replied" guard to hit the API twice.
        outcomes.push(
          await client.rest
            .post(`/interactions/${i.id}/${i.token}/callback`, {
              body: { type: 4, data: { content: 'twice' } },
              auth: false,
            })
            .catch((e) => e),
        );
      }
    });
    f.sendChatInput({ name: 'slow' });
    f.sendChatInput({ name: 'fast' });
    await f.waitFor(() => outcomes.length === 2);
    const codes = outcomes.map((e) => (e as DiscordAPIError).code).sort();
    expect(codes).toEqual([10062, 40060]);
  });

  it('answers a burst of 20 concurrent interactions', async () => {
    const f = await start();
    const client = await connect(f);
    onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply(`standings for ${i.options.getInteger('page')}`);
    });
    const handles = Array.from({ length: 20 }, (_, page) =>
      f.sendChatInput({ name: 'leaderboard', options: { page } }),
    );
    await Promise.all(handles.map((h) => h.waitForReplies(2)));
    handles.forEach((h, page) => {
      expect(h.original()?.content).toBe(`standings for ${page}`);
    });
    expect(new Set(handles.map((h) => h.original()?.id)).size).toBe(20);
  });

  it('sends rate-limit headers and makes the client retry a simulated 429', async () => {
    const f = await start();
    const client = await connect(f);
    const limited: unknown[] = [];
    client.rest.on('rateLimited', (info) => limited.push(info));
    f.simulateRateLimit({ method: 'POST', route: '/channels/:channel/messages', retryAfterMs: 30 });
    const message = await channelOf(client, f).send('after a 429');
    expect(message.content).toBe('after a 429');
    const posts = f.requests.filter((r) => r.route === '/channels/:channel/messages' && r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(25);

    // A tight real bucket: the client must wait for the reset instead of hammering.
    f.setRateLimit({ method: 'POST', route: '/channels/:channel/messages', limit: 2, windowMs: 300 });
    const channel = channelOf(client, f);
    await Promise.all([channel.send('a'), channel.send('b'), channel.send('c')]);
    const statuses = f.requests.filter((r) => r.route === '/channels/:channel/messages').map((r) => r.status);
    expect(statuses.slice(2)).toEqual([200, 200, 200]);
    // It paused on X-RateLimit-Remaining: 0 (the event fires only for such pre-emptive waits).
    expect(limited.length).toBeGreaterThanOrEqual(1);
  });

  it('resumes after the gateway asks for a reconnect, replaying missed events', async () => {
    const f = await start();
    const client = await connect(f);
    const seen: string[] = [];
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) {
        seen.push(i.commandName);
        await i.reply('ok');
      }
    });
    f.gateway.requestReconnect();
    // Sent while the client is between sockets: it must arrive via RESUME's replay.
    await f.waitFor(() => f.gateway.connected === 0, 2000, 'the client to drop its socket');
    const handle = f.sendChatInput({ name: 'during-reconnect' });
    await handle.response();
    expect(seen).toEqual(['during-reconnect']);
    const resume = f.gateway.received.find((frame) => frame.op === 6);
    expect(resume?.path).toBe('/gateway-resume');
    expect(f.gateway.received.filter((frame) => frame.op === 2)).toHaveLength(1);
  });

  it('shows a modal (type 9) and reads the submitted fields', async () => {
    const f = await start();
    const client = await connect(f);
    onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) {
        await i.showModal(
          new ModalBuilder()
            .setCustomId('rename')
            .setTitle('Rename your bot')
            .addComponents(
              new ActionRowBuilder<TextInputBuilder>().addComponents(
                new TextInputBuilder().setCustomId('name').setLabel('Name').setStyle(TextInputStyle.Short),
              ),
            ),
        );
      } else if (i.isModalSubmit()) {
        await i.reply({
          content: `Renamed to ${i.fields.getTextInputValue('name')}`,
          flags: MessageFlags.Ephemeral,
        });
      }
    });
    const modal = await f.sendChatInput({ name: 'rename' }).response();
    expect(modal).toMatchObject({ type: InteractionResponseType.Modal, data: { custom_id: 'rename' } });
    const reply = await f.sendModalSubmit({ customId: 'rename', fields: { name: 'rocky' } }).response();
    expect(reply.data?.content).toBe('Renamed to rocky');
  });

  it('refuses what Discord refuses: a 2001-character reply (50035)', async () => {
    const f = await start();
    const client = await connect(f);
    const outcome = new Promise<unknown>((resolve) => {
      onInteraction(client, async (i) => {
        if (i.isChatInputCommand()) resolve(await i.reply('x'.repeat(2001)).catch((e) => e));
      });
    });
    f.sendChatInput({ name: 'leaderboard' });
    expect(await outcome).toMatchObject({ code: 50035, status: 400 });
  });

  it('serves attachments slowly, with a lying size, and on other host names', async () => {
    const f = await start({ cdnHost: 'localhost' });
    const big = Buffer.alloc(64 * 1024, 7);
    const liar = f.addAttachment({
      filename: 'big.wasm',
      bytes: big,
      advertisedSize: 1000,
      contentLength: false,
      chunkBytes: 16 * 1024,
      chunkDelayMs: 5,
    });
    expect(liar.size).toBe(1000);
    expect(new URL(liar.url).hostname).toBe('localhost');
    const res = await fetch(liar.url);
    expect(res.headers.get('content-length')).toBeNull();
    let received = 0;
    for await (const chunk of res.body!) received += (chunk as Uint8Array).byteLength;
    expect(received).toBe(big.length);

    // A reader that stops early (a byte limit) does not hang the fake.
    const early = await fetch(liar.url);
    const reader = early.body!.getReader();
    await reader.read();
    await reader.cancel();

    // A Content-Length the body never reaches: the download fails instead of hanging.
    const truncated = f.addAttachment({ filename: 't.wasm', bytes: Buffer.alloc(100), contentLength: 1000 });
    await expect(fetch(truncated.url).then((r) => r.arrayBuffer())).rejects.toThrow();

    const foreign = f.addAttachment({ filename: 'x.wasm', bytes: 'x', host: 'cdn.example.invalid' });
    expect(new URL(foreign.url).hostname).toBe('cdn.example.invalid');
    const local = f.addAttachment({ filename: 'y.wasm', bytes: 'y', host: '127.0.0.1' });
    expect(await (await fetch(local.url)).text()).toBe('y');
  });

  it('speaks zlib-stream to clients that ask for it (discord.js with zlib-sync installed)', async () => {
    const f = await start();
    const ws = new WebSocket(`${f.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = createInflate();
    const [frame] = (await once(ws, 'message')) as [Buffer];
    const text = await new Promise<string>((resolve) => {
      inflate.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      inflate.write(frame);
      inflate.flush(zlibConstants.Z_SYNC_FLUSH);
    });
    expect(frame.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff]))).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ op: 10 });
    ws.close();
    inflate.close();
    await once(ws, 'close');
  });
});
