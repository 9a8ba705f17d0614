import { type APIApplicationCommand, REST, Routes } from 'discord.js';
import type { Command } from '../commands/types.js';
import { commandProblems } from './command-rules.js';
import { type CommandScope, commandsJson } from './commands-json.js';

/**
 * Registers our commands with Discord (one bulk overwrite, so removed commands disappear):
 * in one guild while developing (instant), or globally. Used by scripts/deploy-commands.ts;
 * the service itself never registers anything.
 */
export interface DeployOptions {
  token: string;
  applicationId: string;
  /** A guild id, or null for a global registration. */
  guildId: string | null;
  restBaseUrl?: string | null;
  commands: readonly Command[];
}

export interface DeployResult {
  scope: CommandScope;
  guildId: string | null;
  registered: Array<{ id: string; name: string }>;
}

/** Problems in our own definitions: nothing was sent. */
export class InvalidCommandsError extends Error {
  override name = 'InvalidCommandsError';
  constructor(readonly problems: string[]) {
    super(`the command definitions break Discord's rules:\n  ${problems.join('\n  ')}`);
  }
}

export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  const scope: CommandScope = options.guildId ? 'guild' : 'global';
  const body = commandsJson(options.commands, scope);
  const problems = commandProblems(body);
  if (problems.length) throw new InvalidCommandsError(problems);
  const rest = new REST({ ...(options.restBaseUrl ? { api: options.restBaseUrl } : {}) }).setToken(
    options.token,
  );
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const answer = (await rest.put(route, { body })) as APIApplicationCommand[];
  return {
    scope,
    guildId: options.guildId,
    registered: answer.map((c) => ({ id: c.id, name: c.name })),
  };
}
