import type { Bot, BotVersionInfo } from '../db/repos/bots.js';
import type { StoredMatch } from '../db/repos/matches.js';
import { err, ok, type Result } from '../util/result.js';
import { nameForMessage } from './bot-names.js';
import { type BotSummary, botSummary } from './bot-views.js';
import type { EngineDeps, GuildRef, PlayerRef } from './deps.js';
import { type UserError, userError } from './errors.js';

/** The owner's view of their bots: info, versions, retire/activate, rollback and match logs. */

async function ownBot(
  deps: EngineDeps,
  guild: GuildRef,
  owner: PlayerRef,
  name: string,
): Promise<Result<{ bot: Bot; ownerId: number }, UserError>> {
  const player = await deps.repos.players.get(guild.id, owner.userId);
  const bot = player ? await deps.repos.bots.findByName(guild.id, player.id, name) : null;
  if (!player || !bot)
    return err(userError('bot-not-found', `You have no bot called "${nameForMessage(name)}".`));
  return ok({ bot, ownerId: player.id });
}

export interface BotInfo extends BotSummary {
  bot: Bot;
}

export async function botInfo(
  deps: EngineDeps,
  input: { guild: GuildRef; owner: PlayerRef; name: string },
): Promise<Result<BotInfo, UserError>> {
  const found = await ownBot(deps, input.guild, input.owner, input.name);
  if (!found.ok) return found;
  const { bot } = found.value;
  return ok({ bot, ...(await botSummary(deps, input.guild.id, bot)) });
}

export async function botVersions(
  deps: EngineDeps,
  input: { guild: GuildRef; owner: PlayerRef; name: string },
): Promise<Result<{ bot: Bot; versions: BotVersionInfo[] }, UserError>> {
  const found = await ownBot(deps, input.guild, input.owner, input.name);
  if (!found.ok) return found;
  return ok({ bot: found.value.bot, versions: await deps.repos.bots.listVersions(found.value.bot.id) });
}

export async function setBotActive(
  deps: EngineDeps,
  input: { guild: GuildRef; owner: PlayerRef; name: string; active: boolean },
): Promise<Result<{ bot: Bot; changed: boolean }, UserError>> {
  const found = await ownBot(deps, input.guild, input.owner, input.name);
  if (!found.ok) return found;
  const wasActive = found.value.bot.retiredAt === null;
  const result = input.active
    ? await deps.repos.bots.activate(found.value.bot.id)
    : await deps.repos.bots.retire(found.value.bot.id);
  if (!result.ok)
    return err(userError('bot-not-found', `You have no bot called "${nameForMessage(input.name)}".`));
  deps.logger.info(input.active ? 'bot activated' : 'bot retired', { bot: result.value.id });
  return ok({ bot: result.value, changed: wasActive !== input.active });
}

export async function rollbackBot(
  deps: EngineDeps,
  input: { guild: GuildRef; owner: PlayerRef; name: string; version: number },
): Promise<Result<{ bot: Bot; version: BotVersionInfo }, UserError>> {
  const found = await ownBot(deps, input.guild, input.owner, input.name);
  if (!found.ok) return found;
  const result = await deps.repos.bots.setCurrentVersion(found.value.bot.id, input.version);
  if (!result.ok) {
    return err(
      userError(
        'version-not-found',
        `"${found.value.bot.name}" has no version ${input.version}; see /bot versions.`,
      ),
    );
  }
  deps.logger.info('bot rolled back', { bot: found.value.bot.id, version: input.version });
  return ok({ bot: (await deps.repos.bots.get(found.value.bot.id))!, version: result.value });
}

export interface MatchLogView {
  match: StoredMatch;
  /** Which seat the viewer's bot sat in. */
  seat: 0 | 1;
}

/**
 * A match's full per-move log for the owner of one of its bots: their fuel, time, stderr and
 * faults. Only owners see it, because stderr may hold a bot's private reasoning.
 */
export async function matchLog(
  deps: EngineDeps,
  input: { guild: GuildRef; owner: PlayerRef; name: string; matchId?: number | null },
): Promise<Result<MatchLogView, UserError>> {
  const found = await ownBot(deps, input.guild, input.owner, input.name);
  if (!found.ok) return found;
  const { bot } = found.value;
  let matchId = input.matchId ?? null;
  if (matchId === null) {
    const [latest] = await deps.repos.matches.recentForBot(bot.id, { limit: 1 });
    if (!latest) return err(userError('match-not-found', `"${bot.name}" has not played a match yet.`));
    matchId = latest.id;
  }
  const match = await deps.repos.matches.get(matchId);
  if (!match || match.guildId !== input.guild.id)
    return err(userError('match-not-found', `There is no match #${matchId}.`));
  const seat = match.bot0Id === bot.id ? 0 : match.bot1Id === bot.id ? 1 : null;
  if (seat === null) return err(userError('not-yours', `"${bot.name}" did not play in match #${matchId}.`));
  return ok({ match, seat });
}
