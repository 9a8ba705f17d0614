// Tournaments: creation, the resumable runner with its database lease, the scheduler and the
// announcer interface transports implement. docs/tournaments.md explains the design.
export type * from './announcer.js';
export { type Clock, systemClock } from './clock.js';
export { type CreateTournamentInput, createTournament, FORMAT_LABELS, snapshotEntrants } from './create.js';
export { CRON_HELP, type CronSchedule, compileCron, isValidTimezone } from './cron.js';
export { createLogAnnouncer } from './log-announcer.js';
export { type AnnouncerEvent, MemoryAnnouncer } from './memory-announcer.js';
export { createOnceAnnouncer } from './once-announcer.js';
export { type RunEnd, type RunnerSettings, TournamentRunner } from './runner.js';
export {
  createTournamentService,
  DEFAULT_LEASE_MS,
  type TournamentService,
  type TournamentServiceOptions,
  type TournamentStatus,
} from './service.js';
