// The test-facing API: start the fake, shape its world (guilds, channels, users, files), play a
// user (slash commands, buttons, autocomplete, modals) and inspect what the client did.
// Everything else in this folder is plumbing behind it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIAttachment,
  type APIChannel,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIUser,
  ChannelType,
  ComponentType,
  GatewayIntentBits,
  InteractionType,
} from 'discord.js';
import { type AttachmentInput, addBlob } from './cdn.js';
import { GATEWAY_PATH, Gateway, RESUME_PATH } from './gateway.js';
import { httpHandler } from './http-server.js';
import { InteractionHandle } from './interaction-handle.js';
import {
  type AutocompleteInput,
  autocompletePayload,
  type ChatInputInput,
  type ComponentInput,
  type Context,
  chatInputPayload,
  componentPayload,
  type DirectContext,
  directAutocompletePayload,
  directChatInputPayload,
  directComponentPayload,
  type InteractionBase,
  type ModalSubmitInput,
  modalSubmitPayload,
} from './interaction-payloads.js';
import { interactionRoutes } from './interaction-routes.js';
import { type Delivery, OutgoingWebhook, type SignedPostOptions } from './outgoing-webhook.js';
import {
  apiMember,
  apiRole,
  apiTextChannel,
  apiUser,
  BOT_PERMISSIONS,
  EVERYONE_PERMISSIONS,
  guildCreatePayload,
  readyPayload,
} from './payloads.js';
import { type ForcedRateLimit, RateLimits, type RouteLimit } from './rate-limits.js';
import { restRoutes } from './rest-routes.js';
import type { World } from './routes.js';
import { snowflake } from './snowflake.js';
import { type GuildRecord, type InteractionRecord, type RecordedRequest, Store } from './store.js';
import { waitFor } from './wait-for.js';

export interface FakeDiscordOptions {
  /** The bot token the fake accepts (REST and IDENTIFY); anything else gets 401 / close 4004. */
  token?: string;
  /** HELLO's heartbeat interval. Discord uses ~41 s; use a few hundred ms to exercise ACKs. */
  heartbeatIntervalMs?: number;
  /** How long edits and follow-ups work after an interaction (Discord: 15 min). */
  interactionTokenTtlMs?: number;
  /** How long the client has for the initial response (Discord: 3 s). */
  callbackDeadlineMs?: number;
  /** Host name put in CDN URLs (the server answers on 127.0.0.1; `localhost` also reaches it). */
  cdnHost?: string;
  /** Per-file upload limit, also sent as `attachment_size_limit` (Discord default: 10 MiB). */
  attachmentSizeLimit?: number;
  /** Default per-bucket limit; generous so ordinary tests never queue. */
  rateLimit?: { limit: number; windowMs: number };
  /** Create "Throwdown Test" with #general, alice (owner) and bob. Default true. */
  defaultGuild?: boolean;
}

export interface GuildInput {
  name: string;
  /** Owner (gets every permission); defaults to the first member. */
  owner?: APIUser;
  members?: APIUser[];
  /** Text channel names; the first is where interactions happen by default. */
  channels?: string[];
}

export class FakeDiscord {
  readonly store = new Store();
  /** The accepted bot token; change it to simulate a reset (revoked) token mid-test. */
  token: string;
  readonly applicationId = snowflake();
  readonly bot: APIUser;
  readonly users: { alice: APIUser; bob: APIUser };
  readonly rateLimits: RateLimits;
  readonly gateway: Gateway;
  /** Interactions over HTTP: the application's signing key and the endpoints to POST to. */
  readonly webhook = new OutgoingWebhook();
  /** Default guild and channel: the first guild added and its first channel. */
  guildId = '';
  channelId = '';
  port = 0;
  private readonly server: Server;
  private readonly closing = new AbortController();
  private readonly world: World;

  constructor(private readonly options: FakeDiscordOptions = {}) {
    this.token = options.token ?? 'fake-bot-token.throwdown.test';
    this.bot = this.addUser('throwdown', true, this.applicationId);
    this.users = { alice: this.addUser('alice'), bob: this.addUser('bob') };
    this.rateLimits = new RateLimits(options.rateLimit?.limit, options.rateLimit?.windowMs);
    this.gateway = new Gateway(
      {
        token: () => this.token,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
        ready: (sessionId, resumeUrl) =>
          readyPayload({
            bot: this.bot,
            applicationId: this.applicationId,
            guildIds: [...this.store.guilds.keys()],
            sessionId,
            resumeUrl,
          }),
        guildCreates: (intents) => [...this.store.guilds.values()].map((g) => this.guildCreate(g, intents)),
        changed: () => this.store.changed(),
      },
      () => `ws://127.0.0.1:${this.port}${RESUME_PATH}`,
    );
    this.world = {
      store: this.store,
      applicationId: this.applicationId,
      bot: this.bot,
      attachmentSizeLimit: options.attachmentSizeLimit ?? 10 * 1024 * 1024,
      cdnOrigin: (host) => this.cdnOrigin(host),
      gatewayUrl: () => this.gatewayUrl,
      dispatch: (t, d, intent) => this.gateway.dispatch(t, d, intent),
    };
    const handle = httpHandler({
      store: this.store,
      routes: [...interactionRoutes(this.world), ...restRoutes(this.world)],
      rateLimits: this.rateLimits,
      token: () => this.token,
      closing: this.closing.signal,
    });
    this.server = createServer((req, res) => void handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
    if (options.defaultGuild !== false) {
      this.addGuild({ name: 'Throwdown Test', members: [this.users.alice, this.users.bob] });
    }
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Pass as `rest.api` to discord.js (it appends `/v10`). */
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}${GATEWAY_PATH}`;
  }

  /** `http://host:port` of the CDN; `host` may carry its own port (for unreachable hosts). */
  cdnOrigin(host = this.options.cdnHost ?? '127.0.0.1'): string {
    return host.includes(':') ? `http://${host}` : `http://${host}:${this.port}`;
  }

  // ---- the world ---------------------------------------------------------------------------

  addUser(username: string, bot = false, id = snowflake()): APIUser {
    const user = apiUser(id, username, bot);
    this.store.users.set(user.id, user);
    return user;
  }

  guild(id = this.guildId): GuildRecord {
    const guild = this.store.guilds.get(id);
    if (!guild) throw new Error(`fake-discord: no guild ${id}`);
    return guild;
  }

  /** Add a guild the bot is in; a connected client receives GUILD_CREATE (a join). */
  addGuild(input: GuildInput): GuildRecord {
    const id = snowflake();
    const members = input.members ?? [];
    const owner = input.owner ?? members[0] ?? this.bot;
    const joinedAt = new Date().toISOString();
    const botRole = apiRole(snowflake(), this.bot.username, BOT_PERMISSIONS, 1, true);
    const guild: GuildRecord = {
      id,
      name: input.name,
      ownerId: owner.id,
      joinedAt,
      // The @everyone role's id is the guild's id.
      roles: [apiRole(id, '@everyone', EVERYONE_PERMISSIONS, 0), botRole],
      members: new Map(),
      channelIds: [],
    };
    this.store.guilds.set(id, guild);
    guild.members.set(this.bot.id, apiMember(this.bot, [botRole.id], joinedAt));
    for (const user of new Set([owner, ...members])) {
      if (user.id !== this.bot.id) guild.members.set(user.id, apiMember(user, [], joinedAt));
    }
    for (const name of input.channels ?? ['general']) this.addChannel(name, id, false);
    // The first guild becomes the default for interactions and channelMessages().
    if (!this.guildId) {
      this.guildId = id;
      this.channelId = guild.channelIds[0] ?? '';
    }
    if (this.port) {
      const payload = (intents: number) => this.guildCreate(guild, intents);
      this.gateway.dispatch('GUILD_CREATE', payload, GatewayIntentBits.Guilds);
    }
    return guild;
  }

  addChannel(name: string, guildId = this.guildId, announce = true): APITextChannel {
    const guild = this.guild(guildId);
    const channel = apiTextChannel(snowflake(), guildId, name, guild.channelIds.length);
    this.store.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
    if (announce) this.gateway.dispatch('CHANNEL_CREATE', channel, GatewayIntentBits.Guilds);
    return channel;
  }

  /** A channel of another type (category, forum, voice): what a channel option must refuse. */
  addOtherChannel(name: string, type: ChannelType, guildId = this.guildId): APIChannel {
    const guild = this.guild(guildId);
    const channel = {
      ...apiTextChannel(snowflake(), guildId, name, guild.channelIds.length),
      type,
    } as APIChannel;
    this.store.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
    this.gateway.dispatch('CHANNEL_CREATE', channel, GatewayIntentBits.Guilds);
    return channel;
  }

  /** From now on posting in the channel is refused with 403 Missing Permissions. */
  denySend(channelId: string): void {
    this.store.sendDenied.add(channelId);
  }

  addRole(name: string, permissions: bigint, guildId = this.guildId): APIRole {
    const guild = this.guild(guildId);
    const role = apiRole(snowflake(), name, permissions, guild.roles.length);
    guild.roles.push(role);
    this.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role }, GatewayIntentBits.Guilds);
    return role;
  }

  /** Add (or update the roles of) a member. */
  addMember(user: APIUser, roleIds: string[] = [], guildId = this.guildId): APIGuildMember {
    const members = this.guild(guildId).members;
    const event = members.has(user.id) ? 'GUILD_MEMBER_UPDATE' : 'GUILD_MEMBER_ADD';
    const member = apiMember(user, roleIds, members.get(user.id)?.joined_at ?? new Date().toISOString());
    members.set(user.id, member);
    this.gateway.dispatch(event, { guild_id: guildId, ...member }, GatewayIntentBits.GuildMembers);
    return member;
  }

  /** Register bytes on the CDN; the answer goes into an attachment option. */
  addAttachment(input: AttachmentInput): APIAttachment {
    return addBlob(this.store, (host) => this.cdnOrigin(host), { channelId: this.channelId, ...input });
  }

  /** Bytes the CDN has written for an attachment so far. */
  cdnBytesSent(id: string): number {
    return this.store.blobs.get(id)?.sentBytes ?? 0;
  }

  // ---- playing a user ----------------------------------------------------------------------

  sendChatInput(input: ChatInputInput): InteractionHandle {
    return this.send(InteractionType.ApplicationCommand, input, (ctx) => chatInputPayload(ctx, input));
  }

  /**
   * A slash command Discord knows of but has not delivered: its payload is for a test to send
   * itself (forged, replayed) with `postRaw`; callbacks for it are accepted as for any other.
   */
  draftChatInput(input: ChatInputInput): InteractionHandle {
    return this.send(
      InteractionType.ApplicationCommand,
      input,
      (ctx) => chatInputPayload(ctx, input),
      undefined,
      false,
    );
  }

  sendAutocomplete(input: AutocompleteInput): InteractionHandle {
    return this.send(InteractionType.ApplicationCommandAutocomplete, input, (ctx) =>
      autocompletePayload(ctx, input),
    );
  }

  /** Click a button on a message the fake knows (one the bot sent). */
  sendButton(input: Omit<ComponentInput, 'componentType' | 'values'>): InteractionHandle {
    return this.sendComponent({ ...input, componentType: ComponentType.Button });
  }

  /** Choose values in a string select menu. */
  sendSelect(input: Omit<ComponentInput, 'componentType'> & { values: string[] }): InteractionHandle {
    return this.sendComponent({ ...input, componentType: ComponentType.StringSelect });
  }

  sendModalSubmit(input: ModalSubmitInput): InteractionHandle {
    const message = input.messageId ? this.requireMessage(input.messageId) : undefined;
    const withChannel = { channelId: message?.channel_id, ...input };
    return this.send(
      InteractionType.ModalSubmit,
      withChannel,
      (ctx) => modalSubmitPayload(ctx, input, message),
      message?.id,
    );
  }

  // ---- direct messages (the bot's DMs: no guild) ------------------------------------------

  /** The DM channel between the bot and `user` (created on first use). */
  dmChannel(user: APIUser): { id: string; type: number } {
    const existing = [...this.store.channels.values()].find(
      (c) => c.type === ChannelType.DM && (c as { recipients?: APIUser[] }).recipients?.[0]?.id === user.id,
    );
    if (existing) return { id: existing.id, type: ChannelType.DM };
    const channel = { id: snowflake(), type: ChannelType.DM, recipients: [user], last_message_id: null };
    this.store.channels.set(channel.id, channel as never);
    return { id: channel.id, type: ChannelType.DM };
  }

  /** A slash command typed in the bot's DMs (primitive options only). */
  sendDirectChatInput(
    input: Omit<ChatInputInput, 'guildId' | 'channelId'> & { user: APIUser },
  ): InteractionHandle {
    return this.sendDirect(input.user, InteractionType.ApplicationCommand, (ctx) =>
      directChatInputPayload(ctx, input),
    );
  }

  sendDirectAutocomplete(
    input: Omit<AutocompleteInput, 'guildId' | 'channelId'> & { user: APIUser },
  ): InteractionHandle {
    return this.sendDirect(input.user, InteractionType.ApplicationCommandAutocomplete, (ctx) =>
      directAutocompletePayload(ctx, input),
    );
  }

  /** A button press on a message in the bot's DMs (the custom id may be anything: forged). */
  sendDirectButton(input: { user: APIUser; customId: string; messageId: string }): InteractionHandle {
    const message = this.requireMessage(input.messageId);
    return this.sendDirect(
      input.user,
      InteractionType.MessageComponent,
      (ctx) => directComponentPayload(ctx, input.customId, message),
      message.id,
    );
  }

  private sendDirect(
    user: APIUser,
    type: InteractionType,
    build: (ctx: DirectContext) => InteractionRecord['payload'],
    componentMessageId?: string,
  ): InteractionHandle {
    const channel = this.dmChannel(user);
    const payload = build({
      applicationId: this.applicationId,
      user,
      channel,
      attachmentSizeLimit: this.world.attachmentSizeLimit,
    });
    return this.record(type, payload, '', channel.id, user, componentMessageId);
  }

  private sendComponent(input: ComponentInput): InteractionHandle {
    const message = this.requireMessage(input.messageId);
    return this.send(
      InteractionType.MessageComponent,
      { channelId: message.channel_id, ...input },
      (ctx) => componentPayload(ctx, input, message),
      message.id,
    );
  }

  private requireMessage(id: string): APIMessage {
    const message = this.store.messages.get(id);
    if (!message) throw new Error(`fake-discord: no message ${id} to interact with`);
    return message;
  }

  private send(
    type: InteractionType,
    input: InteractionBase,
    build: (ctx: Context) => InteractionRecord['payload'],
    componentMessageId?: string,
    deliver = true,
  ): InteractionHandle {
    const guild = this.guild(input.guildId ?? this.store.guildOf(input.channelId ?? '')?.id ?? this.guildId);
    const ctx: Context = {
      store: this.store,
      applicationId: this.applicationId,
      guild,
      channelId: input.channelId ?? guild.channelIds[0]!,
      user: input.user ?? this.users.alice,
      attachmentSizeLimit: this.world.attachmentSizeLimit,
    };
    return this.record(type, build(ctx), guild.id, ctx.channelId, ctx.user, componentMessageId, deliver);
  }

  private record(
    type: InteractionType,
    payload: InteractionRecord['payload'],
    guildId: string,
    channelId: string,
    user: APIUser,
    componentMessageId?: string,
    deliver = true,
  ): InteractionHandle {
    const now = Date.now();
    const record: InteractionRecord = {
      id: payload.id,
      token: payload.token,
      type,
      guildId,
      channelId,
      user,
      payload,
      createdAt: now,
      callbackDeadline: now + (this.options.callbackDeadlineMs ?? 3000),
      tokenExpiresAt: now + (this.options.interactionTokenTtlMs ?? 15 * 60_000),
      loading: false,
      followUpIds: [],
      replies: [],
      ...(componentMessageId ? { componentMessageId } : {}),
    };
    this.store.interactions.set(record.id, record);
    // As on Discord, an app gets interactions one way only: its endpoint URL once set, else the gateway.
    if (!deliver) {
      // A draft: the test delivers it.
    } else if (this.webhook.active) {
      const url = this.webhook.pick();
      void this.webhook.post(url, JSON.stringify(payload)).then((delivery) => {
        record.delivery = delivery;
        this.store.changed();
      });
    } else {
      this.gateway.dispatch('INTERACTION_CREATE', payload);
    }
    return new InteractionHandle(this.store, record);
  }

  // ---- interactions over HTTP ------------------------------------------------------------

  /** The application's Ed25519 public key (hex), for DISCORD_PUBLIC_KEY. */
  get publicKey(): string {
    return this.webhook.publicKeyHex;
  }

  /**
   * Set the Interactions Endpoint URL: from now on interactions are POSTed there, signed, and no
   * longer dispatched on the gateway. Several URLs: a load balancer sending each to the next.
   */
  useInteractionsEndpoint(...urls: string[]): void {
    this.webhook.use(urls);
  }

  /** Discord's PING, as sent when the endpoint URL is saved in the Developer Portal. */
  ping(url: string): Promise<Delivery> {
    const body = {
      id: snowflake(),
      application_id: this.applicationId,
      type: InteractionType.Ping,
      token: 'x',
      version: 1,
    };
    return this.webhook.post(url, JSON.stringify(body));
  }

  /** POST any bytes to an endpoint, signed by default: for refusals (bad signature, junk, size). */
  postRaw(url: string, body: string | Buffer, options?: SignedPostOptions): Promise<Delivery> {
    return this.webhook.post(url, body, options);
  }

  // ---- inspecting --------------------------------------------------------------------------

  /** Every HTTP request the client made (API and CDN), in arrival order. */
  get requests(): RecordedRequest[] {
    return this.store.requests;
  }

  /** Messages in a channel with their current content (after edits; deleted ones gone). */
  channelMessages(channelId = this.channelId): APIMessage[] {
    return this.store.channelMessages(channelId);
  }

  message(id: string): APIMessage | undefined {
    return this.store.messages.get(id);
  }

  /** Commands the client registered for a guild, or globally when no guild is given. */
  registeredCommands(guildId?: string) {
    return this.store.commands.get(guildId ?? 'global') ?? [];
  }

  /** Resolve with the predicate's first truthy value (see wait-for.ts). */
  waitFor<T>(
    predicate: () => T | undefined | null | false,
    timeoutMs = 5000,
    what = 'condition',
  ): Promise<T> {
    return waitFor(this.store, predicate, timeoutMs, what);
  }

  // ---- misbehaving on purpose --------------------------------------------------------------

  /** Answer the next matching request(s) with 429 and Retry-After. */
  simulateRateLimit(rule: ForcedRateLimit): void {
    this.rateLimits.force(rule);
  }

  /** Tighten one route's bucket (e.g. 5 per 5 s for channel messages, as on Discord). */
  setRateLimit(rule: RouteLimit): void {
    this.rateLimits.setLimit(rule);
  }

  /** Send a raw gateway event to every connected client. */
  dispatch(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.gateway.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Without the privileged GuildMembers intent Discord sends only the bot's own member, so
   * a bot that reads other members from the cache fails here as it would in production. */
  private guildCreate(guild: GuildRecord, intents: number) {
    const channels = guild.channelIds.map((id) => this.store.channels.get(id)!);
    const payload = guildCreatePayload(guild, channels);
    if (!(intents & GatewayIntentBits.GuildMembers)) {
      payload.members = payload.members.filter((m) => m.user.id === this.bot.id);
    }
    return payload;
  }
}

export async function startFakeDiscord(options?: FakeDiscordOptions): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen();
}
