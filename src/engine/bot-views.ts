import type { Bot, BotChoiceOwner, BotVersionInfo } from '../db/repos/bots.js';
import type { HeadToHead, MatchListItem } from '../db/repos/matches.js';
import type { Rating } from '../db/repos/ratings.js';
import { err, ok, type Result } from '../util/result.js';
import type { EngineDeps, GuildRef } from './deps.js';
import { type UserError, userError } from './errors.js';
import { displayRating } from './ratings.js';

/**
 * What anyone in a guild may see about anyone's bots: who owns it, its versions, rating and
 * record, recent results, a player's list of bots and the record between two bots. Nothing here
 * is private (stderr and per-move logs stay with the owner: bot-admin.ts).
 */

/** Which bot a player means: a name, and the owner when the name alone could be several bots. */
export interface BotRef {
  name: string;
  /** The owner's user id; without it the name must be unique in the guild, or the viewer's own. */
  ownerUserId?: string | null;
}

export interface FoundBot {
  bot: Bot;
  owner: BotChoiceOwner;
}

/** Finds a bot by name: the owner's when given, else the only one so named, else the viewer's own. */
export async function findBot(
  deps: EngineDeps,
  guildId: string,
  viewerUserId: string,
  ref: BotRef,
): Promise<Result<FoundBot, UserError>> {
  const all = await deps.repos.bots.named(guildId, ref.name);
  const owned = ref.ownerUserId ? all.filter((b) => b.owner.userId === ref.ownerUserId) : all;
  if (owned.length === 1) return ok(owned[0]!);
  if (owned.length === 0) {
    if (ref.ownerUserId) {
      const owner = await deps.repos.players.get(guildId, ref.ownerUserId);
      const who =
        ref.ownerUserId === viewerUserId ? 'You have' : `${owner?.displayName ?? 'That player'} has`;
      return err(userError('bot-not-found', `${who} no bot called "${ref.name}".`));
    }
    return err(userError('bot-not-found', `No bot here is called "${ref.name}".`));
  }
  const mine = owned.find((b) => b.owner.userId === viewerUserId);
  if (mine) return ok(mine);
  const owners = owned.map((b) => b.owner.displayName).join(', ');
  return err(
    userError(
      'bot-not-found',
      `${owned.length} bots are called "${ref.name}" (owners: ${owners}). Say whose with the owner option.`,
    ),
  );
}

/** A bot's current version, rating, place on the board and recent matches: what /bot info shows. */
export interface BotSummary {
  current: BotVersionInfo | null;
  versions: number;
  rating: Rating | null;
  display: number | null;
  rank: { rank: number; total: number } | null;
  recent: MatchListItem[];
}

/** Reads a bot's summary; the owner's view (bot-admin.ts) and the public one show the same. */
export async function botSummary(deps: EngineDeps, guildId: string, bot: Bot): Promise<BotSummary> {
  const [versions, rating, rank, recent] = await Promise.all([
    deps.repos.bots.listVersions(bot.id),
    deps.repos.ratings.get(bot.id, 'rps'),
    deps.repos.ratings.rankOf(guildId, 'rps', bot.id),
    deps.repos.matches.recentForBot(bot.id, { limit: 5 }),
  ]);
  return {
    current: versions.find((v) => v.id === bot.currentVersionId) ?? null,
    versions: versions.length,
    rating,
    display: rating ? displayRating(rating) : null,
    rank: rank ? { rank: rank.rank, total: rank.total } : null,
    recent,
  };
}

export interface PublicBotInfo extends BotSummary {
  bot: Bot;
  owner: BotChoiceOwner;
  /** The viewer owns it (they can also see its logs and manage it). */
  isOwner: boolean;
}

export async function publicBotInfo(
  deps: EngineDeps,
  input: { guild: GuildRef; viewerUserId: string; bot: BotRef },
): Promise<Result<PublicBotInfo, UserError>> {
  const found = await findBot(deps, input.guild.id, input.viewerUserId, input.bot);
  if (!found.ok) return found;
  const { bot, owner } = found.value;
  const summary = await botSummary(deps, input.guild.id, bot);
  return ok({ bot, owner, isOwner: owner.userId === input.viewerUserId, ...summary });
}

export interface ListedBot {
  bot: Bot;
  rating: Rating | null;
  display: number | null;
  rank: number | null;
}

/** A player's bots, retired ones too, with rating and place on the board. */
export async function playerBots(
  deps: EngineDeps,
  input: { guild: GuildRef; ownerUserId: string },
): Promise<{ ownerName: string | null; bots: ListedBot[] }> {
  const player = await deps.repos.players.get(input.guild.id, input.ownerUserId);
  if (!player) return { ownerName: null, bots: [] };
  const owned = await deps.repos.bots.listOwned(input.guild.id, player.id);
  const bots = await Promise.all(
    owned.map(async (bot) => {
      const [rating, rank] = await Promise.all([
        deps.repos.ratings.get(bot.id, 'rps'),
        deps.repos.ratings.rankOf(input.guild.id, 'rps', bot.id),
      ]);
      return { bot, rating, display: rating ? displayRating(rating) : null, rank: rank?.rank ?? null };
    }),
  );
  return { ownerName: player.displayName, bots };
}

export interface HeadToHeadView {
  a: FoundBot;
  b: FoundBot;
  /** Rated and practice matches between them (smoke tests excluded), from a's side. */
  record: HeadToHead;
}

/** The record between two bots, in challenges and tournaments alike. */
export async function headToHead(
  deps: EngineDeps,
  input: { guild: GuildRef; viewerUserId: string; a: BotRef; b: BotRef },
): Promise<Result<HeadToHeadView, UserError>> {
  const a = await findBot(deps, input.guild.id, input.viewerUserId, input.a);
  if (!a.ok) return a;
  const b = await findBot(deps, input.guild.id, input.viewerUserId, input.b);
  if (!b.ok) return b;
  if (a.value.bot.id === b.value.bot.id) {
    return err(userError('same-bot', 'Name two different bots to compare.'));
  }
  const record = await deps.repos.matches.headToHead(a.value.bot.id, b.value.bot.id);
  return ok({ a: a.value, b: b.value, record });
}
