// The whole Discord transport against the fake: a real discord.js client started by
// startDiscord(), a real database, the real sandbox and the real engine. Each test file builds
// one harness (it is not cheap: a database clone, two sandbox workers, a gateway session) and
// each test plays in its own guild so standings, bots and rate limits do not leak between them.
import {
  type APIMessage,
  type APIUser,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { expect } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/commands/dispatch.js';
import { createCommands } from '../../src/commands/index.js';
import { createRateLimiter } from '../../src/commands/rate-limit.js';
import type { Command, RateLimitKind } from '../../src/commands/types.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import type { StorageQuota } from '../../src/db/repos/bots.js';
import { createRepos } from '../../src/db/repos/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { type DiscordService, startDiscord } from '../../src/discord/service.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { DEFAULT_PAIR_CAP } from '../../src/engine/rating-cap.js';
import { newSeed } from '../../src/engine/seeds.js';
import type { Limits } from '../../src/sandbox/limits.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { createLogger } from '../../src/util/logger.js';
import {
  type ChatInputInput,
  type FakeDiscord,
  type FakeDiscordOptions,
  type GuildRecord,
  type InteractionHandle,
  type InteractionReply,
  startFakeDiscord,
} from '../support/fake-discord/index.js';

export interface HarnessOptions {
  db: Db;
  sandbox: Sandbox & { limits: Limits };
  fake?: FakeDiscordOptions;
  /** Per user per hour; generous unless a test is about the limit. */
  rateLimits?: Record<RateLimitKind, number>;
  /** Commands beyond the real ones (e.g. a slow or admin-only one). */
  extra?: Command[];
  env?: Record<string, string>;
  defaultRounds?: number;
  /** The operator's limits as the engine sees them (over the sandbox's). */
  limits?: Partial<Limits>;
  /** Storage quotas per user (default: the engine's). */
  quota?: StorageQuota;
  /**
   * How interactions arrive: over the gateway (default) or POSTed to the service's
   * interactions endpoint, signed (DISCORD_INTERACTIONS=http; docs/discord-at-scale.md).
   */
  transport?: 'gateway' | 'http';
}

export interface Harness {
  fake: FakeDiscord;
  engine: Engine;
  dispatcher: Dispatcher;
  service: DiscordService;
  /** Every log line the service wrote (every instance's). */
  logs: string[];
  /**
   * Another service instance over the same engine and database (HTTP mode). The fake then
   * sends interactions to every instance in turn, as a load balancer would.
   */
  addInstance(): Promise<DiscordService>;
  /** A fresh guild with its own members, so a test's standings and bots are its own. */
  guild(name: string, members?: string[]): Promise<{ guild: GuildRecord; users: Record<string, APIUser> }>;
  /** A fresh guild whose members are these users (a user may be in several guilds). */
  guildWith(name: string, members: APIUser[]): Promise<GuildRecord>;
  /** Stores a bot as the member's through the engine, not through Discord (set-up); throws if refused. */
  seed(guild: GuildRecord, user: APIUser, name: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const fake = await startFakeDiscord(options.fake);
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => {
      logs.push(line);
      if (process.env.THROWDOWN_TEST_LOGS === '1') process.stderr.write(`${line}\n`);
    },
  });
  const http = options.transport === 'http';
  const config = loadConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_REST_URL: fake.restUrl,
    DISCORD_ATTACHMENT_HOSTS: fake.cdnOrigin(),
    ...(http
      ? { DISCORD_INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: fake.publicKey, THROWDOWN_HTTP_PORT: '0' }
      : {}),
    ...options.env,
  });
  if (!config.ok) throw new Error(config.error.map((p) => p.message).join('; '));
  const engine = createEngine({
    repos: createRepos(options.db),
    sandbox: options.sandbox,
    limits: { ...options.sandbox.limits, ...options.limits },
    defaultRounds: options.defaultRounds ?? 1000,
    ...(options.quota ? { quota: options.quota } : {}),
    ratingCap: DEFAULT_PAIR_CAP,
    now: () => new Date(),
    newSeed,
    logger,
  });
  const dispatcher = createDispatcher(
    createCommands({ docsUrl: 'https://example.test/throwdown/blob/main', extra: options.extra ?? [] }),
    createRateLimiter(options.rateLimits ?? { submit: 1000, challenge: 1000 }),
  );
  // Global registration: the fake types every guild's options from it, as Discord would.
  await deployCommands({
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: null,
    restBaseUrl: fake.restUrl,
    commands: dispatcher.commands,
  });
  const instances: DiscordService[] = [];
  const addInstance = async () => {
    const instance = await startDiscord({
      config: config.value,
      dispatcher,
      engine,
      logger: logger.child({ instance: instances.length + 1 }),
      // The fake applies no global limit; 50/s would only slow the bursts down.
      globalRequestsPerSecond: 1e6,
    });
    instances.push(instance);
    if (http) fake.useInteractionsEndpoint(...instances.map((i) => i.endpointUrl!));
    return instance;
  };
  const service = await addInstance();
  const guildWith = async (name: string, members: APIUser[]) => {
    const guild = fake.addGuild({ name, members });
    // The client learns of the guild over the gateway (GUILD_CREATE), as on a real join;
    // over HTTP there is no gateway: the service reads the guild when it first needs it.
    if (!http) {
      await fake.waitFor(() => service.client.guilds.cache.get(guild.id), 5000, `guild ${name} cached`);
    }
    return guild;
  };
  return {
    fake,
    engine,
    dispatcher,
    service,
    logs,
    addInstance,
    async guild(name, members = ['ann', 'ben']) {
      const users = Object.fromEntries(members.map((m) => [m, fake.addUser(m)]));
      return { guild: await guildWith(name, Object.values(users)), users };
    },
    guildWith,
    async seed(guild, user, name, bytes) {
      const done = await engine.submit({
        guild: { id: guild.id, name: guild.name },
        player: { userId: user.id, displayName: user.global_name ?? user.username },
        name,
        bytes,
      });
      if (!done.ok) throw new Error(done.error.message);
    },
    async close() {
      for (const instance of instances) await instance.stop();
      await fake.close();
    },
  };
}

/** Grants Manage Server through a role (the owner has every permission anyway). */
export function makeManager(fake: FakeDiscord, guildId: string, user: APIUser): void {
  const role = fake.addRole('Organisers', PermissionFlagsBits.ManageGuild, guildId);
  fake.addMember(user, [role.id], guildId);
}

export interface Answer {
  /** What the user finally sees: the filled-in reply, the ephemeral follow-up, or the updated message. */
  message: APIMessage;
  ephemeral: boolean;
  replies: InteractionReply[];
}

const R = InteractionResponseType;

/**
 * Waits until the client has finished answering: a deferred reply filled in (edit or
 * follow-up), a direct reply, or a button's update; a public placeholder deleted in favour of
 * an ephemeral follow-up counts only once the follow-up arrived.
 */
export async function answered(
  fake: FakeDiscord,
  handle: InteractionHandle,
  timeoutMs = 30_000,
): Promise<Answer> {
  const message = await fake.waitFor(
    () => {
      const replies = handle.replies();
      const last = replies.at(-1);
      if (!last || last.kind === 'delete') return undefined;
      if (last.kind === 'callback') {
        if (last.type === R.ChannelMessageWithSource) return last.message;
        if (last.type === R.UpdateMessage) return fake.message(handle.record.componentMessageId!);
        return undefined;
      }
      // A button's deferred update edits the message it sits on; a deferred reply (a private
      // copy) edits a new one: either way, what @original points at now.
      if (last.kind === 'edit' && last.target === '@original' && handle.record.originalId) {
        return fake.message(handle.record.originalId);
      }
      return last.message;
    },
    timeoutMs,
    `an answer to ${describe(handle)}`,
  );
  return {
    message,
    ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
    replies: handle.replies(),
  };
}

function describe(handle: InteractionHandle): string {
  const data = handle.payload.data as { name?: string; custom_id?: string } | undefined;
  return data?.name ? `/${data.name}` : `component ${data?.custom_id}`;
}

/** Sends a slash command and waits for the answer. */
export async function run(
  fake: FakeDiscord,
  input: ChatInputInput,
  timeoutMs?: number,
): Promise<Answer & { handle: InteractionHandle }> {
  const handle = fake.sendChatInput(input);
  return { ...(await answered(fake, handle, timeoutMs)), handle };
}

/** The text of the first embed (title, description, fields), for assertions on wording. */
export function embedText(message: APIMessage): string {
  const e = message.embeds[0];
  if (!e) return message.content;
  return [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text]
    .filter(Boolean)
    .join('\n');
}

/** An error answer: private, red, with the wording given. */
export function expectUserError(answer: Answer, pattern: RegExp): void {
  expect(answer.ephemeral).toBe(true);
  expect(answer.message.embeds[0]?.color).toBe(0xe74c3c);
  expect(embedText(answer.message)).toMatch(pattern);
}
