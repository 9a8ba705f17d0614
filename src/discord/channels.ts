import type { ChatInputCommandInteraction } from 'discord.js';
import { findOption } from '../commands/index.js';
import type { ChannelValue, Command, CommandInput } from '../commands/types.js';
import { type UserError, userError } from '../engine/errors.js';

/**
 * A channel option must name a channel of the server the command came from: tournaments post
 * there, and a manager of one server must not make the bot post into another's. The
 * interaction's own data cannot settle it (discord.js files a resolved channel under the
 * interaction's guild), so the channel is read from Discord. Returns the refusal, or null.
 */
export async function foreignChannel(
  i: ChatInputCommandInteraction,
  command: Command,
  input: CommandInput,
): Promise<UserError | null> {
  for (const [name, value] of Object.entries(input.options)) {
    if (findOption(command, input.subcommand, name)?.type !== 'channel' || !value) continue;
    const { id } = value as ChannelValue;
    const channel = await i.client.channels.fetch(id, { force: true, cache: false }).catch(() => null);
    const guildId = channel && 'guildId' in channel ? channel.guildId : null;
    if (guildId !== i.guildId) {
      return userError('invalid-input', `The ${name} option must be a channel of this server.`);
    }
  }
  return null;
}
