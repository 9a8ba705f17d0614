import type { Bot, BotVersionInfo } from '../db/repos/bots.js';
import type { BotReport } from '../sandbox/types.js';
import { err, ok, type Result } from '../util/result.js';
import { checkBotName, nameFromFilename } from './bot-names.js';
import type { EngineDeps, GuildRef, PlayerRef } from './deps.js';
import { type UserError, userError } from './errors.js';

export interface SubmitInput {
  guild: GuildRef;
  player: PlayerRef;
  /** The bot's name; defaults to one made from `filename`. */
  name?: string | null;
  filename?: string;
  bytes: Uint8Array;
}

export interface SubmitOutcome {
  bot: Bot;
  version: BotVersionInfo;
  /** False when these exact bytes were already a version of the bot (now current again). */
  isNew: boolean;
  botCreated: boolean;
  /** The bot was retired and this upload brought it back. */
  reactivated: boolean;
  report: BotReport;
}

/**
 * Accepts an upload: validate it and play the test match in the sandbox with the guild's
 * limits, then store it as a new version of the player's bot (deduplicated by sha256). A bot
 * that fails either check is not stored, and the error says why.
 */
export async function submitBot(
  deps: EngineDeps,
  input: SubmitInput,
): Promise<Result<SubmitOutcome, UserError>> {
  const name = checkBotName(input.name?.trim() || nameFromFilename(input.filename ?? 'bot'));
  if (!name.ok) return name;
  const { repos } = deps;
  const guild = await repos.guilds.upsert(input.guild);
  const player = await repos.players.upsert({
    guildId: guild.id,
    userId: input.player.userId,
    displayName: input.player.displayName,
  });

  const checked = await deps.sandbox.check(input.bytes, {
    limits: guild.limits,
    for: { owner: `user:${input.player.userId}`, group: `guild:${guild.id}`, priority: 'interactive' },
  });
  if (!checked.ok) {
    deps.logger.info('upload rejected', {
      guild: guild.id,
      user: input.player.userId,
      code: checked.error.code,
    });
    return err(userError('rejected', checked.error.message));
  }
  const report = checked.value;
  const wasm = new Uint8Array(input.bytes.byteLength);
  wasm.set(input.bytes);
  const submitted = await repos.bots.submit({
    guildId: guild.id,
    ownerId: player.id,
    name: name.value,
    wasm,
    sha256: report.sha256,
    meta: {
      interfaceKind: report.kind,
      imports: report.imports,
      validation: { ...report } as Record<string, unknown>,
      smokeMatch: (report.smoke ?? null) as Record<string, unknown> | null,
    },
  });
  let bot = submitted.bot;
  let reactivated = false;
  if (bot.retiredAt) {
    const activated = await repos.bots.activate(bot.id);
    if (activated.ok) {
      bot = activated.value;
      reactivated = true;
    }
  }
  await repos.ratings.getOrInit(guild.id, 'rps', bot.id);
  deps.logger.info('bot submitted', {
    guild: guild.id,
    bot: bot.id,
    name: bot.name,
    version: submitted.version.version,
    isNew: submitted.isNew,
    kind: report.kind,
  });
  return ok({
    bot,
    version: submitted.version,
    isNew: submitted.isNew,
    botCreated: submitted.botCreated,
    reactivated,
    report,
  });
}
