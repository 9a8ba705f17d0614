import type { Repos } from '../db/repos/index.js';
import type { Limits } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Logger } from '../util/logger.js';
import type { PairCapRule } from './rating-cap.js';

/** What the engine's services need, passed in by src/main.ts (and by tests). */
export interface EngineDeps {
  repos: Repos;
  sandbox: Sandbox;
  /** The server's limits; a guild may override some (stored on the guild). */
  limits: Limits;
  /** Rounds of a challenge when the user does not say. */
  defaultRounds: number;
  ratingCap: PairCapRule;
  now: () => Date;
  newSeed: () => string;
  logger: Logger;
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
