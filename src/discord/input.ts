import { ApplicationCommandOptionType, type ChannelType, type CommandInteractionOption } from 'discord.js';
import type {
  AttachmentValue,
  ChannelKind,
  ChannelValue,
  Command,
  CommandInput,
  OptionSpec,
  OptionType,
  OptionValue,
} from '../commands/types.js';
import { type UserError, userError } from '../engine/errors.js';
import { err, ok, type Result } from '../util/result.js';
import type { AttachmentMeta } from './attachment.js';
import { CHANNEL_TYPES, DEFAULT_CHANNEL_KINDS, discordOptionType } from './commands-json.js';
import { displayName } from './context.js';

/**
 * Discord's option tree as a CommandInput typed by our specs. Discord validates what it
 * registered, but a stale registration (an old deploy, a command removed since) can still send
 * options we do not know: those come back as a UserError instead of reaching a handler.
 * Autocomplete interactions carry no resolved users (only ids) and partial input, so `partial`
 * skips the required check and the focused option.
 */
export interface InputOptions {
  attachment: (meta: AttachmentMeta) => AttachmentValue;
  /** Autocomplete: options are half-typed; the focused one is passed separately. */
  partial?: boolean;
}

const WORDS: Record<OptionType, string> = {
  string: 'text',
  integer: 'a whole number',
  boolean: 'true or false',
  user: 'a member',
  channel: 'a channel',
  attachment: 'a file',
};

const refuse = (message: string) => err(userError('invalid-input', message));

export function commandInput(
  command: Command,
  data: readonly CommandInteractionOption[],
  options: InputOptions,
): Result<CommandInput, UserError> {
  let subcommand: string | undefined;
  let given = data;
  let specs = command.options ?? [];
  const first = data[0];
  if (command.subcommands?.length) {
    if (!first || first.type !== ApplicationCommandOptionType.Subcommand) {
      const names = command.subcommands.map((s) => s.name).join(', ');
      return refuse(`/${command.name} needs one of: ${names}.`);
    }
    const sub = command.subcommands.find((s) => s.name === first.name);
    if (!sub) return refuse(`/${command.name} has no "${first.name}". /help lists what it can do.`);
    subcommand = sub.name;
    given = first.options ?? [];
    specs = sub.options ?? [];
  }
  const where = `/${command.name}${subcommand ? ` ${subcommand}` : ''}`;
  const values: Record<string, OptionValue | undefined> = {};
  for (const option of given) {
    if (options.partial && option.focused) continue;
    const spec = specs.find((s) => s.name === option.name);
    const value = spec ? optionValue(spec, option, options) : undefined;
    if (spec && value !== undefined) values[spec.name] = value;
    // Half-typed input only feeds suggestions: drop what does not fit instead of refusing.
    else if (options.partial) continue;
    else if (!spec) {
      return refuse(
        `${where} has no option "${option.name}". Discord may be showing an old version of the command; try again in a minute.`,
      );
    } else return refuse(`The ${spec.name} option of ${where} must be ${WORDS[spec.type]}.`);
    if (spec.type === 'channel' && !options.partial) {
      // Registration limits the picker, but an old registration or a crafted request may not.
      const kinds = spec.channelKinds ?? DEFAULT_CHANNEL_KINDS;
      const channel = value as { kind?: string | null; name: string };
      if (!kinds.includes(channel.kind as never)) {
        return refuse(
          `#${channel.name} is not a text channel: choose a text or announcement channel for ${where}, where messages and threads can be posted.`,
        );
      }
    }
  }
  if (!options.partial) {
    const missing = specs.find((s) => s.required && values[s.name] === undefined);
    if (missing) return refuse(`${where} needs the ${missing.name} option.`);
  }
  return ok({ ...(subcommand ? { subcommand } : {}), options: values });
}

function optionValue(
  spec: OptionSpec,
  option: CommandInteractionOption,
  options: InputOptions,
): OptionValue | undefined {
  if (option.type !== discordOptionType(spec.type)) return undefined;
  const { value } = option;
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'integer': {
      // Autocomplete sends every value as typed so far, numbers included.
      const n = typeof value === 'string' && options.partial && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'user':
      if (option.user) {
        return {
          id: option.user.id,
          displayName: displayName(option.user, option.member),
          isBot: option.user.bot,
        };
      }
      // Autocomplete sends the bare id, without the resolved user.
      return typeof value === 'string' && options.partial
        ? { id: value, displayName: value, isBot: false }
        : undefined;
    case 'channel':
      return option.channel
        ? {
            id: option.channel.id,
            name: option.channel.name ?? option.channel.id,
            kind: channelKind(option.channel.type),
          }
        : undefined;
    case 'attachment': {
      const file = option.attachment;
      if (!file) return undefined;
      return options.attachment({
        filename: file.name,
        size: file.size,
        url: file.url,
        contentType: file.contentType,
      });
    }
  }
}

function channelKind(type: ChannelType): ChannelValue['kind'] {
  for (const [kind, t] of Object.entries(CHANNEL_TYPES)) if (t === type) return kind as ChannelKind;
  return 'other';
}
