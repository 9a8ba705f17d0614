// INTERACTION_CREATE payloads built from what a test means ("alice runs /submit with this
// file") rather than what Discord sends. Options are typed by value (or by the registered
// command when the client registered one), and users, members, channels, roles and attachments
// land in `resolved` the way Discord puts them there.
import {
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIAttachment,
  type APIChannel,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIMessage,
  type APIRole,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  type Locale,
} from 'discord.js';
import { interactionMember } from './payloads.js';
import { snowflake } from './snowflake.js';
import type { GuildRecord, Json, Store } from './store.js';

/** An option value: inferred from the JS value, or explicit `{ type, value }`. */
export type OptionValue =
  | string
  | number
  | boolean
  | APIUser
  | APIRole
  | APIChannel
  | APIAttachment
  | { type: ApplicationCommandOptionType; value: string | number | boolean };

export interface InteractionBase {
  /** The invoking user; defaults to the first non-bot member (alice in the default setup). */
  user?: APIUser;
  guildId?: string;
  channelId?: string;
  locale?: `${Locale}`;
}

export interface ChatInputInput extends InteractionBase {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
}

export interface AutocompleteInput extends ChatInputInput {
  /** Name of the option being typed; its value is sent as typed so far. */
  focused: string;
}

export interface ComponentInput extends InteractionBase {
  customId: string;
  /** The message the component is on (must be a message the fake knows). */
  messageId: string;
  componentType?: ComponentType;
  /** Selected values, for select menus. */
  values?: string[];
}

export interface ModalSubmitInput extends InteractionBase {
  customId: string;
  /** Text input custom_id -> what the user typed. */
  fields: Record<string, string>;
  /** Set when the modal was opened from a component on this message. */
  messageId?: string;
}

export interface Context {
  store: Store;
  applicationId: string;
  guild: GuildRecord;
  channelId: string;
  user: APIUser;
  attachmentSizeLimit: number;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** Which option type a value is, preferring what the registered command declares. */
function optionType(
  value: OptionValue,
  declared?: ApplicationCommandOptionType,
): ApplicationCommandOptionType {
  if (isObject(value)) {
    if ('value' in value && 'type' in value) return value.type as ApplicationCommandOptionType;
    if ('filename' in value) return ApplicationCommandOptionType.Attachment;
    if ('username' in value) return ApplicationCommandOptionType.User;
    if ('hoist' in value) return ApplicationCommandOptionType.Role;
    return ApplicationCommandOptionType.Channel;
  }
  if (declared !== undefined) return declared;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

/** The registered command (guild first, then global) and the option list at the sub-command level. */
function declaredOptions(ctx: Context, input: ChatInputInput) {
  const command = [
    ...(ctx.store.commands.get(ctx.guild.id) ?? []),
    ...(ctx.store.commands.get('global') ?? []),
  ].find((c) => c.name === input.name && c.type === ApplicationCommandType.ChatInput);
  let options: APIApplicationCommandOption[] = command?.options ?? [];
  for (const level of [input.subcommandGroup, input.subcommand]) {
    if (!level) continue;
    const next = options.find((o) => o.name === level);
    options = next && 'options' in next ? ((next.options ?? []) as APIApplicationCommandOption[]) : [];
  }
  return { command, options };
}

type Resolved = Required<Omit<APIInteractionDataResolved, 'messages'>>;

/** Put what an option refers to into `resolved`, the way Discord does. */
function addResolved(
  ctx: Context,
  resolved: Resolved,
  type: ApplicationCommandOptionType,
  id: string,
  value: OptionValue,
) {
  const O = ApplicationCommandOptionType;
  const obj = isObject(value) ? (value as Json) : undefined;
  if (type === O.Attachment && obj?.filename) resolved.attachments[id] = obj as unknown as APIAttachment;
  if (type === O.User || type === O.Mentionable) {
    const user = ctx.store.users.get(id) ?? (obj?.username ? (obj as unknown as APIUser) : undefined);
    if (user) resolved.users[id] = user;
    const member = ctx.guild.members.get(id);
    if (member) {
      // Resolved members carry no `user` (that is in resolved.users) but do carry permissions.
      const { user: _user, ...rest } = interactionMember(member, ctx.store.permissions(ctx.guild, id));
      resolved.members[id] = rest;
    }
  }
  if (type === O.Role || type === O.Mentionable) {
    const role = ctx.guild.roles.find((r) => r.id === id);
    if (role) resolved.roles[id] = role;
  }
  if (type === O.Channel) {
    const channel = ctx.store.channels.get(id) as Json | undefined;
    if (!channel) return;
    resolved.channels[id] = {
      id,
      name: channel.name,
      type: channel.type,
      // The invoking member's permissions in that channel (no overwrites are modelled).
      permissions: ctx.store.permissions(ctx.guild, ctx.user.id).toString(),
      ...(channel.parent_id ? { parent_id: channel.parent_id } : {}),
      ...(channel.thread_metadata ? { thread_metadata: channel.thread_metadata } : {}),
    } as APIInteractionDataResolvedChannel;
  }
}

function resolveOptions(ctx: Context, input: ChatInputInput, focused?: string) {
  const resolved: Resolved = { users: {}, members: {}, roles: {}, channels: {}, attachments: {} };
  const { command, options: declared } = declaredOptions(ctx, input);
  const options = Object.entries(input.options ?? {}).map(([name, value]) => {
    const type = optionType(value, declared.find((o) => o.name === name)?.type);
    // On the wire: the primitive itself, or the id of a user/role/channel/attachment.
    const obj = isObject(value) ? (value as Json) : undefined;
    const wire = obj ? ('value' in obj && 'type' in obj ? obj.value : obj.id) : value;
    addResolved(ctx, resolved, type, String(wire), value);
    // Autocomplete sends what has been typed so far, always as a string.
    if (focused === name) return { name, type, value: String(wire), focused: true };
    return { name, type, value: wire };
  }) as APIApplicationCommandInteractionDataOption[];
  const sub = input.subcommand
    ? [{ name: input.subcommand, type: ApplicationCommandOptionType.Subcommand, options }]
    : options;
  const nested = input.subcommandGroup
    ? [{ name: input.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options: sub }]
    : sub;
  const used = Object.fromEntries(Object.entries(resolved).filter(([, v]) => Object.keys(v).length > 0));
  return {
    commandId: command?.id ?? snowflake(),
    options: nested as APIApplicationCommandInteractionDataOption[],
    resolved: used,
  };
}

/** Fields every guild interaction carries; without `entitlements` or the integration owners
 * map discord.js throws inside its handler and emits nothing. */
function base(ctx: Context, type: InteractionType) {
  const member = ctx.guild.members.get(ctx.user.id);
  if (!member) throw new Error(`fake-discord: ${ctx.user.username} is not a member of ${ctx.guild.name}`);
  const channel = ctx.store.channels.get(ctx.channelId);
  if (!channel) throw new Error(`fake-discord: unknown channel ${ctx.channelId}`);
  const permissions = ctx.store.permissions(ctx.guild, ctx.user.id);
  const botPermissions = ctx.store.permissions(ctx.guild, ctx.applicationId);
  return {
    id: snowflake(),
    application_id: ctx.applicationId,
    type,
    token: `fake-interaction-token-${snowflake()}-${Math.random().toString(36).slice(2)}`,
    version: 1 as const,
    guild_id: ctx.guild.id,
    guild: { id: ctx.guild.id, locale: 'en-US', features: [] },
    channel_id: ctx.channelId,
    channel: { ...channel, guild_id: ctx.guild.id },
    member: interactionMember(member, permissions),
    app_permissions: botPermissions.toString(),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': ctx.guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: ctx.attachmentSizeLimit,
  };
}

export function chatInputPayload(ctx: Context, input: ChatInputInput): APIInteraction {
  const { commandId, options, resolved } = resolveOptions(ctx, input);
  return {
    ...base(ctx, InteractionType.ApplicationCommand),
    locale: input.locale ?? 'en-US',
    data: {
      id: commandId,
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      guild_id: ctx.guild.id,
      options,
      ...(Object.keys(resolved).length ? { resolved } : {}),
    },
  } as APIInteraction;
}

export function autocompletePayload(ctx: Context, input: AutocompleteInput): APIInteraction {
  const { commandId, options } = resolveOptions(ctx, input, input.focused);
  return {
    ...base(ctx, InteractionType.ApplicationCommandAutocomplete),
    locale: input.locale ?? 'en-US',
    data: {
      id: commandId,
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      guild_id: ctx.guild.id,
      options,
    },
  } as APIInteraction;
}

export function componentPayload(ctx: Context, input: ComponentInput, message: APIMessage): APIInteraction {
  const componentType = input.componentType ?? ComponentType.Button;
  return {
    ...base(ctx, InteractionType.MessageComponent),
    locale: input.locale ?? 'en-US',
    message,
    data: {
      custom_id: input.customId,
      component_type: componentType,
      ...(componentType === ComponentType.Button ? {} : { values: input.values ?? [] }),
    },
  } as APIInteraction;
}

export function modalSubmitPayload(
  ctx: Context,
  input: ModalSubmitInput,
  message?: APIMessage,
): APIInteraction {
  return {
    ...base(ctx, InteractionType.ModalSubmit),
    locale: input.locale ?? 'en-US',
    ...(message ? { message } : {}),
    data: {
      custom_id: input.customId,
      components: Object.entries(input.fields).map(([customId, value]) => ({
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.TextInput, custom_id: customId, value }],
      })),
    },
  } as APIInteraction;
}

/** Where a direct-message interaction happens: the bot's DM channel with `user`. */
export interface DirectContext {
  applicationId: string;
  user: APIUser;
  channel: { id: string; type: number };
  attachmentSizeLimit: number;
}

/** Fields of an interaction in the bot's DMs: no guild and no member, `user` instead. */
function directBase(ctx: DirectContext, type: InteractionType) {
  return {
    id: snowflake(),
    application_id: ctx.applicationId,
    type,
    token: `fake-interaction-token-${snowflake()}-${Math.random().toString(36).slice(2)}`,
    version: 1 as const,
    channel_id: ctx.channel.id,
    channel: { ...ctx.channel, recipients: [ctx.user] },
    user: ctx.user,
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    // A guild-installed app in its bot's DMs: Discord writes "0" for the guild.
    authorizing_integration_owners: { '0': '0' },
    context: InteractionContextType.BotDM,
    attachment_size_limit: ctx.attachmentSizeLimit,
  };
}

/** Primitive options only (no users, channels or files: there is no guild to resolve them in). */
function directOptions(input: ChatInputInput, focused?: string) {
  const options = Object.entries(input.options ?? {}).map(([name, value]) => {
    const type = optionType(value);
    const wire = isObject(value) && 'value' in value ? (value as Json).value : value;
    if (focused === name) return { name, type, value: String(wire), focused: true };
    return { name, type, value: wire };
  }) as APIApplicationCommandInteractionDataOption[];
  return input.subcommand
    ? ([
        { name: input.subcommand, type: ApplicationCommandOptionType.Subcommand, options },
      ] as APIApplicationCommandInteractionDataOption[])
    : options;
}

export function directChatInputPayload(ctx: DirectContext, input: ChatInputInput): APIInteraction {
  return {
    ...directBase(ctx, InteractionType.ApplicationCommand),
    data: {
      id: snowflake(),
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      options: directOptions(input),
    },
  } as APIInteraction;
}

export function directAutocompletePayload(ctx: DirectContext, input: AutocompleteInput): APIInteraction {
  return {
    ...directBase(ctx, InteractionType.ApplicationCommandAutocomplete),
    data: {
      id: snowflake(),
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      options: directOptions(input, input.focused),
    },
  } as APIInteraction;
}

export function directComponentPayload(
  ctx: DirectContext,
  customId: string,
  message: APIMessage,
): APIInteraction {
  return {
    ...directBase(ctx, InteractionType.MessageComponent),
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  } as APIInteraction;
}
