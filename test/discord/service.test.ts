// Start-up, registration and shutdown of the Discord service against the fake.
import { GatewayIntentBits, ApplicationCommandOptionType as O } from 'discord.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main as deployMain } from '../../scripts/deploy-commands.js';
import { createDispatcher } from '../../src/commands/dispatch.js';
import { createCommands } from '../../src/commands/index.js';
import { createRateLimiter } from '../../src/commands/rate-limit.js';
import type { Command } from '../../src/commands/types.js';
import { loadConfig } from '../../src/config.js';
import { DiscordLoginError } from '../../src/discord/client.js';
import { startDiscord } from '../../src/discord/service.js';
import { silentLogger } from '../../src/util/logger.js';
import { useTestDatabase } from '../support/database.js';
import { startFakeDiscord } from '../support/fake-discord/index.js';
import { useSandbox } from '../support/sandbox.js';
import { answered, embedText, expectUserError, makeManager, run, startHarness } from './harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();

let release!: () => void;
const held = new Promise<void>((resolve) => {
  release = resolve;
});
/** Answers only when the test lets it: an interaction "in flight" for the shutdown test. */
const slowCommand: Command = {
  name: 'slow',
  description: 'Waits for the test',
  defer: 'public',
  async handle() {
    await held;
    return { content: 'finally done' };
  },
};
/** Admin-only, so the Manage Server check is exercised through Discord's permissions. */
const adminCommand: Command = {
  name: 'season',
  description: 'Start a season (server managers)',
  adminOnly: true,
  defer: 'ephemeral',
  handle: async (ctx) => ({ ephemeral: true, content: `season started by ${ctx.user.displayName}` }),
};

const h = await startHarness({ db, sandbox, extra: [slowCommand, adminCommand] });
afterAll(() => h.close());

describe('the Discord service', () => {
  it('logs in with the Guilds intent only and logs ready with the guild count, never the token', async () => {
    const identify = h.fake.gateway.received.find((f) => f.op === 2);
    expect(identify?.d).toMatchObject({ token: h.fake.token, intents: GatewayIntentBits.Guilds });
    expect(h.service.client.user?.id).toBe(h.fake.bot.id);
    expect(h.logs.find((l) => l.includes('connected to Discord'))).toMatch(/guilds=1 /);
    expect(h.logs.join('\n')).not.toContain(h.fake.token);
    expect(h.fake.requests.some((r) => r.path === '/gateway/bot' && r.status === 200)).toBe(true);
  });

  it('registered every command, with options typed the way Discord expects', () => {
    const registered = h.fake.registeredCommands();
    expect(registered.map((c) => c.name)).toEqual([
      'submit',
      'challenge',
      'leaderboard',
      'bot',
      'settings',
      'help',
      'admin',
      'slow',
      'season',
    ]);
    const put = h.fake.requests.find((r) => r.method === 'PUT' && r.route === '/applications/:app/commands');
    expect(put?.status).toBe(200);
    const submit = registered.find((c) => c.name === 'submit')!;
    expect(submit.options?.[0]).toMatchObject({ name: 'bot', type: O.Attachment, required: true });
    expect(registered.find((c) => c.name === 'season')?.default_member_permissions).toBe('32');
    expect(registered.find((c) => c.name === 'help')?.contexts).toEqual([0]);
  });

  it('refuses an admin-only command to a member without Manage Server, allows managers', async () => {
    const { guild, users } = await h.guild('Admin check');
    const refused = await run(h.fake, { name: 'season', guildId: guild.id, user: users.ben });
    expectUserError(refused, /server managers \(the Manage Server permission\)/);
    makeManager(h.fake, guild.id, users.ben!);
    const allowed = await run(h.fake, { name: 'season', guildId: guild.id, user: users.ben });
    expect(allowed.message.content).toBe('season started by Ben');
    const owner = await run(h.fake, { name: 'season', guildId: guild.id, user: users.ann });
    expect(owner.message.content).toBe('season started by Ann');
  });

  it('names people as the server shows them: nickname, else global name, else username', async () => {
    const { guild, users } = await h.guild('Names');
    const ann = users.ann!;
    const said = async () =>
      (await run(h.fake, { name: 'season', guildId: guild.id, user: ann })).message.content;
    expect(await said()).toBe('season started by Ann');
    guild.members.get(ann.id)!.nick = 'Rocky';
    expect(await said()).toBe('season started by Rocky');
    guild.members.get(ann.id)!.nick = null;
    h.fake.store.users.get(ann.id)!.global_name = null;
    expect(await said()).toBe('season started by ann');
  });

  it('answers in a guild joined after start-up (GUILD_CREATE) and logs the join', async () => {
    const { guild, users } = await h.guild('Late joiner');
    const help = await run(h.fake, { name: 'help', guildId: guild.id, user: users.ann });
    expect(embedText(help.message)).toContain('Throwdown');
    expect(h.logs.some((l) => l.includes('joined a server') && l.includes(guild.id))).toBe(true);
  });

  it('rejects a bad token with a plain reason, without logging the token', async () => {
    const fake = await startFakeDiscord();
    try {
      const config = loadConfig({ DISCORD_TOKEN: 'not-the-token', DISCORD_REST_URL: fake.restUrl });
      if (!config.ok) throw new Error('config');
      const lines: string[] = [];
      const logger = {
        ...silentLogger,
        error: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      };
      const error = await startDiscord({
        config: config.value,
        dispatcher: h.dispatcher,
        engine: h.engine,
        logger: { ...logger, child: () => logger },
      }).catch((e) => e);
      expect(error).toBeInstanceOf(DiscordLoginError);
      expect(error.message).toMatch(/Discord refused the token: check DISCORD_TOKEN/);
      expect(lines.join('\n')).toContain('login failed');
      expect(lines.join('\n')).not.toContain('not-the-token');
    } finally {
      await fake.close();
    }
  });

  it('stop() lets an interaction in flight finish, refuses new ones, then disconnects', async () => {
    const fake = await startFakeDiscord();
    try {
      const config = loadConfig({
        DISCORD_TOKEN: fake.token,
        DISCORD_REST_URL: fake.restUrl,
        DISCORD_ATTACHMENT_HOSTS: fake.cdnOrigin(),
      });
      if (!config.ok) throw new Error('config');
      const dispatcher = createDispatcher(
        createCommands({ docsUrl: null, extra: [slowCommand] }),
        createRateLimiter({ submit: 10, challenge: 10 }),
      );
      const service = await startDiscord({
        config: config.value,
        dispatcher,
        engine: h.engine,
        logger: silentLogger,
      });
      const slow = fake.sendChatInput({ name: 'slow' });
      await slow.response();
      const stopped = service.stop();
      // While draining, a new interaction is told to come back rather than left unanswered.
      const late = fake.sendChatInput({ name: 'help' });
      expectUserError(await answered(fake, late), /restarting/);
      expect(fake.gateway.connected).toBe(1);
      release();
      await stopped;
      expect(slow.original()?.content).toBe('finally done');
      expect(fake.gateway.connected).toBe(0);
    } finally {
      release();
      await fake.close();
    }
  });
});

describe('npm run deploy-commands (scripts/deploy-commands.ts)', () => {
  const env = (extra: Record<string, string>) => ({
    DISCORD_REST_URL: h.fake.restUrl,
    ...extra,
  });

  it('registers in the dev guild, or globally with --global, and prints what it did', async () => {
    const { guild } = await h.guild('Dev server');
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const base = { DISCORD_TOKEN: h.fake.token, DISCORD_APPLICATION_ID: h.fake.applicationId };
      expect(await deployMain(['node', 'deploy'], env({ ...base, DISCORD_DEV_GUILD_ID: guild.id }))).toBe(0);
      expect(h.fake.registeredCommands(guild.id).map((c) => c.name)).toEqual([
        'submit',
        'challenge',
        'leaderboard',
        'bot',
        'settings',
        'help',
        'admin',
        'tournament',
      ]);
      // Guild registrations carry no contexts (Discord refuses them there).
      const sent = h.fake.requests.at(-1)?.body as unknown as Array<Record<string, unknown>>;
      expect(sent).toHaveLength(8);
      expect(sent.filter((c) => 'contexts' in c || 'integration_types' in c)).toEqual([]);
      const printed = out.mock.calls.map((c) => c.join(' ')).join('\n');
      expect(printed).toContain(`Registered 8 commands in server ${guild.id}`);
      expect(printed).toMatch(/\/submit \(id \d+\)/);
      out.mockClear();
      expect(await deployMain(['node', 'deploy', '--global'], env(base))).toBe(0);
      expect(out.mock.calls.map((c) => c.join(' ')).join('\n')).toContain('Registered 8 commands globally');
    } finally {
      out.mockRestore();
    }
  });

  it('says what is missing or refused, with exit codes 2 and 1', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const printed = () => err.mock.calls.map((c) => c.join(' ')).join('\n');
      expect(await deployMain(['node', 'deploy'], env({}))).toBe(2);
      expect(printed()).toMatch(/set DISCORD_TOKEN[\s\S]*DISCORD_APPLICATION_ID[\s\S]*DISCORD_DEV_GUILD_ID/);
      err.mockClear();
      expect(await deployMain(['node', 'deploy', '--global'], env({ DISCORD_TOKEN: h.fake.token }))).toBe(2);
      expect(printed()).toContain('DISCORD_APPLICATION_ID');
      expect(printed()).not.toContain('DISCORD_TOKEN');
      err.mockClear();
      expect(await deployMain(['node', 'deploy', '--everywhere'], env({}))).toBe(2);
      expect(printed()).toContain('unknown argument --everywhere');
      err.mockClear();
      const wrongToken = env({ DISCORD_TOKEN: 'revoked', DISCORD_APPLICATION_ID: h.fake.applicationId });
      expect(await deployMain(['node', 'deploy', '--global'], wrongToken)).toBe(1);
      expect(printed()).toMatch(/Discord refused the registration globally: .*HTTP 401.*check DISCORD_TOKEN/);
      expect(printed()).not.toContain('revoked');
    } finally {
      err.mockRestore();
    }
  });
});
