import type { Limits } from '../sandbox/limits.js';
import { botInfo, botVersions, matchLog, rollbackBot, setBotActive } from './bot-admin.js';
import { challenge } from './challenge.js';
import type { EngineDeps } from './deps.js';
import { effectiveLimits, resetGuildLimits, setGuildLimit } from './guild-limits.js';
import { leaderboard } from './leaderboard.js';
import { replayMatch } from './replay.js';
import { checkUpload, submitBot } from './submit.js';

type Rest<F> = F extends (deps: EngineDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
const bind = <F extends (deps: EngineDeps, ...args: never[]) => unknown>(deps: EngineDeps, f: F): Rest<F> =>
  ((...args: never[]) => f(deps, ...args)) as Rest<F>;

/**
 * The engine's services bound to their dependencies: what transports (commands, the CLI) call.
 */
export function createEngine(deps: EngineDeps) {
  return {
    deps,
    submit: bind(deps, submitBot),
    checkUpload: bind(deps, checkUpload),
    challenge: bind(deps, challenge),
    leaderboard: bind(deps, leaderboard),
    botInfo: bind(deps, botInfo),
    botVersions: bind(deps, botVersions),
    setBotActive: bind(deps, setBotActive),
    rollbackBot: bind(deps, rollbackBot),
    matchLog: bind(deps, matchLog),
    replay: bind(deps, replayMatch),
    setGuildLimit: bind(deps, setGuildLimit),
    resetGuildLimits: bind(deps, resetGuildLimits),
    /** An admin's action on someone else's bot (moderation). */
    async retireAnyBot(input: { guild: { id: string; name: string }; ownerUserId: string; name: string }) {
      return setBotActive(deps, {
        guild: input.guild,
        owner: { userId: input.ownerUserId, displayName: input.ownerUserId },
        name: input.name,
        active: false,
      });
    },
    /** The server's limits with this guild's overrides applied (never above the server's). */
    async effectiveLimits(guildId: string): Promise<Limits> {
      const guild = await deps.repos.guilds.get(guildId);
      return effectiveLimits(deps.limits, guild?.limits);
    },
    /** Bot names for autocomplete, optionally only one owner's. */
    async botChoices(guildId: string, prefix: string, ownerUserId?: string, includeRetired = false) {
      let ownerId: number | undefined;
      if (ownerUserId) {
        const player = await deps.repos.players.get(guildId, ownerUserId);
        if (!player) return [];
        ownerId = player.id;
      }
      return deps.repos.bots.autocomplete(guildId, prefix, { limit: 25, ownerId, includeRetired });
    },
  };
}
export type Engine = ReturnType<typeof createEngine>;
