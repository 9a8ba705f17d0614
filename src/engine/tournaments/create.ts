import type { Tournament } from '../../db/repos/tournaments.js';
import type { TournamentEntrant } from '../../db/schema.js';
import { err, ok, type Result } from '../../util/result.js';
import { nameForMessage } from '../bot-names.js';
import type { EngineDeps } from '../deps.js';
import { type UserError, userError } from '../errors.js';
import { DEFAULT_FORMAT, type FormatName, isFormatName, progress } from '../formats/index.js';
import { roundsProblem } from '../match-length.js';
import { ownerLabel } from '../player-tag.js';
import { conservative } from '../ratings.js';
import { initialState } from './rebuild.js';

/**
 * Most bots in one tournament. Pairing is synchronous work on the service's one thread and grows
 * fast with the field (measured: a Swiss round robin of 512 bots spent 10 s pairing three rounds,
 * a 512-bot round robin 274 ms per look at its 130,816 pairings), and a guild's members decide how
 * many bots it has. 64 keeps pairing under a few milliseconds (2,016 round-robin matches); when
 * more bots are active, the best-rated 64 play (unrated ones last, then the oldest).
 */
export const MAX_ENTRANTS = 64;

export const FORMAT_LABELS: Record<FormatName, string> = {
  'round-robin': 'Round robin',
  swiss: 'Swiss',
  'single-elimination': 'Single elimination',
};

export interface CreateTournamentInput {
  /** The guild must exist (commands upsert it; schedules belong to one). */
  guildId: string;
  channelId: string | null;
  format?: string | null;
  /** Game rounds per match (default: the engine's default, 1000). */
  rounds?: number | null;
  /** A Discord user id, or "schedule". */
  startedBy: string;
  scheduleId?: number | null;
  /** Tests fix it; normally a fresh one is drawn. */
  seed?: string;
}

/**
 * Every active bot of the guild with the version it has now: the tournament plays those
 * versions to the end, whatever is uploaded meanwhile. Ratings are read once, for seeding and
 * for telling upsets apart later.
 */
export async function snapshotEntrants(deps: EngineDeps, guildId: string): Promise<TournamentEntrant[]> {
  const active = await deps.repos.bots.listActive(guildId);
  const entrants: TournamentEntrant[] = [];
  for (const { bot, owner, version } of active) {
    const rating = await deps.repos.ratings.get(bot.id, 'rps');
    entrants.push({
      id: String(bot.id),
      botId: bot.id,
      versionId: version.id,
      version: version.version,
      sha256: version.sha256,
      botName: bot.name,
      ownerUserId: owner.userId,
      // A label with the owner's tag, so two owners called alike read differently everywhere.
      ownerName: ownerLabel(owner.displayName, owner.userId),
      rating: rating ? { mu: rating.mu, sigma: rating.sigma } : null,
    });
  }
  return entrants;
}

/**
 * Creates a pending tournament of every active bot (the runner announces and plays it). Fails,
 * as a value with a message for chat, when the input is wrong, fewer than two bots are active,
 * or the guild already has a tournament pending or running.
 */
export async function createTournament(
  deps: EngineDeps,
  input: CreateTournamentInput,
): Promise<Result<Tournament, UserError>> {
  const format = input.format ?? DEFAULT_FORMAT;
  if (!isFormatName(format)) {
    return err(userError('invalid-input', `There is no tournament format "${nameForMessage(format)}".`));
  }
  const rounds = input.rounds ?? deps.defaultRounds;
  const problem = roundsProblem(rounds);
  if (problem) return err(userError('invalid-input', `Cannot run that: ${problem}.`));
  const guild = await deps.repos.guilds.get(input.guildId);
  if (!guild) throw new Error(`tournament: guild ${input.guildId} does not exist`);

  const running = await deps.repos.tournaments.activeFor(guild.id);
  if (running) return err(alreadyRunning(running));
  const active = await snapshotEntrants(deps, guild.id);
  const entrants = bestRated(active, MAX_ENTRANTS);
  if (entrants.length < active.length) {
    deps.logger.info('tournament field capped', {
      guild: guild.id,
      active: active.length,
      entrants: entrants.length,
    });
  }
  if (entrants.length < 2) {
    return err(
      userError(
        'too-few-entrants',
        `A tournament needs at least 2 active bots and this server has ${entrants.length}. ` +
          'Bots join with /submit (and come back from retirement with /bot activate).',
      ),
    );
  }
  // Seed by the conservative rating, the number the leaderboard orders by; unrated bots go last.
  const ratings: Record<string, number> = {};
  for (const e of entrants) if (e.rating) ratings[e.id] = conservative(e.rating);
  // Knockouts also play for third place: the semi-final losers would otherwise share it.
  const options = format === 'single-elimination' ? { ratings, thirdPlace: true } : { ratings };
  const seed = input.seed ?? deps.newSeed();
  const totalMatches = progress(initialState({ format, entrants, options, seed })).total;
  const created = await deps.repos.tournaments.create({
    guildId: guild.id,
    scheduleId: input.scheduleId ?? null,
    format,
    options,
    rounds,
    seed,
    totalMatches,
    entrants,
    limits: guild.limits,
    channelId: input.channelId,
    startedBy: input.startedBy,
  });
  if (!created) {
    // Another start won the race between the check above and the insert.
    const other = await deps.repos.tournaments.activeFor(guild.id);
    return err(other ? alreadyRunning(other) : userError('unavailable', 'Another tournament just started.'));
  }
  deps.logger.info('tournament created', {
    guild: guild.id,
    tournament: created.id,
    format,
    entrants: entrants.length,
    matches: totalMatches,
  });
  return ok(created);
}

/** The `max` best-rated entrants by conservative rating; unrated ones last, then the oldest bot. */
export function bestRated(entrants: readonly TournamentEntrant[], max: number): TournamentEntrant[] {
  if (entrants.length <= max) return [...entrants];
  const score = (e: TournamentEntrant) => (e.rating ? conservative(e.rating) : Number.NEGATIVE_INFINITY);
  const chosen = new Set(
    [...entrants]
      .sort((a, b) => score(b) - score(a) || a.botId - b.botId)
      .slice(0, max)
      .map((e) => e.botId),
  );
  // In the order they came (the formats seed from ratings, not from this order).
  return entrants.filter((e) => chosen.has(e.botId));
}

function alreadyRunning(t: Tournament): UserError {
  return userError(
    'tournament-active',
    // No advice for managers here: a skipped scheduled run posts this in the channel for
    // everyone; /tournament run-now adds it for the manager who asked.
    `Tournament #${t.id} (${FORMAT_LABELS[t.format].toLowerCase()}) is still ${t.status === 'pending' ? 'starting' : 'running'} here.`,
  );
}
