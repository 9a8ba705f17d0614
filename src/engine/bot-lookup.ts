import type { Bot, BotVersion } from '../db/repos/bots.js';
import type { Player } from '../db/repos/players.js';
import type { BotSource } from '../sandbox/types.js';
import { err, ok, type Result } from '../util/result.js';
import { nameForMessage } from './bot-names.js';
import type { EngineDeps } from './deps.js';
import { type UserError, userError } from './errors.js';

/**
 * Finds the bot a player means: by name when given, else their most recently updated active
 * bot. Errors are phrased for `who` ("You" or the player's name).
 */
export async function resolvePlayersBot(
  deps: EngineDeps,
  guildId: string,
  player: Player,
  name: string | null | undefined,
  who: { subject: string; possessive: string; isSelf: boolean },
): Promise<Result<Bot, UserError>> {
  if (name) {
    const bot = await deps.repos.bots.findByName(guildId, player.id, name);
    if (!bot)
      return err(
        userError(
          'bot-not-found',
          `${who.subject} ${who.isSelf ? 'have' : 'has'} no bot called "${nameForMessage(name)}".`,
        ),
      );
    if (bot.retiredAt) {
      return err(
        userError(
          'bot-retired',
          `${who.possessive} bot "${bot.name}" is retired${who.isSelf ? '; bring it back with /bot activate' : ''}.`,
        ),
      );
    }
    if (bot.currentVersionId === null)
      return err(userError('no-bot', `"${bot.name}" has no uploaded version yet.`));
    return ok(bot);
  }
  const mine = (await deps.repos.bots.listActive(guildId)).filter((a) => a.owner.id === player.id);
  if (mine.length === 0) {
    return err(
      userError(
        who.isSelf ? 'no-bot' : 'opponent-has-no-bot',
        who.isSelf
          ? 'You have no active bot yet. Upload one with /submit (see /help for how to write one).'
          : `${who.subject} has no active bot to play.`,
      ),
    );
  }
  mine.sort((x, y) => y.version.createdAt.getTime() - x.version.createdAt.getTime() || y.bot.id - x.bot.id);
  return ok(mine[0]!.bot);
}

/** The name a bot is known by in matches: "owner/bot" (the owner as labelled, with its tag). */
export function matchName(ownerName: string, botName: string): string {
  return `${ownerName}/${botName}`;
}

/** A sandbox bot source for a stored version; its bytes are read only if the sandbox has not prepared it. */
export function versionSource(
  deps: EngineDeps,
  name: string,
  version: Pick<BotVersion, 'id' | 'sha256'>,
): BotSource {
  return {
    kind: 'wasm',
    name,
    sha256: version.sha256,
    bytes: async () => {
      const full = await deps.repos.bots.getVersion(version.id);
      if (!full) throw new Error(`version ${version.id} vanished`);
      return full.wasm;
    },
  };
}
