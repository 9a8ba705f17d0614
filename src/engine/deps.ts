import type { StorageQuota } from '../db/repos/bots.js';
import type { Repos } from '../db/repos/index.js';
import type { Limits } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Logger } from '../util/logger.js';
import type { MatchQueue } from './match-queue.js';
import type { PairCapRule } from './rating-cap.js';

/** What the engine's services need, passed in by src/main.ts (and by tests). */
export interface EngineDeps {
  repos: Repos;
  sandbox: Sandbox;
  /** The server's limits; a guild may override some (stored on the guild). */
  limits: Limits;
  /**
   * The standard length of a match, in rounds: a challenge's default, and the only length a
   * challenge is rated at (other lengths are practice; docs/ratings.md).
   */
  defaultRounds: number;
  /** What one user may store, across guilds (default DEFAULT_QUOTA in quotas.ts). */
  quota?: StorageQuota;
  ratingCap: PairCapRule;
  now: () => Date;
  newSeed: () => string;
  logger: Logger;
  /**
   * Where matches are played: unset, in this process's sandbox (the embedded default); set, as
   * jobs on the match queue that `throwdown worker` processes play and commit (docs/scaling.md).
   */
  matchQueue?: MatchQueue;
}

/** Who is acting, as the transport knows them. */
export interface GuildRef {
  id: string;
  name: string;
}
export interface PlayerRef {
  userId: string;
  displayName: string;
}
