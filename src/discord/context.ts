import {
  type APIInteractionDataResolvedGuildMember,
  type APIInteractionGuildMember,
  type BaseInteraction,
  GuildMember,
  PermissionFlagsBits,
  type User,
} from 'discord.js';
import type { CommandContext } from '../commands/types.js';
import type { Engine } from '../engine/index.js';
import type { Logger } from '../util/logger.js';

/**
 * Who, where and with what rights an interaction happened, as a CommandContext. Only guild
 * interactions have one (commands are registered guild-only); null otherwise.
 */
export interface ContextDeps {
  engine: Engine;
  logger: Logger;
  now: () => Date;
}

type AnyMember = GuildMember | APIInteractionGuildMember | APIInteractionDataResolvedGuildMember;

/** The name people see in the server: nickname, else global display name, else username. */
export function displayName(user: User, member: AnyMember | null | undefined): string {
  const nick = member instanceof GuildMember ? member.nickname : member?.nick;
  return nick || user.globalName || user.username;
}

export function commandContext(interaction: BaseInteraction, deps: ContextDeps): CommandContext | null {
  if (!interaction.inGuild()) return null;
  return {
    guild: { id: interaction.guildId, name: interaction.guild?.name ?? interaction.guildId },
    user: { userId: interaction.user.id, displayName: displayName(interaction.user, interaction.member) },
    channelId: interaction.channelId,
    // The member's permissions in this channel, as Discord computed them (admins have all).
    isAdmin: interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild),
    engine: deps.engine,
    logger: deps.logger.child({ interaction: interaction.id, guild: interaction.guildId }),
    now: deps.now,
  };
}
