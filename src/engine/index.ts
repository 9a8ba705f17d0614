import type { Limits } from '../sandbox/limits.js';
import { botInfo, botVersions, matchLog, rollbackBot, setBotActive } from './bot-admin.js';
import { createBotDirectory } from './bot-directory.js';
import { headToHead, playerBots, publicBotInfo } from './bot-views.js';
import { challenge, checkChallenge } from './challenge.js';
import type { EngineDeps } from './deps.js';
import { effectiveLimits, resetGuildLimits, setGuildLimit } from './guild-limits.js';
import { leaderboard } from './leaderboard.js';
import { playerSettings, setChallengePings } from './player-settings.js';
import { replayMatch } from './replay.js';
import { checkUpload, submitBot } from './submit.js';

type Rest<F> = F extends (deps: EngineDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
const bind = <F extends (deps: EngineDeps, ...args: never[]) => unknown>(deps: EngineDeps, f: F): Rest<F> =>
  ((...args: never[]) => f(deps, ...args)) as Rest<F>;

/**
 * The engine's services bound to their dependencies: what transports (commands, the CLI) call.
 */
export function createEngine(deps: EngineDeps) {
  const directory = createBotDirectory(deps);
  /** Runs a change to a guild's bots, then drops its autocomplete list. */
  const changing =
    <A extends { guild: { id: string } }, R>(f: (input: A) => Promise<R>) =>
    async (input: A): Promise<R> => {
      try {
        return await f(input);
      } finally {
        directory.forget(input.guild.id);
      }
    };
  return {
    deps,
    submit: changing(bind(deps, submitBot)),
    checkUpload: bind(deps, checkUpload),
    challenge: bind(deps, challenge),
    /** The challenge's cheap checks, from the bot directory (memory), for a private refusal. */
    checkChallenge: (input: Parameters<typeof checkChallenge>[1]) =>
      checkChallenge(deps, input, (ownerUserId) =>
        directory.choices(input.guild.id, '', { ownerUserId, includeRetired: true, limit: 10_000 }),
      ),
    leaderboard: bind(deps, leaderboard),
    botInfo: bind(deps, botInfo),
    publicBotInfo: bind(deps, publicBotInfo),
    playerBots: bind(deps, playerBots),
    headToHead: bind(deps, headToHead),
    botVersions: bind(deps, botVersions),
    setBotActive: changing(bind(deps, setBotActive)),
    rollbackBot: bind(deps, rollbackBot),
    matchLog: bind(deps, matchLog),
    playerSettings: bind(deps, playerSettings),
    setChallengePings: bind(deps, setChallengePings),
    replay: bind(deps, replayMatch),
    setGuildLimit: bind(deps, setGuildLimit),
    resetGuildLimits: bind(deps, resetGuildLimits),
    /** An admin's action on someone else's bot (moderation). */
    retireAnyBot: changing(
      async (input: { guild: { id: string; name: string }; ownerUserId: string; name: string }) =>
        setBotActive(deps, {
          guild: input.guild,
          owner: { userId: input.ownerUserId, displayName: input.ownerUserId },
          name: input.name,
          active: false,
        }),
    ),
    /** The server's limits with this guild's overrides applied (never above the server's). */
    async effectiveLimits(guildId: string): Promise<Limits> {
      const guild = await deps.repos.guilds.get(guildId);
      return effectiveLimits(deps.limits, guild?.limits);
    },
    /** Bot names for autocomplete, optionally only one owner's; from memory (bot-directory.ts). */
    async botChoices(guildId: string, prefix: string, ownerUserId?: string, includeRetired = false) {
      return directory.choices(guildId, prefix, { ...(ownerUserId ? { ownerUserId } : {}), includeRetired });
    },
  };
}
export type Engine = ReturnType<typeof createEngine>;
