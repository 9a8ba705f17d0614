import { BOT_NAME_MAX } from '../engine/bot-names.js';
import { userError } from '../engine/errors.js';
import { MAX_MATCH_ROUNDS } from '../engine/match-length.js';
import { displayRating } from '../engine/ratings.js';
import { proseName } from '../render/escape.js';
import { formatMatchSummary, summarizeMatch } from '../render/match-summary.js';
import { botLabel } from './format.js';
import { COLORS, type EmbedField } from './reply.js';
import type { Command, CommandContext, CommandInput, UserValue } from './types.js';

function challengeInput(ctx: CommandContext, input: CommandInput, opponent: UserValue) {
  return {
    guild: ctx.guild,
    challenger: ctx.user,
    opponent: { userId: opponent.id, displayName: opponent.displayName },
    rounds: (input.options.rounds as number | undefined) ?? null,
    myBot: (input.options.my_bot as string | undefined) ?? null,
    theirBot: (input.options.their_bot as string | undefined) ?? null,
  };
}

function opponentProblem(input: CommandInput) {
  const opponent = input.options.opponent as UserValue | undefined;
  if (!opponent) return userError('invalid-input', 'Name the player to challenge.');
  if (opponent.isBot)
    return userError('invalid-input', `${opponent.displayName} is a Discord bot, not a player.`);
  return opponent;
}

/** /challenge: play a match now between your bot and another player's. */
export const challengeCommand: Command = {
  name: 'challenge',
  description: "Play a match now between your bot and another player's",
  options: [
    { name: 'opponent', description: 'The player to challenge', type: 'user', required: true },
    {
      name: 'rounds',
      description: 'Rounds to play (default: the standard 1000; other lengths are unrated practice)',
      type: 'integer',
      min: 1,
      max: MAX_MATCH_ROUNDS,
    },
    {
      name: 'my_bot',
      description: 'Which of your bots plays (default: your latest)',
      type: 'string',
      maxLength: BOT_NAME_MAX,
      autocomplete: 'own-bots',
    },
    {
      name: 'their_bot',
      description: 'Which of their bots plays (default: their latest)',
      type: 'string',
      maxLength: BOT_NAME_MAX,
      autocomplete: 'opponent-bots',
    },
  ],
  defer: 'public',
  rateLimit: 'challenge',
  // Decided before the public "thinking…": a Discord bot, no bot, an unknown bot, a bot
  // against itself are answered privately and never flicker in the channel.
  async precheck(ctx, input) {
    const opponent = opponentProblem(input);
    if ('kind' in opponent) return opponent;
    return ctx.engine.checkChallenge(challengeInput(ctx, input, opponent));
  },
  async handle(ctx, input) {
    const opponent = opponentProblem(input);
    if ('kind' in opponent) return opponent;
    const result = await ctx.engine.challenge({
      ...challengeInput(ctx, input, opponent),
      // The match goes to the sandbox: from here the challenge counts against the rate limit.
      onPlay: () => ctx.costly?.(),
    });
    if (!result.ok) return result.error;
    const { match, record, seats, ratingChanges, unratedReason, opponentWantsPing } = result.value;
    const names = seats.map((s) => botLabel(s.ownerName, s.bot.name));
    const fields: EmbedField[] = [];
    if (ratingChanges) {
      fields.push({
        name: 'Ratings',
        value: ratingChanges
          .map((c, seat) => {
            const before = displayRating(c.before);
            const after = displayRating(c.after);
            const delta = after - before;
            return `${names[seat]}: ${before} → ${after} (${delta >= 0 ? '+' : ''}${delta})`;
          })
          .join('\n'),
      });
    } else if (unratedReason) {
      fields.push({ name: 'Not rated', value: unratedReason });
    }
    const winner = record.outcome.winner;
    const self = opponent.id === ctx.user.userId;
    return {
      // The challenged player is named: a mention renders as their name for everyone, and
      // notifies them only if they asked for it (/settings challenge_pings).
      ...(self
        ? {}
        : { content: `<@${opponent.id}>, ${proseName(ctx.user.displayName, 32)} challenged you.` }),
      ...(opponentWantsPing ? { pings: [opponent.id] } : {}),
      embeds: [
        {
          title: `${names[0]} vs ${names[1]}`,
          color: winner === null ? COLORS.warn : COLORS.ok,
          description: formatMatchSummary(summarizeMatch(record)),
          fields,
          footer: `Match #${match.id} · seed ${record.seed} · owners can see every move with /bot log`,
        },
      ],
    };
  },
};
