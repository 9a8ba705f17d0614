import { adminCommand } from './admin.js';
import { botCommand } from './bot.js';
import { challengeCommand } from './challenge.js';
import { helpCommand } from './help.js';
import { leaderboardCommand } from './leaderboard.js';
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

/** The user option whose member's bots an autocomplete source suggests. */
const USER_OPTION = { 'opponent-bots': 'opponent', 'owner-bots': 'owner' } as const;

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
  else {
    // The member whose bots are meant is in another option of the same command.
    const member = input.options[USER_OPTION[spec.autocomplete]] as UserValue | undefined;
    if (!member) return [];
    ownerUserId = member.id;
  }
  // Your own retired bots are offered too, so /bot activate can find them.
  const bots = await ctx.engine.botChoices(
    ctx.guild.id,
    focused.value.trim(),
    ownerUserId,
    spec.autocomplete === 'own-bots',
  );
  return bots.slice(0, 25).map((b) => ({ name: b.retired ? `${b.name} (retired)` : b.name, value: b.name }));
}
