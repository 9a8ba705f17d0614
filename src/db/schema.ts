import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { BotInterfaceKind, Fault } from '../games/match-record.js';
import type { Limits } from '../sandbox/limits.js';
import { bytea } from './bytea.js';

/**
 * The whole database, one file so drizzle-kit sees every table (docs/database.md says why each
 * exists). Conventions: surrogate integer identity keys, Discord snowflakes kept as text (they
 * exceed 2^53), timestamps with time zone, closed sets of words as text with a CHECK (easier to
 * extend than a Postgres enum), and integrity the application relies on written as constraints so
 * concurrent writers cannot break it.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Rate limits a guild may set; the rate-limit issue narrows the keys. */
export type GuildRateLimits = Record<string, number>;

/** A Discord server (or the console's pseudo-guild). Settings live here as they are added. */
export const guilds = pgTable('guilds', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Overrides of DEFAULT_LIMITS for this guild; absent keys use the defaults. */
  limits: jsonb('limits').$type<Partial<Limits>>().notNull().default({}),
  rateLimits: jsonb('rate_limits').$type<GuildRateLimits>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A Discord user as seen in one guild: bots, matches and ratings are all per guild. */
export const players = pgTable(
  'players',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    guildId: text('guild_id')
      .notNull()
      .references(() => guilds.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    displayName: text('display_name').notNull(),
    /** The player asked to be pinged when someone challenges them (/settings); off by default. */
    challengePings: boolean('challenge_pings').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('players_guild_user_key').on(t.guildId, t.userId)],
);

/**
 * A player's named bot. Names are unique per owner ignoring case: `name_key` is a generated
 * lower-case copy so the rule is a plain unique constraint that ON CONFLICT can target.
 * A bot is active while `retired_at` is null.
 */
export const bots = pgTable(
  'bots',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    guildId: text('guild_id')
      .notNull()
      .references(() => guilds.id, { onDelete: 'cascade' }),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => players.id, { onDelete: 'cascade' }),
    /** As the owner typed it, shown in listings. */
    name: text('name').notNull(),
    nameKey: text('name_key').notNull().generatedAlwaysAs(sql`lower(name)`),
    /** Null only between creating the bot and storing its first version (one transaction). */
    currentVersionId: integer('current_version_id'),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('bots_guild_owner_name_key').on(t.guildId, t.ownerId, t.nameKey),
    // Targets for composite foreign keys that keep ratings in the bot's guild.
    unique('bots_id_guild_key').on(t.id, t.guildId),
    // The current version must be one of this bot's versions, not any version.
    foreignKey({
      name: 'bots_current_version_fk',
      columns: [t.id, t.currentVersionId],
      foreignColumns: [botVersions.botId, botVersions.id],
    }),
    // Autocomplete looks names up by prefix (LIKE 'abc%'), which needs pattern ops under any
    // collation but C.
    index('bots_guild_name_prefix_idx').on(t.guildId, t.nameKey.op('text_pattern_ops')),
    check('bots_name_length', sql`char_length(${t.name}) between 1 and 64`),
  ],
);

/** Free-form reports produced by the sandbox; the upload issue defines their shape. */
export type ValidationReport = Record<string, unknown>;
export type SmokeMatchSummary = Record<string, unknown>;

/**
 * One uploaded module of a bot. The same bytes uploaded again for the same bot are the same
 * version (unique (bot, sha256)); versions are numbered 1, 2, 3 per bot for people to refer to.
 */
export const botVersions = pgTable(
  'bot_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    botId: integer('bot_id')
      .notNull()
      .references((): AnyPgColumn => bots.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** sha256 of `wasm`, lower-case hex. */
    sha256: text('sha256').notNull(),
    wasm: bytea('wasm').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    interfaceKind: text('interface_kind').$type<BotInterfaceKind>().notNull(),
    /** Imports the module declares, e.g. "wasi:cli/stdin@0.2.0", for listings and audits. */
    imports: text('imports').array().notNull().default(sql`'{}'::text[]`),
    validation: jsonb('validation').$type<ValidationReport>().notNull(),
    /** Summary of the smoke match run on upload; null when none was run. */
    smokeMatch: jsonb('smoke_match').$type<SmokeMatchSummary>(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('bot_versions_bot_sha256_key').on(t.botId, t.sha256),
    unique('bot_versions_bot_version_key').on(t.botId, t.version),
    unique('bot_versions_bot_id_key').on(t.botId, t.id),
    check('bot_versions_sha256_hex', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('bot_versions_size_matches', sql`${t.sizeBytes} = octet_length(${t.wasm})`),
    check('bot_versions_interface_kind', sql`${t.interfaceKind} in ('component', 'command')`),
    check('bot_versions_version_positive', sql`${t.version} >= 1`),
  ],
);

export const MATCH_KINDS = ['challenge', 'tournament', 'smoke'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/**
 * A finished match: who played (bot and exact version per seat), under which rules and seed, how
 * it came out, and the compressed round log, which with the seed is enough to replay it.
 * Seat columns are suffixed 0 and 1 like MatchRecord's tuples.
 */
export const matches = pgTable(
  'matches',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    guildId: text('guild_id')
      .notNull()
      .references(() => guilds.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<MatchKind>().notNull(),
    game: text('game').$type<'rps'>().notNull(),
    seed: text('seed').notNull(),
    rounds: integer('rounds').notNull(),
    drawMargin: integer('draw_margin').notNull(),
    roundsPlayed: integer('rounds_played').notNull(),
    bot0Id: integer('bot0_id').notNull(),
    bot1Id: integer('bot1_id').notNull(),
    bot0VersionId: integer('bot0_version_id').notNull(),
    bot1VersionId: integer('bot1_version_id').notNull(),
    /** 0 or 1; null for a draw. */
    winnerSeat: smallint('winner_seat').$type<0 | 1 | null>(),
    outcomeReason: text('outcome_reason')
      .$type<'points' | 'within-margin' | 'forfeit' | 'double-forfeit'>()
      .notNull(),
    /** Seat 0's points minus seat 1's. */
    score: integer('score').notNull(),
    wins0: integer('wins0').notNull(),
    wins1: integer('wins1').notNull(),
    ties: integer('ties').notNull(),
    /** Instructions each seat used, start-up included; can exceed 2^31. */
    fuel0: bigint('fuel0', { mode: 'number' }).notNull(),
    fuel1: bigint('fuel1', { mode: 'number' }).notNull(),
    /** Wall time each seat spent (start-up plus moves), microseconds: informative only. */
    wallMicros0: bigint('wall_micros0', { mode: 'number' }).notNull(),
    wallMicros1: bigint('wall_micros1', { mode: 'number' }).notNull(),
    faults: jsonb('faults').$type<Fault[]>().notNull().default([]),
    /** gzip of the JSON of MatchRecord.log (column-wise moves and fuel): a few KB per 1000 rounds. */
    log: bytea('log').notNull(),
    stderr0: text('stderr0').notNull().default(''),
    stderr1: text('stderr1').notNull().default(''),
    /** The names the bots were told (each other's, via the protocol): replays must tell them the same. */
    bot0Name: text('bot0_name').notNull().default(''),
    bot1Name: text('bot1_name').notNull().default(''),
    /** The limits the match ran under, so a replay uses the same ones even after the guild changes them. */
    limits: jsonb('limits').$type<Partial<Limits>>().notNull().default({}),
    /** gzip of the JSON of per-round move times (microseconds): informative, for authors' logs. */
    timing: bytea('timing'),
    /**
     * When the author-facing extras (stderr, per-move times) were dropped to save space; null
     * while they are kept. The log (moves and fuel) is never dropped: replays need it.
     */
    logsCompactedAt: timestamp('logs_compacted_at', { withTimezone: true }),
    /** The tournament a 'tournament' match belongs to, its round, and the format's pairing key. */
    tournamentId: integer('tournament_id').references((): AnyPgColumn => tournaments.id),
    tournamentRound: integer('tournament_round'),
    /** e.g. "r2:m5": maps the stored match back to the format's pairing when a tournament resumes. */
    pairingKey: text('pairing_key'),
    /**
     * The job's key when the match was played through the match queue (src/queue/): "challenge:<uuid>"
     * or "tournament:<id>:<pairing>". Unique, so a retried or raced job stores its match once.
     */
    matchKey: text('match_key'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Each seat's version must belong to that seat's bot.
    foreignKey({
      name: 'matches_seat0_version_fk',
      columns: [t.bot0Id, t.bot0VersionId],
      foreignColumns: [botVersions.botId, botVersions.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'matches_seat1_version_fk',
      columns: [t.bot1Id, t.bot1VersionId],
      foreignColumns: [botVersions.botId, botVersions.id],
    }).onDelete('cascade'),
    index('matches_bot0_idx').on(t.bot0Id, t.id.desc()),
    index('matches_bot1_idx').on(t.bot1Id, t.id.desc()),
    index('matches_guild_idx').on(t.guildId, t.id.desc()),
    index('matches_tournament_idx')
      .on(t.tournamentId, t.tournamentRound)
      .where(sql`${t.tournamentId} is not null`),
    check('matches_kind', sql`${t.kind} in ('challenge', 'tournament', 'smoke')`),
    check('matches_tournament_fields', sql`(${t.kind} = 'tournament') = (${t.tournamentId} is not null)`),
    check(
      'matches_tournament_pairing',
      sql`(${t.tournamentId} is null) = (${t.pairingKey} is null) and (${t.tournamentId} is null) = (${t.tournamentRound} is null)`,
    ),
    // The guarantee behind "no match counted twice": one stored match per pairing, whatever a
    // runner believes about its lease.
    unique('matches_tournament_pairing_key').on(t.tournamentId, t.pairingKey),
    // Exactly-once commits of queued matches: a second commit of the same job finds this and stores nothing.
    unique('matches_match_key').on(t.matchKey),
    // A bot playing itself would rate itself against itself.
    check('matches_distinct_bots', sql`${t.bot0Id} <> ${t.bot1Id}`),
    check('matches_winner_seat', sql`${t.winnerSeat} in (0, 1)`),
    check(
      'matches_outcome_reason',
      sql`${t.outcomeReason} in ('points', 'within-margin', 'forfeit', 'double-forfeit')`,
    ),
    check('matches_rules', sql`${t.rounds} >= 1 and ${t.drawMargin} >= 0 and ${t.roundsPlayed} >= 0`),
  ],
);

/**
 * A bot's current rating in one game. `guild_id` is redundant with the bot's, kept (and held equal
 * by a composite foreign key) so a guild's leaderboard is one index range. `conservative` is the
 * generated mu - 3*sigma that leaderboards order by.
 */
export const ratings = pgTable(
  'ratings',
  {
    guildId: text('guild_id').notNull(),
    game: text('game').notNull(),
    botId: integer('bot_id').notNull(),
    mu: doublePrecision('mu').notNull(),
    sigma: doublePrecision('sigma').notNull(),
    conservative: doublePrecision('conservative').notNull().generatedAlwaysAs(sql`mu - 3 * sigma`),
    played: integer('played').notNull().default(0),
    wins: integer('wins').notNull().default(0),
    losses: integer('losses').notNull().default(0),
    draws: integer('draws').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'ratings_pkey', columns: [t.botId, t.game] }),
    foreignKey({
      name: 'ratings_bot_fk',
      columns: [t.botId, t.guildId],
      foreignColumns: [bots.id, bots.guildId],
    }).onDelete('cascade'),
    index('ratings_leaderboard_idx').on(t.guildId, t.game, t.conservative.desc(), t.botId),
    check('ratings_sigma_positive', sql`${t.sigma} > 0`),
    check('ratings_counts', sql`${t.played} = ${t.wins} + ${t.losses} + ${t.draws}`),
  ],
);

/** How each rated match moved each bot's rating: the audit trail and the data for rating charts. */
export const ratingHistory = pgTable(
  'rating_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    botId: integer('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    muBefore: doublePrecision('mu_before').notNull(),
    sigmaBefore: doublePrecision('sigma_before').notNull(),
    muAfter: doublePrecision('mu_after').notNull(),
    sigmaAfter: doublePrecision('sigma_after').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('rating_history_match_bot_key').on(t.matchId, t.botId),
    index('rating_history_bot_idx').on(t.botId, t.id.desc()),
  ],
);

export const TOURNAMENT_FORMATS = ['round-robin', 'swiss', 'single-elimination'] as const;
export type TournamentFormat = (typeof TOURNAMENT_FORMATS)[number];

export const TOURNAMENT_STATUSES = ['pending', 'running', 'finished', 'cancelled'] as const;
export type TournamentStatus = (typeof TOURNAMENT_STATUSES)[number];

/** The format options a tournament was started with (src/engine/formats FormatOptions, as stored). */
export interface TournamentFormatOptions {
  ratings?: Record<string, number>;
  double?: boolean;
  rounds?: number;
  thirdPlace?: boolean;
}

/**
 * One entrant as it was when the tournament started: the bot AND the version it plays every
 * match with (uploading a new version mid-tournament changes nothing), names for messages, and
 * the rating it came in with (for seeding and for spotting upsets).
 */
export interface TournamentEntrant {
  /** The format's entrant id: the bot id as text. */
  id: string;
  botId: number;
  versionId: number;
  /** The version's number (v1, v2, ...) for people. */
  version: number;
  sha256: string;
  botName: string;
  ownerUserId: string;
  /** The owner's label with its tag ("alice#K3F9", src/engine/player-tag.ts), as it was at the start. */
  ownerName: string;
  /** Rating when the tournament started; null when the bot had never been rated. */
  rating: { mu: number; sigma: number } | null;
}

/** A final standing as stored when the tournament finishes (history reads the winner from it). */
export interface StoredStanding {
  rank: number;
  entrant: string;
  points: number;
  wins: number;
  draws: number;
  losses: number;
  byes: number;
}

const formatCheck = (column: AnyPgColumn) => sql`${column} in ('round-robin', 'swiss', 'single-elimination')`;

/**
 * A guild's tournament schedule: when (a cron expression read in an IANA timezone), where (the
 * channel the progress and results go to) and what (format, rounds per match). One per guild:
 * `/tournament schedule` replaces it. `next_run_at` is the slot the scheduler will fire next;
 * firing claims the slot with a conditional UPDATE, so two service instances never both fire it.
 */
export const tournamentSchedules = pgTable(
  'tournament_schedules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    guildId: text('guild_id')
      .notNull()
      .references(() => guilds.id, { onDelete: 'cascade' }),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    channelId: text('channel_id').notNull(),
    format: text('format').$type<TournamentFormat>().notNull(),
    /** Game rounds per match. */
    rounds: integer('rounds').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    /** Who last set it (a Discord user id), for the status message. */
    updatedBy: text('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('tournament_schedules_guild_key').on(t.guildId),
    index('tournament_schedules_next_run_idx').on(t.nextRunAt).where(sql`${t.enabled}`),
    check('tournament_schedules_format', formatCheck(t.format)),
    check('tournament_schedules_rounds', sql`${t.rounds} between 1 and 100000`),
  ],
);

/**
 * One tournament. The format's state is never stored: it is rebuilt from `entrants`, `options`
 * and `seed` plus the results stored so far (matches and unplayed pairings, by pairing key), so
 * a crash can lose nothing that was committed. `lease_owner`/`lease_expires_at` say which
 * process runs it (docs/tournaments.md, "The lock"); at most one pending or running tournament
 * per guild.
 */
export const tournaments = pgTable(
  'tournaments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    guildId: text('guild_id')
      .notNull()
      .references(() => guilds.id, { onDelete: 'cascade' }),
    scheduleId: integer('schedule_id').references(() => tournamentSchedules.id, { onDelete: 'set null' }),
    format: text('format').$type<TournamentFormat>().notNull(),
    options: jsonb('options').$type<TournamentFormatOptions>().notNull().default({}),
    /** Game rounds per match. */
    rounds: integer('rounds').notNull(),
    seed: text('seed').notNull(),
    /** Matches the format will have in all (exact for every format), for progress and history. */
    totalMatches: integer('total_matches').notNull(),
    status: text('status').$type<TournamentStatus>().notNull().default('pending'),
    entrants: jsonb('entrants').$type<TournamentEntrant[]>().notNull(),
    /** The guild's limit overrides when it started: every match of the tournament runs under the same. */
    limits: jsonb('limits').$type<Partial<Limits>>().notNull().default({}),
    /** Where messages go; null for a tournament started without a channel (the console). */
    channelId: text('channel_id'),
    progressMessageId: text('progress_message_id'),
    threadId: text('thread_id'),
    /** The process running it, and until when its claim holds unless renewed. */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    /** A Discord user id, or "schedule". */
    startedBy: text('started_by').notNull(),
    /** Final standings, written when it finishes. */
    standings: jsonb('standings').$type<StoredStanding[]>(),
    cancelReason: text('cancel_reason'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tournaments_one_active_per_guild')
      .on(t.guildId)
      .where(sql`${t.status} in ('pending', 'running')`),
    index('tournaments_guild_idx').on(t.guildId, t.id.desc()),
    index('tournaments_active_idx').on(t.id).where(sql`${t.status} in ('pending', 'running')`),
    check('tournaments_status', sql`${t.status} in ('pending', 'running', 'finished', 'cancelled')`),
    check('tournaments_format', formatCheck(t.format)),
    check('tournaments_rounds', sql`${t.rounds} between 1 and 100000`),
    check('tournaments_lease', sql`(${t.leaseOwner} is null) = (${t.leaseExpiresAt} is null)`),
  ],
);

/**
 * A pairing settled without a match: the sandbox failed twice for reasons outside the bots
 * (worker-lost), or a bot could not run under the limits (rejected). The format still needs a
 * result to go on, so one is stored here (a draw for host failures, a loss for the bot that could
 * not run); nothing is rated. The primary key is the pairing, like matches' unique key.
 */
export const tournamentUnplayed = pgTable(
  'tournament_unplayed',
  {
    tournamentId: integer('tournament_id')
      .notNull()
      .references(() => tournaments.id, { onDelete: 'cascade' }),
    pairingKey: text('pairing_key').notNull(),
    round: integer('round').notNull(),
    bot0Id: integer('bot0_id').notNull(),
    bot1Id: integer('bot1_id').notNull(),
    /** The result the format records: 0 or 1, null for a draw. */
    winnerSeat: smallint('winner_seat').$type<0 | 1 | null>(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'tournament_unplayed_pkey', columns: [t.tournamentId, t.pairingKey] }),
    check('tournament_unplayed_winner_seat', sql`${t.winnerSeat} in (0, 1)`),
  ],
);

/**
 * Tournament messages that must be posted once however many service instances run: the start
 * (progress message and thread), the results and the cancellation. The row for a tournament and
 * kind is claimed before posting (by `owner`, until `claimed_until`) and marked `sent_at` after;
 * a second instance, or a runner resuming after a takeover, sees it and does not post again.
 * A claim whose process died expires, so an announcement is delayed, never lost.
 */
export const tournamentAnnouncements = pgTable(
  'tournament_announcements',
  {
    tournamentId: integer('tournament_id')
      .notNull()
      .references(() => tournaments.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<AnnouncementKind>().notNull(),
    owner: text('owner').notNull(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** What the post created (the start's message and thread ids), for whoever comes next. */
    messages: jsonb('messages').$type<{ messageId: string | null; threadId: string | null }>(),
  },
  (t) => [
    primaryKey({ name: 'tournament_announcements_pkey', columns: [t.tournamentId, t.kind] }),
    check('tournament_announcements_kind', sql`${t.kind} in ('start', 'results', 'cancelled')`),
  ],
);

export type AnnouncementKind = 'start' | 'results' | 'cancelled';
