import { randomInt } from 'node:crypto';
import type { Bot, BotVersionInfo } from '../db/repos/bots.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import type { BotReport, SmokeDisguise } from '../sandbox/types.js';
import { err, ok, type Result } from '../util/result.js';
import { matchName } from './bot-lookup.js';
import { checkBotName, nameFromFilename } from './bot-names.js';
import type { EngineDeps, GuildRef, PlayerRef } from './deps.js';
import { type UserError, userError } from './errors.js';
import { effectiveLimits } from './guild-limits.js';
import { ownerLabel } from './player-tag.js';
import { DEFAULT_QUOTA, quotaError } from './quotas.js';

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

/** An upload as announced, before its bytes are fetched. */
export interface UploadAnnouncement {
  guild: GuildRef;
  player: PlayerRef;
  name?: string | null;
  filename?: string;
  /** The size the transport was told (checked again against the real bytes). */
  size: number;
}

/** The name the upload will be stored under: the one given, else one made from the file name. */
function uploadName(input: { name?: string | null; filename?: string }): Result<string, UserError> {
  return checkBotName(input.name?.trim() || nameFromFilename(input.filename ?? 'bot'));
}

/**
 * Everything about an upload that can be refused without its bytes: the name, the size the
 * transport announced against the guild's limit, and the user's storage quotas. Transports call
 * this before downloading anything, so a refusal costs a few queries, not a 10 MiB download.
 * Reads only; `submitBot` checks all of it again with the real bytes.
 */
export async function checkUpload(
  deps: EngineDeps,
  input: UploadAnnouncement,
): Promise<Result<{ name: string }, UserError>> {
  const name = uploadName(input);
  if (!name.ok) return name;
  const guild = await deps.repos.guilds.get(input.guild.id);
  const limits = effectiveLimits(deps.limits, guild?.limits);
  if (input.size > limits.moduleBytes) {
    return err(
      userError(
        'invalid-input',
        `That file is ${formatSize(input.size)}; bots may be at most ${formatSize(limits.moduleBytes)}.`,
      ),
    );
  }
  const player = await deps.repos.players.get(input.guild.id, input.player.userId);
  const problem = await deps.repos.bots.quotaProblem(
    {
      guildId: input.guild.id,
      // No player row yet: no bot of that name either (-1 matches no bot).
      ownerId: player?.id ?? -1,
      ownerUserId: input.player.userId,
      name: name.value,
      size: input.size,
    },
    deps.quota ?? DEFAULT_QUOTA,
  );
  if (problem) return err(quotaError(problem));
  return ok({ name: name.value });
}

/**
 * Accepts an upload: validate it and play the test match in the sandbox with the guild's
 * limits, then store it as a new version of the player's bot (deduplicated by sha256), within
 * the user's storage quotas. A bot that fails any check is not stored, and nothing else is
 * either (not even the player's row): a refused upload leaves no trace in the database.
 */
export async function submitBot(
  deps: EngineDeps,
  input: SubmitInput,
): Promise<Result<SubmitOutcome, UserError>> {
  const name = uploadName(input);
  if (!name.ok) return name;
  const { repos } = deps;
  const stored = await repos.guilds.get(input.guild.id);
  const limits = effectiveLimits(deps.limits, stored?.limits);
  if (input.bytes.byteLength > limits.moduleBytes) {
    return err(
      userError(
        'invalid-input',
        `That file is ${formatSize(input.bytes.byteLength)}; bots may be at most ${formatSize(limits.moduleBytes)}.`,
      ),
    );
  }

  const checked = await deps.sandbox.check(input.bytes, {
    limits,
    smoke: await smokeDisguise(deps, input, name.value),
    for: { owner: `user:${input.player.userId}`, group: `guild:${input.guild.id}`, priority: 'interactive' },
  });
  if (!checked.ok) {
    deps.logger.info('upload rejected', {
      guild: input.guild.id,
      user: input.player.userId,
      code: checked.error.code,
    });
    return err(userError('rejected', checked.error.message));
  }
  const report = checked.value;
  const guild = await repos.guilds.upsert(input.guild);
  const player = await repos.players.upsert({
    guildId: guild.id,
    userId: input.player.userId,
    displayName: input.player.displayName,
  });
  const wasm = new Uint8Array(input.bytes.byteLength);
  wasm.set(input.bytes);
  const submitted = await repos.bots.submitWithinQuota(
    {
      guildId: guild.id,
      ownerId: player.id,
      ownerUserId: player.userId,
      name: name.value,
      wasm,
      sha256: report.sha256,
      meta: {
        interfaceKind: report.kind,
        imports: report.imports,
        validation: { ...report } as Record<string, unknown>,
        smokeMatch: (report.smoke ?? null) as Record<string, unknown> | null,
      },
    },
    deps.quota ?? DEFAULT_QUOTA,
  );
  if (!submitted.ok) return err(quotaError(submitted.error));
  let bot = submitted.value.bot;
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
    version: submitted.value.version.version,
    isNew: submitted.value.isNew,
    kind: report.kind,
  });
  return ok({
    bot,
    version: submitted.value.version,
    isNew: submitted.value.isNew,
    botCreated: submitted.value.botCreated,
    reactivated,
    report,
  });
}

/**
 * What the smoke match tells the upload (docs/security.md, "The smoke match"): the name it will
 * have in real matches, the name of another member's active bot of this guild (drawn at random;
 * a made-up one of the same shape when there is none), and the standard length.
 */
async function smokeDisguise(deps: EngineDeps, input: SubmitInput, botName: string): Promise<SmokeDisguise> {
  const others = (await deps.repos.bots.listActive(input.guild.id)).filter(
    (b) => b.owner.userId !== input.player.userId,
  );
  const other = others.length > 0 ? others[randomInt(others.length)] : undefined;
  const opponentName = other
    ? matchName(ownerLabel(other.owner.displayName, other.owner.userId), other.bot.name)
    : matchName(ownerLabel('player', String(randomInt(2 ** 47))), 'bot');
  return {
    name: matchName(ownerLabel(input.player.displayName, input.player.userId), botName),
    opponentName,
    rounds: deps.defaultRounds,
  };
}
