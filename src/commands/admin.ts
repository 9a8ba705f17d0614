import { BOT_NAME_MAX, nameForMessage } from '../engine/bot-names.js';
import { userError } from '../engine/errors.js';
import { TUNABLE_LIMITS } from '../engine/guild-limits.js';
import { ownerLabel } from '../engine/player-tag.js';
import { proseName } from '../render/escape.js';
import { INT4_MAX } from './check-input.js';
import { describeLimits } from './format.js';
import { COLORS } from './reply.js';
import type { Command, CommandContext, CommandInput, HandlerResult, UserValue } from './types.js';

/**
 * /admin: server managers tune this guild's limits (lower only) and retire a bot that abuses
 * the server. Hidden from and refused to members without Manage Server.
 */
async function show(ctx: CommandContext): Promise<HandlerResult> {
  const limits = await ctx.engine.effectiveLimits(ctx.guild.id);
  return {
    ephemeral: true,
    embeds: [{ title: 'Limits on this server', color: COLORS.info, description: describeLimits(limits) }],
  };
}

async function setLimit(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const result = await ctx.engine.setGuildLimit({
    guild: ctx.guild,
    name: String(input.options.limit ?? ''),
    value: Number(input.options.value),
  });
  if (!result.ok) return result.error;
  return {
    ephemeral: true,
    embeds: [{ title: 'Limit changed', color: COLORS.ok, description: describeLimits(result.value) }],
  };
}

async function resetLimits(ctx: CommandContext): Promise<HandlerResult> {
  const limits = await ctx.engine.resetGuildLimits(ctx.guild);
  return {
    ephemeral: true,
    embeds: [{ title: "Back to the server's limits", color: COLORS.ok, description: describeLimits(limits) }],
  };
}

async function retireBot(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const owner = input.options.owner as UserValue | undefined;
  const name = String(input.options.name ?? '');
  if (!owner) return userError('invalid-input', 'Name the bot owner.');
  const result = await ctx.engine.retireAnyBot({ guild: ctx.guild, ownerUserId: owner.id, name });
  if (!result.ok) {
    return result.error.code === 'bot-not-found'
      ? userError(
          'bot-not-found',
          `${ownerLabel(owner.displayName, owner.id)} has no bot called "${nameForMessage(name)}".`,
        )
      : result.error;
  }
  ctx.logger.info('bot retired by an admin', {
    guild: ctx.guild.id,
    admin: ctx.user.userId,
    bot: result.value.bot.id,
  });
  return {
    ephemeral: true,
    embeds: [
      {
        color: COLORS.ok,
        description: `${proseName(ownerLabel(owner.displayName, owner.id), 40)}'s bot **${result.value.bot.name}** is retired: it leaves the leaderboard, plays no new matches, and forfeits what it had left to play in a running tournament. Its owner can bring it back with /bot activate.`,
      },
    ],
  };
}

export const adminCommand: Command = {
  name: 'admin',
  description: "Server managers: this server's limits, and retiring abusive bots",
  adminOnly: true,
  defer: 'ephemeral',
  subcommands: [
    { name: 'limits', description: 'Show the limits bots run under here' },
    {
      name: 'set-limit',
      description: "Lower one of this server's limits",
      options: [
        {
          name: 'limit',
          description: 'Which limit',
          type: 'string',
          required: true,
          choices: Object.entries(TUNABLE_LIMITS).map(([value, spec]) => ({ name: spec.label, value })),
        },
        {
          name: 'value',
          description: 'The new value, in the unit shown',
          type: 'integer',
          required: true,
          min: 1,
          max: INT4_MAX,
        },
      ],
    },
    { name: 'reset-limits', description: "Go back to the server operator's limits" },
    {
      name: 'retire-bot',
      description: "Retire another player's bot",
      options: [
        { name: 'owner', description: "The bot's owner", type: 'user', required: true },
        {
          name: 'name',
          description: 'The bot',
          type: 'string',
          required: true,
          maxLength: BOT_NAME_MAX,
          // Suggests the bots of the member chosen in `owner` (any bot of the server until then).
          autocomplete: 'guild-bots',
          ownerOption: 'owner',
        },
      ],
    },
  ],
  async handle(ctx, input) {
    switch (input.subcommand) {
      case 'limits':
        return show(ctx);
      case 'set-limit':
        return setLimit(ctx, input);
      case 'reset-limits':
        return resetLimits(ctx);
      case 'retire-bot':
        return retireBot(ctx, input);
      default:
        return userError('invalid-input', 'Choose limits, set-limit, reset-limits or retire-bot.');
    }
  },
};
