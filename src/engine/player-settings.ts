import type { EngineDeps, GuildRef, PlayerRef } from './deps.js';

/** A player's own settings in a guild. */
export interface PlayerSettings {
  /** Pinged when someone challenges them (off by default: nothing Throwdown posts pings unasked). */
  challengePings: boolean;
}

export async function playerSettings(
  deps: EngineDeps,
  input: { guild: GuildRef; player: PlayerRef },
): Promise<PlayerSettings> {
  const player = await deps.repos.players.get(input.guild.id, input.player.userId);
  return { challengePings: player?.challengePings ?? false };
}

export async function setChallengePings(
  deps: EngineDeps,
  input: { guild: GuildRef; player: PlayerRef; on: boolean },
): Promise<PlayerSettings> {
  await deps.repos.guilds.upsert(input.guild);
  const player = await deps.repos.players.setChallengePings(
    { guildId: input.guild.id, ...input.player },
    input.on,
  );
  return { challengePings: player.challengePings };
}
