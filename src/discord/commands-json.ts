import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ChannelKind, Command, OptionSpec, OptionType } from '../commands/types.js';

/**
 * Our transport-neutral command specs as Discord application command JSON, typed by
 * discord-api-types so a field Discord does not know fails to compile. Guild registrations
 * carry no `contexts`/`integration_types` (Discord refuses them there); global ones say
 * "guild only", since every command needs a server's bots and standings.
 */
export type CommandScope = 'guild' | 'global';

const OPTION_TYPES: Record<OptionType, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
  channel: ApplicationCommandOptionType.Channel,
  attachment: ApplicationCommandOptionType.Attachment,
};

/** Discord's type number for one of our option types (the router checks what arrives against it). */
export const discordOptionType = (type: OptionType): ApplicationCommandOptionType => OPTION_TYPES[type];

/** Discord's channel types for ours; what a channel option's picker offers. */
export const CHANNEL_TYPES: Record<ChannelKind, ChannelType.GuildText | ChannelType.GuildAnnouncement> = {
  text: ChannelType.GuildText,
  announcement: ChannelType.GuildAnnouncement,
};
export const DEFAULT_CHANNEL_KINDS: readonly ChannelKind[] = ['text', 'announcement'];

/** Manage Server, as Discord wants it: a decimal string of the permission bits ("32"). */
export const ADMIN_PERMISSIONS = PermissionFlagsBits.ManageGuild.toString();

function optionJson(spec: OptionSpec): APIApplicationCommandBasicOption {
  const base = {
    name: spec.name,
    description: spec.description,
    ...(spec.required ? { required: true } : {}),
  };
  const completion = spec.autocomplete ? { autocomplete: true as const } : {};
  switch (spec.type) {
    case 'string':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(spec.maxLength !== undefined ? { max_length: spec.maxLength } : {}),
        ...(spec.autocomplete ? completion : spec.choices ? { choices: spec.choices } : {}),
      };
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(spec.min !== undefined ? { min_value: spec.min } : {}),
        ...(spec.max !== undefined ? { max_value: spec.max } : {}),
        ...(spec.autocomplete
          ? completion
          : spec.choices
            ? { choices: spec.choices.map((c) => ({ name: c.name, value: Number(c.value) })) }
            : {}),
      };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'user':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'channel':
      // Only channels Throwdown can post in and open threads on: no categories, forums or voice.
      return {
        ...base,
        type: ApplicationCommandOptionType.Channel,
        channel_types: (spec.channelKinds ?? DEFAULT_CHANNEL_KINDS).map((k) => CHANNEL_TYPES[k]),
      };
    case 'attachment':
      return { ...base, type: ApplicationCommandOptionType.Attachment };
  }
}

function optionsJson(command: Command): APIApplicationCommandOption[] {
  if (command.subcommands?.length) {
    return command.subcommands.map((sub) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: sub.name,
      description: sub.description,
      options: (sub.options ?? []).map(optionJson),
    }));
  }
  return (command.options ?? []).map(optionJson);
}

export function commandJson(
  command: Command,
  scope: CommandScope,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description,
    options: optionsJson(command),
    // null: everyone may use it (server admins can still restrict it per role or channel).
    // Subcommands cannot carry their own; a command with some admin-only subcommands is visible
    // to everyone and the dispatcher refuses those subcommands to non-managers.
    default_member_permissions: command.adminOnly ? ADMIN_PERMISSIONS : null,
    nsfw: false,
    ...(scope === 'global'
      ? {
          contexts: [InteractionContextType.Guild],
          integration_types: [ApplicationIntegrationType.GuildInstall],
        }
      : {}),
  };
}

export function commandsJson(
  commands: readonly Command[],
  scope: CommandScope,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => commandJson(c, scope));
}
