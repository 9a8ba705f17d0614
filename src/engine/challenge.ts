import { randomUUID } from 'node:crypto';
import type { Bot, BotChoice, BotVersionInfo } from '../db/repos/bots.js';
import type { MatchSummary, RatingChange } from '../db/repos/matches.js';
import type { MatchRecord } from '../games/match-record.js';
import { makeRules } from '../games/rps.js';
import { err, ok, type Result } from '../util/result.js';
import { matchName, resolvePlayersBot, versionSource } from './bot-lookup.js';
import type { EngineDeps, GuildRef, PlayerRef } from './deps.js';
import { type UserError, userError } from './errors.js';
import { effectiveLimits } from './guild-limits.js';
import { roundsProblem } from './match-length.js';
import type { MatchJobOutcome } from './match-queue.js';
import { ownerLabel } from './player-tag.js';
import { countsForRating } from './rating-cap.js';
import { rateMatch } from './ratings.js';
import { storeMatchResilient } from './store-match.js';

export interface ChallengeInput {
  guild: GuildRef;
  challenger: PlayerRef;
  opponent: PlayerRef;
  rounds?: number | null;
  myBot?: string | null;
  theirBot?: string | null;
  /** Replays and tests may fix the seed; normally a fresh one is drawn. */
  seed?: string;
  /**
   * Called once, just before the match goes to the sandbox: from here on the challenge has
   * cost the server real work (the dispatcher stops refunding the rate limit).
   */
  onPlay?: () => void;
}

export interface ChallengeSeat {
  bot: Bot;
  version: BotVersionInfo;
  /** The owner's label with its tag ("alice#K3F9"). */
  ownerName: string;
}

export interface ChallengeOutcome {
  match: MatchSummary;
  record: MatchRecord;
  seats: [ChallengeSeat, ChallengeSeat];
  /** Null when the match did not count for ratings (same owner, practice length, the pair's daily cap). */
  ratingChanges: readonly [RatingChange, RatingChange] | null;
  unratedReason: string | null;
  /** The challenged player asked to be pinged when challenged (/settings challenge_pings). */
  opponentWantsPing: boolean;
}

/** A player's bots as the bot directory lists them (name, retired): all a precheck needs. */
export type ListBots = (ownerUserId: string) => Promise<readonly BotChoice[]>;

/**
 * The checks of a challenge that need no match and write nothing: the rounds, that both players
 * have the bots named (or any active bot), that those are not retired, and that a player
 * challenging themselves names two different bots. A transport runs them before acknowledging in
 * public, so a refusal is answered privately; they read the bot directory (memory), not the
 * database. `challenge` makes the same checks again, and the cases only it can decide (which bot
 * is "latest", a bot with no upload) are answered there.
 */
export async function checkChallenge(
  deps: EngineDeps,
  input: Omit<ChallengeInput, 'seed'>,
  list: ListBots,
): Promise<UserError | null> {
  const problem = roundsProblem(input.rounds ?? deps.defaultRounds);
  if (problem) return userError('invalid-input', `Cannot play that: ${problem}.`);
  const self = input.challenger.userId === input.opponent.userId;
  // Worded as `challenge` words them: the opponent with their tag (player-tag.ts).
  const theirLabel = ownerLabel(input.opponent.displayName, input.opponent.userId);
  const side = async (userId: string, name: string | null | undefined, isSelf: boolean) => {
    const bots = await list(userId);
    const subject = isSelf ? 'You' : theirLabel;
    if (name) {
      const bot = bots.find((b) => b.name.toLowerCase() === name.toLowerCase());
      if (!bot)
        return userError('bot-not-found', `${subject} ${isSelf ? 'have' : 'has'} no bot called "${name}".`);
      if (bot.retired) {
        return userError(
          'bot-retired',
          `${isSelf ? 'Your' : `${theirLabel}'s`} bot "${bot.name}" is retired${isSelf ? '; bring it back with /bot activate' : ''}.`,
        );
      }
      return null;
    }
    if (bots.some((b) => !b.retired)) return null;
    return isSelf
      ? userError(
          'no-bot',
          'You have no active bot yet. Upload one with /submit (see /help for how to write one).',
        )
      : userError('opponent-has-no-bot', `${theirLabel} has no active bot to play.`);
  };
  const mine = await side(input.challenger.userId, input.myBot, true);
  if (mine) return mine;
  const theirs = await side(input.opponent.userId, input.theirBot, self);
  if (theirs) return theirs;
  // Against yourself, the defaults (your latest bot) pick the same bot twice.
  const same = input.myBot && input.theirBot && input.myBot.toLowerCase() === input.theirBot.toLowerCase();
  if (self && (same || (!input.myBot && !input.theirBot))) return sameBot(true);
  return null;
}

function sameBot(self: boolean): UserError {
  return userError(
    'same-bot',
    self
      ? 'A bot cannot play itself. To try two of your own bots, name them with my_bot and their_bot (such matches are not rated).'
      : 'A bot cannot play itself. Name two different bots with my_bot and their_bot.',
  );
}

/**
 * A one-off match between two players' current bots: resolve the bots, play in the sandbox
 * with the guild's limits, store the match and (unless it is practice or the farming cap says
 * otherwise) update both ratings in the same transaction.
 *
 * Only matches of the standard length (`deps.defaultRounds`) are rated: a bot's fuel and
 * strategy are tuned for a length, and a challenger who could pick it could pick the one that
 * makes the opponent fail. Any other length is practice, said so in the reply.
 */
export async function challenge(
  deps: EngineDeps,
  input: ChallengeInput,
): Promise<Result<ChallengeOutcome, UserError>> {
  const standard = deps.defaultRounds;
  const rounds = input.rounds ?? standard;
  const problem = roundsProblem(rounds);
  if (problem) return err(userError('invalid-input', `Cannot play that: ${problem}.`));
  const rules = makeRules({ rounds });

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
  const theirLabel = ownerLabel(them.displayName, them.userId);
  const theirBot = await resolvePlayersBot(deps, guild.id, them, input.theirBot, {
    subject: self ? 'You' : theirLabel,
    possessive: self ? 'Your' : `${theirLabel}'s`,
    isSelf: self,
  });
  if (!theirBot.ok) return theirBot;
  if (myBot.value.id === theirBot.value.id) return err(sameBot(self));

  const versions = await Promise.all(
    [myBot.value, theirBot.value].map((b) => repos.bots.getVersionInfo(b.currentVersionId!)),
  );
  if (!versions[0] || !versions[1]) throw new Error('current version missing');
  const seats: [ChallengeSeat, ChallengeSeat] = [
    { bot: myBot.value, version: versions[0], ownerName: ownerLabel(me.displayName, me.userId) },
    { bot: theirBot.value, version: versions[1], ownerName: theirLabel },
  ];
  const names = seats.map((s) => matchName(s.ownerName, s.bot.name)) as [string, string];
  const startedAt = deps.now();

  const sameOwner = me.id === them.id;
  const practice = rounds !== standard;
  const rate = !sameOwner && !practice;
  input.onPlay?.();
  if (deps.matchQueue) {
    const queued = await deps.matchQueue.run({
      key: `challenge:${randomUUID()}`,
      guildId: guild.id,
      seed: input.seed ?? deps.newSeed(),
      rounds,
      seats: [
        {
          botId: seats[0].bot.id,
          versionId: seats[0].version.id,
          sha256: seats[0].version.sha256,
          name: names[0],
          owner: String(me.id),
        },
        {
          botId: seats[1].bot.id,
          versionId: seats[1].version.id,
          sha256: seats[1].version.sha256,
          name: names[1],
          owner: String(them.id),
        },
      ],
      limits: effectiveLimits(deps.limits, guild.limits),
      ticket: {
        owner: `user:${input.challenger.userId}`,
        group: `guild:${guild.id}`,
        priority: 'interactive',
      },
      requestedAt: startedAt.toISOString(),
      challenge: { rate },
    });
    if (queued.kind !== 'stored' || !queued.record) return err(queuedFailure(deps, guild.id, names, queued));
    const match = await repos.matches.get(queued.matchId);
    if (!match) throw new Error(`match ${queued.matchId} vanished`);
    const { log: _log, moveMicros: _moves, ...summary } = match;
    return ok(
      outcomeOf(
        deps,
        { rounds, sameOwner, practice },
        {
          match: summary,
          record: queued.record,
          seats,
          ratingChanges: queued.ratingChanges,
          opponentWantsPing: them.challengePings && !self,
        },
      ),
    );
  }
  const played = await deps.sandbox.play({
    seed: input.seed ?? deps.newSeed(),
    rules,
    bots: [versionSource(deps, names[0], seats[0].version), versionSource(deps, names[1], seats[1].version)],
    limits: effectiveLimits(deps.limits, guild.limits),
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

  const sides = [
    { bot: String(seats[0].bot.id), owner: String(me.id) },
    { bot: String(seats[1].bot.id), owner: String(them.id) },
  ] as const;
  // The cap is decided inside the recording transaction (matches repository), with the pair's
  // ratings rows locked, so concurrent challenges cannot all slip under it.
  const decide = (earlier: readonly Date[]) => {
    const at = deps.now().getTime();
    return countsForRating(
      { kind: 'challenge', sides, at },
      earlier.map((e) => ({ kind: 'challenge' as const, sides, at: e.getTime() })),
      deps.ratingCap,
    );
  };
  const finishedAt = deps.now();
  const stored = await storeMatchResilient(
    record,
    (r) =>
      repos.matches.recordMatch({
        guildId: guild.id,
        kind: 'challenge',
        record: r,
        seats: [
          { botId: seats[0].bot.id, versionId: seats[0].version.id },
          { botId: seats[1].bot.id, versionId: seats[1].version.id },
        ],
        startedAt,
        rate: rate ? (before, outcome) => rateMatch(before[0], before[1], outcome.winner) : undefined,
        ratedIf: rate
          ? { since: new Date(finishedAt.getTime() - deps.ratingCap.windowMs), decide }
          : undefined,
      }),
    deps.logger,
    { guild: guild.id, bots: names.join(' vs ') },
  );
  if (!stored.ok) {
    return err(
      userError(
        'unavailable',
        'The match was played, but it could not be saved, so it does not count. The server admins can find the details in the log.',
      ),
    );
  }
  const { match, ratingChanges } = stored.value;
  deps.logger.info('challenge played', {
    guild: guild.id,
    match: match.id,
    bots: names.join(' vs '),
    winner: record.outcome.winner,
    score: record.outcome.score,
    rated: ratingChanges !== null,
    ...(stored.stripped ? { stripped: true } : {}),
  });
  return ok(
    outcomeOf(
      deps,
      { rounds, sameOwner, practice },
      { match, record, seats, ratingChanges, opponentWantsPing: them.challengePings && !self },
    ),
  );
}

/** The outcome with the reason a match was not rated, worded for the reply. */
function outcomeOf(
  deps: EngineDeps,
  how: { rounds: number; sameOwner: boolean; practice: boolean },
  outcome: Omit<ChallengeOutcome, 'unratedReason'>,
): ChallengeOutcome {
  const standard = deps.defaultRounds;
  const unratedReason = outcome.ratingChanges
    ? null
    : how.sameOwner
      ? 'Both bots belong to the same player, so the match is not rated.'
      : how.practice
        ? `Practice: only matches of this server's standard length (${standard.toLocaleString('en-US')} rounds) are rated, so this ${how.rounds.toLocaleString('en-US')}-round match is not.`
        : `These two bots already played ${deps.ratingCap.maxChallenges} rated challenges in the last ${Math.round(deps.ratingCap.windowMs / 3_600_000)} hours; this one is for practice and not rated.`;
  return { ...outcome, unratedReason };
}

/** A queued challenge that did not end in a stored match, as the reply says it. */
function queuedFailure(
  deps: EngineDeps,
  guildId: string,
  names: readonly [string, string],
  outcome: MatchJobOutcome,
): UserError {
  switch (outcome.kind) {
    case 'rejected':
      return userError(
        'rejected',
        `${names[outcome.seat]} cannot run under this server's current limits: ${outcome.message}`,
      );
    case 'closed':
      return userError(
        'unavailable',
        'The server is stopping, so the match could not be finished. Try again in a moment.',
      );
    case 'unsaved':
      return userError(
        'unavailable',
        'The match was played, but it could not be saved, so it does not count. The server admins can find the details in the log.',
      );
    default: {
      // A challenge is never settled by retirement (only tournament pairings are): a bug if seen.
      const reason =
        outcome.kind === 'stored'
          ? 'no record came back'
          : outcome.kind === 'retired'
            ? 'a bot was retired'
            : outcome.reason;
      deps.logger.warn('queued challenge could not be played', { guild: guildId, failure: reason });
      return userError('unavailable', `The match could not be played: ${reason}. Try again in a moment.`);
    }
  }
}
