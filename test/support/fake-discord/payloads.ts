// Builders for the API objects Discord sends. Pure functions: no state, no I/O, so the HTTP
// server, the gateway and the test API all agree on one shape per object. Shapes are typed
// against discord-api-types (re-exported by discord.js) so a missing field fails tsc, not a test.
import {
  type APIApplication,
  type APIApplicationCommand,
  type APIAttachment,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  ApplicationCommandType,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  MessageType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { GuildRecord } from './store.js';

/** Discord's "no flags"; TypeScript's flag enums have no 0 member to name it with. */
const NO_FLAGS = 0 as never;

/** What a fresh server grants @everyone (the subset that matters to a bot's users). */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;

/** The bot's managed role: enough to post, upload and run threads. */
export const BOT_PERMISSIONS =
  EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageThreads;

/** Sum of every permission bit, what Administrator (or ownership) amounts to. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export function apiUser(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    // Bots keep legacy discriminators; migrated users have "0".
    discriminator: bot ? '1234' : '0',
    global_name: bot ? null : username[0]!.toUpperCase() + username.slice(1),
    avatar: null,
    bot,
    system: false,
    public_flags: NO_FLAGS,
    flags: NO_FLAGS,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function apiRole(
  id: string,
  name: string,
  permissions: bigint,
  position: number,
  managed = false,
): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed,
    mentionable: false,
    flags: NO_FLAGS,
  };
}

export function apiMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: NO_FLAGS,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The member as an interaction carries it: with the caller's computed permissions. */
export function interactionMember(member: APIGuildMember, permissions: bigint): APIInteractionGuildMember {
  return { ...member, user: member.user, permissions: permissions.toString() };
}

export function apiTextChannel(id: string, guildId: string, name: string, position: number): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
    flags: NO_FLAGS,
  };
}

export function apiThread(opts: {
  id: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  name: string;
  type: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  invitable?: boolean;
}): APIThreadChannel {
  const now = new Date().toISOString();
  return {
    id: opts.id,
    type: opts.type,
    guild_id: opts.guildId,
    parent_id: opts.parentId,
    owner_id: opts.ownerId,
    name: opts.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: NO_FLAGS,
    applied_tags: [],
    thread_metadata: {
      archived: false,
      auto_archive_duration: opts.autoArchiveDuration,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
      ...(opts.type === ChannelType.PrivateThread ? { invitable: opts.invitable ?? true } : {}),
    },
    // The creator is joined to the thread it made; discord.js reads this as `thread.joined`.
    member: { id: opts.id, user_id: opts.ownerId, join_timestamp: now, flags: NO_FLAGS },
  };
}

/** The REST form of a guild (GET /guilds/:id); GUILD_CREATE extends it. */
export function apiGuild(opts: { id: string; name: string; ownerId: string; roles: APIRole[] }): APIGuild {
  return {
    id: opts.id,
    name: opts.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: opts.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: opts.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: NO_FLAGS,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500_000,
    max_presences: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: 'en-US' as APIGuild['preferred_locale'],
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    incidents_data: null,
  };
}

export function apiAttachment(opts: {
  id: string;
  filename: string;
  size: number;
  url: string;
  contentType?: string;
  description?: string;
}): APIAttachment {
  return {
    id: opts.id,
    filename: opts.filename,
    size: opts.size,
    url: opts.url,
    proxy_url: opts.url,
    ...(opts.contentType ? { content_type: opts.contentType } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  };
}

/** A message with every field discord.js's Message#_patch reads; callers override the rest. */
export function apiMessage(
  base: Pick<APIMessage, 'id' | 'channel_id' | 'author'> & Partial<APIMessage>,
): APIMessage {
  return {
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: MessageType.Default,
    flags: NO_FLAGS,
    ...base,
  };
}

export function apiApplication(id: string, bot: APIUser): APIApplication {
  return {
    id,
    name: bot.username,
    icon: null,
    description: 'Local stand-in application',
    summary: '',
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    team: null,
    flags: NO_FLAGS,
    flags_new: '0',
    bot,
    owner: apiUser('100000000000000001', 'owner'),
  };
}

/** Fill in what Discord adds to a registered command (ids, version, defaults). */
export function apiCommand(
  input: Partial<APIApplicationCommand> & { name: string },
  ids: { id: string; version: string; applicationId: string; guildId?: string },
): APIApplicationCommand {
  const type = input.type ?? ApplicationCommandType.ChatInput;
  return {
    name_localizations: null,
    description_localizations: null,
    default_member_permissions: null,
    nsfw: false,
    ...input,
    type,
    description: input.description ?? '',
    ...(type === ApplicationCommandType.ChatInput ? { options: input.options ?? [] } : {}),
    id: ids.id,
    application_id: ids.applicationId,
    version: ids.version,
    ...(ids.guildId ? { guild_id: ids.guildId } : {}),
  };
}

/** READY: `application` is required (without it `client.application` is null). */
export function readyPayload(opts: {
  bot: APIUser;
  applicationId: string;
  guildIds: string[];
  sessionId: string;
  resumeUrl: string;
}): GatewayReadyDispatchData {
  return {
    v: 10,
    user: opts.bot,
    guilds: opts.guildIds.map((id) => ({ id, unavailable: true })),
    session_id: opts.sessionId,
    resume_gateway_url: opts.resumeUrl,
    shard: [0, 1],
    application: { id: opts.applicationId, flags: NO_FLAGS, flags_new: '0' },
  };
}

/** GUILD_CREATE: the guild plus everything a bot with the Guilds intent caches. */
export function guildCreatePayload(
  guild: GuildRecord,
  channels: APIChannel[],
): GatewayGuildCreateDispatchData {
  const isThread = (c: APIChannel) => 'thread_metadata' in c;
  // Channels in GUILD_CREATE carry no guild_id; the guild they arrive in says it.
  const strip = ({ guild_id: _g, ...rest }: APIChannel & { guild_id?: string }) => rest;
  return {
    ...apiGuild({ id: guild.id, name: guild.name, ownerId: guild.ownerId, roles: guild.roles }),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [...guild.members.values()],
    channels: channels.filter((c) => !isThread(c)).map(strip) as GatewayGuildCreateDispatchData['channels'],
    threads: channels.filter(isThread) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
