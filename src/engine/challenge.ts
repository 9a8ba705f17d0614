import type { Bot, BotVersionInfo } from '../db/repos/bots.js';
import type { MatchSummary, RatingChange } from '../db/repos/matches.js';
import type { MatchRecord } from '../games/match-record.js';
import { checkRules, makeRules } from '../games/rps.js';
import { err, ok, type Result } from '../util/result.js';
import { matchName, resolvePlayersBot, versionSource } from './bot-lookup.js';
import type { EngineDeps, GuildRef, PlayerRef } from './deps.js';
import { type UserError, userError } from './errors.js';
import { countsForRating } from './rating-cap.js';
import { rateMatch } from './ratings.js';

export interface ChallengeInput {
  guild: GuildRef;
  challenger: PlayerRef;
  opponent: PlayerRef;
  rounds?: number | null;
  myBot?: string | null;
  theirBot?: string | null;
  /** Replays and tests may fix the seed; normally a fresh one is drawn. */
  seed?: string;
}

export interface ChallengeSeat {
  bot: Bot;
  version: BotVersionInfo;
  ownerName: string;
}

export interface ChallengeOutcome {
  match: MatchSummary;
  record: MatchRecord;
  seats: [ChallengeSeat, ChallengeSeat];
  /** Null when the match did not count for ratings (same owner, or the pair's daily cap). */
  ratingChanges: readonly [RatingChange, RatingChange] | null;
  unratedReason: string | null;
}

/**
 * A one-off match between two players' current bots: resolve the bots, play in the sandbox
 * with the guild's limits, store the match and (unless the farming cap says otherwise) update
 * both ratings in the same transaction.
 */
export async function challenge(
  deps: EngineDeps,
  input: ChallengeInput,
): Promise<Result<ChallengeOutcome, UserError>> {
  const rules = makeRules({ rounds: input.rounds ?? deps.defaultRounds });
  const problem = checkRules(rules);
  if (problem) return err(userError('invalid-input', `Cannot play that: ${problem.message}.`));

  const { repos } = deps;
  const guild = await repos.guilds.upsert(input.guild);
  const me = await repos.players.upsert({ guildId: guild.id, ...input.challenger });
  const them = await repos.players.upsert({ guildId: guild.id, ...input.opponent });
  const self = input.challenger.userId === input.opponent.userId;

  const myBot = await resolvePlayersBot(deps, guild.id, me, input.myBot, {
    subject: 'You',
    possessive: 'Your',
    isSelf: true,
  });
  if (!myBot.ok) return myBot;
  const theirBot = await resolvePlayersBot(deps, guild.id, them, input.theirBot, {
    subject: self ? 'You' : input.opponent.displayName,
    possessive: self ? 'Your' : `${input.opponent.displayName}'s`,
    isSelf: self,
  });
  if (!theirBot.ok) return theirBot;
  if (myBot.value.id === theirBot.value.id) {
    return err(
      userError('same-bot', 'A bot cannot play itself. Name two different bots with my_bot and their_bot.'),
    );
  }

  const versions = await Promise.all(
    [myBot.value, theirBot.value].map((b) => repos.bots.getVersionInfo(b.currentVersionId!)),
  );
  if (!versions[0] || !versions[1]) throw new Error('current version missing');
  const seats: [ChallengeSeat, ChallengeSeat] = [
    { bot: myBot.value, version: versions[0], ownerName: me.displayName },
    { bot: theirBot.value, version: versions[1], ownerName: them.displayName },
  ];
  const names = seats.map((s) => matchName(s.ownerName, s.bot.name)) as [string, string];
  const startedAt = deps.now();

  const played = await deps.sandbox.play({
    seed: input.seed ?? deps.newSeed(),
    rules,
    bots: [versionSource(deps, names[0], seats[0].version), versionSource(deps, names[1], seats[1].version)],
    limits: guild.limits,
    for: { owner: `user:${input.challenger.userId}`, group: `guild:${guild.id}`, priority: 'interactive' },
  });
  if (!played.ok) {
    const failure = played.error;
    if (failure.code === 'rejected') {
      const who = names[failure.seat];
      return err(
        userError(
          'rejected',
          `${who} cannot run under this server's current limits: ${failure.rejection.message}`,
        ),
      );
    }
    deps.logger.warn('challenge could not be played', { guild: guild.id, failure: failure.message });
    return err(
      userError('unavailable', `The match could not be played: ${failure.message}. Try again in a moment.`),
    );
  }
  const record = played.value;

  const finishedAt = deps.now();
  const since = new Date(finishedAt.getTime() - deps.ratingCap.windowMs);
  const earlier = await repos.matches.ratedChallengesBetween(seats[0].bot.id, seats[1].bot.id, since);
  const sides = [
    { bot: String(seats[0].bot.id), owner: String(me.id) },
    { bot: String(seats[1].bot.id), owner: String(them.id) },
  ] as const;
  const rated = countsForRating(
    { kind: 'challenge', sides, at: finishedAt.getTime() },
    earlier.map((at) => ({ kind: 'challenge' as const, sides, at: at.getTime() })),
    deps.ratingCap,
  );
  const unratedReason = rated
    ? null
    : me.id === them.id
      ? 'Both bots belong to the same player, so the match is not rated.'
      : `These two bots already played ${deps.ratingCap.maxChallenges} rated challenges in the last ${Math.round(deps.ratingCap.windowMs / 3_600_000)} hours; this one is for practice and not rated.`;

  const stored = await repos.matches.recordMatch({
    guildId: guild.id,
    kind: 'challenge',
    record,
    seats: [
      { botId: seats[0].bot.id, versionId: seats[0].version.id },
      { botId: seats[1].bot.id, versionId: seats[1].version.id },
    ],
    startedAt,
    rate: rated ? (before, outcome) => rateMatch(before[0], before[1], outcome.winner) : undefined,
  });
  deps.logger.info('challenge played', {
    guild: guild.id,
    match: stored.match.id,
    bots: names.join(' vs '),
    winner: record.outcome.winner,
    score: record.outcome.score,
    rated,
  });
  return ok({ match: stored.match, record, seats, ratingChanges: stored.ratingChanges, unratedReason });
}
