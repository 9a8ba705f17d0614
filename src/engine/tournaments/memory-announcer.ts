import type {
  AnnouncedMessages,
  AnnouncedTournament,
  TournamentAnnouncer,
  TournamentProgress,
  TournamentResults,
} from './announcer.js';

export type AnnouncerEvent =
  | { type: 'start'; tournament: AnnouncedTournament; messages: AnnouncedMessages }
  | { type: 'progress'; tournament: AnnouncedTournament; progress: TournamentProgress }
  | { type: 'results'; tournament: AnnouncedTournament; results: TournamentResults }
  | { type: 'cancelled'; tournament: AnnouncedTournament; reason: string; progress: TournamentProgress }
  | { type: 'skipped'; guildId: string; channelId: string; reason: string; at: Date };

/**
 * An announcer that remembers what it was told, for tests and for running tournaments without
 * a chat (the console). `failWith` makes every call throw, to prove the runner carries on.
 */
export class MemoryAnnouncer implements TournamentAnnouncer {
  readonly events: AnnouncerEvent[] = [];
  failWith: Error | null = null;
  private nextId = 1;

  private check(): void {
    if (this.failWith) throw this.failWith;
  }

  async start(tournament: AnnouncedTournament): Promise<AnnouncedMessages> {
    this.check();
    const messages = {
      messageId: `message-${tournament.id}-${this.nextId++}`,
      threadId: `thread-${tournament.id}-${this.nextId++}`,
    };
    this.events.push({ type: 'start', tournament, messages });
    return messages;
  }

  async progress(tournament: AnnouncedTournament, progress: TournamentProgress): Promise<void> {
    this.check();
    this.events.push({ type: 'progress', tournament, progress });
  }

  async results(tournament: AnnouncedTournament, results: TournamentResults): Promise<void> {
    this.check();
    this.events.push({ type: 'results', tournament, results });
  }

  async cancelled(
    tournament: AnnouncedTournament,
    info: { reason: string; progress: TournamentProgress },
  ): Promise<void> {
    this.check();
    this.events.push({ type: 'cancelled', tournament, ...info });
  }

  async skipped(info: { guildId: string; channelId: string; reason: string; at: Date }): Promise<void> {
    this.check();
    this.events.push({ type: 'skipped', ...info });
  }

  /** Events of one kind, typed. */
  of<T extends AnnouncerEvent['type']>(type: T): Extract<AnnouncerEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<AnnouncerEvent, { type: T }> => e.type === type);
  }
}
