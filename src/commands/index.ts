import { adminCommand } from './admin.js';
import { botCommand } from './bot.js';
import { challengeCommand } from './challenge.js';
import { helpCommand } from './help.js';
import { leaderboardCommand } from './leaderboard.js';
import { settingsCommand } from './settings.js';
import { submitCommand } from './submit.js';
import type { Choice, Command, CommandContext, CommandInput, OptionSpec, UserValue } from './types.js';

export interface CommandSetOptions {
  /** Base URL of the project's docs, for /help links (e.g. the repository's blob URL). */
  docsUrl: string | null;
  /** Commands added by later features (tournaments). */
  extra?: readonly Command[];
}

/** Every command, in the order /help and registration list them. */
export function createCommands(options: CommandSetOptions): Command[] {
  return [
    submitCommand,
    challengeCommand,
    leaderboardCommand,
    botCommand,
    settingsCommand,
    helpCommand(options.docsUrl),
    adminCommand,
    ...(options.extra ?? []),
  ];
}

export function findOption(
  command: Command,
  subcommand: string | undefined,
  name: string,
): OptionSpec | undefined {
  const list = subcommand
    ? command.subcommands?.find((s) => s.name === subcommand)?.options
    : command.options;
  return list?.find((o) => o.name === name);
}

/** Suggestions for the focused option: the caller's bots, or the chosen opponent's or owner's. */
export async function autocomplete(
  ctx: CommandContext,
  command: Command,
  input: CommandInput,
  focused: { name: string; value: string },
): Promise<Choice[]> {
  const spec = findOption(command, input.subcommand, focused.name);
  if (!spec?.autocomplete) return [];
  let ownerUserId: string | undefined;
  if (spec.autocomplete === 'own-bots') ownerUserId = ctx.user.userId;
  else if (spec.autocomplete === 'guild-bots') {
    const owner = spec.ownerOption ? (input.options[spec.ownerOption] as UserValue | undefined) : undefined;
    ownerUserId = owner?.id;
  } else {
    const opponent = input.options.opponent as UserValue | undefined;
    if (!opponent) return [];
    ownerUserId = opponent.id;
  }
  // Your own retired bots are offered too, so /bot activate can find them.
  const bots = await ctx.engine.botChoices(
    ctx.guild.id,
    focused.value.trim(),
    ownerUserId,
    spec.autocomplete === 'own-bots',
  );
  // Any owner's bots: say whose, since two players may both have a "rocky".
  const label = (b: (typeof bots)[number]) =>
    `${b.name}${spec.autocomplete === 'guild-bots' && !ownerUserId ? ` (${b.ownerName})` : ''}${b.retired ? ' (retired)' : ''}`;
  return bots.slice(0, 25).map((b) => ({ name: label(b), value: b.name }));
}
