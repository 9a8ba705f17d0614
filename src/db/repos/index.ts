import type { Db } from '../client.js';
import { createBotsRepo } from './bots.js';
import { createGuildsRepo } from './guilds.js';
import { createMatchesRepo } from './matches.js';
import { createPlayersRepo } from './players.js';
import { createRatingsRepo } from './ratings.js';
import { createAnnouncementsRepo } from './tournament-announcements.js';
import { createTournamentSchedulesRepo } from './tournament-schedules.js';
import { createTournamentsRepo } from './tournaments.js';

/** Every repository over one handle (a database or a transaction). */
export function createRepos(db: Db) {
  return {
    guilds: createGuildsRepo(db),
    players: createPlayersRepo(db),
    bots: createBotsRepo(db),
    matches: createMatchesRepo(db),
    ratings: createRatingsRepo(db),
    tournaments: createTournamentsRepo(db),
    schedules: createTournamentSchedulesRepo(db),
    announcements: createAnnouncementsRepo(db),
  };
}
export type Repos = ReturnType<typeof createRepos>;
