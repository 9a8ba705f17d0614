import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnnouncementsRepo } from '../../db/repos/tournament-announcements.js';
import type { AnnouncementKind } from '../../db/schema.js';
import type { Logger } from '../../util/logger.js';
import type { AnnouncedMessages, AnnouncedTournament, TournamentAnnouncer } from './announcer.js';

export interface OnceAnnouncerOptions {
  announcer: TournamentAnnouncer;
  ledger: AnnouncementsRepo;
  logger: Logger;
  /** This process's id in the ledger (default host, pid and random bits). */
  owner?: string;
  /**
   * How long a claim keeps other instances from posting (default 2 min): longer than a post
   * takes, rate limits included. A process that dies mid-post delays the message this long.
   */
  holdMs?: number;
}

/**
 * Wraps an announcer so the messages that must appear once (the start, the results, the
 * cancellation) are posted once, whichever instance gets there: each is claimed in the
 * database first and marked sent after (repos/tournament-announcements.ts). Without it two
 * instances could both post: a runner that announced the results and then lost its lease
 * before marking the tournament finished, and the instance that took over and finishes it;
 * or `/tournament cancel` on one instance while another's runner notices the cancellation.
 *
 * A claim held by another instance is waited out (it either posts, and this one skips, or its
 * claim expires and this one posts): a message is delayed at worst, not lost. Only a process
 * dying between posting and marking it sent can make a second post. Progress edits go straight
 * through (an edit twice is harmless) and so do skipped-schedule notices (the scheduler claims
 * each slot once).
 */
export function createOnceAnnouncer(options: OnceAnnouncerOptions): TournamentAnnouncer {
  const { announcer, ledger, logger } = options;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const holdMs = options.holdMs ?? 120_000;

  /**
   * Calls of this process for the same message share one attempt: the ledger lets an owner
   * re-claim its own claim (so a retry after a failed post can go ahead), which would let two
   * concurrent calls of one process both post.
   */
  const inFlight = new Map<string, Promise<unknown>>();
  function once<T>(
    t: AnnouncedTournament,
    kind: AnnouncementKind,
    post: () => Promise<T>,
    found: (messages: AnnouncedMessages | null) => T,
  ): Promise<T> {
    const key = `${t.id}:${kind}`;
    const running = inFlight.get(key);
    if (running) return running.catch(() => {}).then(() => onceAcrossInstances(t, kind, post, found));
    const attempt = onceAcrossInstances(t, kind, post, found).finally(() => inFlight.delete(key));
    inFlight.set(key, attempt);
    return attempt;
  }

  /** Posts through `post` unless another instance has, or does; returns what was posted or found. */
  async function onceAcrossInstances<T>(
    t: AnnouncedTournament,
    kind: AnnouncementKind,
    post: () => Promise<T>,
    found: (messages: AnnouncedMessages | null) => T,
  ): Promise<T> {
    // Bounded: a claim cannot be renewed, so another's lasts at most `holdMs` (then it is ours).
    const giveUpAt = Date.now() + 2 * holdMs + 1_000;
    while (Date.now() < giveUpAt) {
      const claim = await ledger.claim(t.id, kind, owner, holdMs);
      if (claim.kind === 'sent') {
        logger.info('tournament announcement already posted elsewhere', { tournament: t.id, kind });
        return found(claim.messages);
      }
      if (claim.kind === 'busy') {
        // Look again soon: the other instance usually marks it sent well before its claim ends.
        await sleep(Math.min(claim.retryInMs, 1_000) + 50);
        continue;
      }
      let result: T;
      try {
        result = await post();
      } catch (error) {
        await ledger.release(t.id, kind, owner).catch(() => {});
        throw error;
      }
      const messages = kind === 'start' ? (result as AnnouncedMessages) : undefined;
      await ledger.sent(t.id, kind, owner, messages);
      return result;
    }
    logger.warn('tournament announcement left to the instance posting it', { tournament: t.id, kind });
    return found(null);
  }

  return {
    start: (t) =>
      once(
        t,
        'start',
        () => announcer.start(t),
        (m) => m ?? { messageId: null, threadId: null },
      ),
    progress: (t, p) => announcer.progress(t, p),
    results: (t, r) =>
      once(
        t,
        'results',
        () => announcer.results(t, r),
        () => undefined,
      ),
    cancelled: (t, info) =>
      once(
        t,
        'cancelled',
        () => announcer.cancelled(t, info),
        () => undefined,
      ),
    skipped: (info) => announcer.skipped(info),
  };
}
