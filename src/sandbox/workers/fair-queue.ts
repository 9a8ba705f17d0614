/**
 * Who a piece of sandbox work is for, so the pool can share its workers fairly.
 *
 * - `priority`: interactive work (an upload's checks and test match, a challenge, a replay) is
 *   someone waiting on a reply; background work (tournament matches) is not. Interactive work
 *   always takes the next free worker first.
 * - `owner`: the user (interactive) or the tournament (background). An interactive owner may
 *   hold at most `ownerCap` workers at once, so one member's long, slow challenges or a flood
 *   of uploads never occupy every worker; waiting owners are served round-robin, so a flood
 *   from one owner queues behind everyone else's single task.
 * - `group`: the guild. Among owners, the one whose guild holds the fewest workers goes first,
 *   so one guild's traffic cannot crowd out another's.
 */
export interface WorkTicket {
  owner: string;
  group: string;
  priority: 'interactive' | 'background';
  /** No owner cap: work that serves no particular user (the command line, a single local user). */
  uncapped?: boolean;
}

/** Work with no ticket (the command line, tests): one shared owner, interactive, not capped. */
export const ANONYMOUS: WorkTicket = {
  owner: 'anonymous',
  group: 'anonymous',
  priority: 'interactive',
  uncapped: true,
};

export interface Queued {
  ticket: WorkTicket;
}

/** The largest number of workers one interactive owner may hold in a pool of `size`. */
export function ownerCapFor(size: number): number {
  return Math.max(1, Math.ceil(size / 2));
}

/**
 * A waiting line that picks, when a worker frees up, the entry that is fairest to run next.
 * Picking is O(waiting); queues here hold at most a few hundred entries.
 */
export class FairQueue<E extends Queued> {
  private waiting: E[] = [];
  private readonly runningByOwner = new Map<string, number>();
  private readonly runningByGroup = new Map<string, number>();
  /** Last time each owner was served: round-robin among owners with equal claims. */
  private readonly lastServed = new Map<string, number>();
  private served = 0;

  constructor(private readonly ownerCap: number) {}

  get length(): number {
    return this.waiting.length;
  }

  push(entry: E): void {
    this.waiting.push(entry);
  }

  /** Removes a waiting entry (its caller gave up); false when it was not waiting. */
  remove(entry: E): boolean {
    const at = this.waiting.indexOf(entry);
    if (at < 0) return false;
    this.waiting.splice(at, 1);
    return true;
  }

  /** Removes and returns every waiting entry. */
  drain(): E[] {
    const all = this.waiting;
    this.waiting = [];
    return all;
  }

  /** Waiting interactive entries whose owner is under the cap (they could run now). */
  readyInteractive(): number {
    let n = 0;
    for (const entry of this.waiting)
      if (entry.ticket.priority === 'interactive' && this.underCap(entry)) n++;
    return n;
  }

  /**
   * The next entry to run, now counted as running (call `finished` when it ends), or undefined;
   * only among entries `accept` allows, when given.
   */
  take(accept?: (entry: E) => boolean): E | undefined {
    let best: E | undefined;
    let bestKey: number[] | undefined;
    for (const entry of this.waiting) {
      if (accept && !accept(entry)) continue;
      const { owner, group, priority } = entry.ticket;
      const running = this.runningByOwner.get(owner) ?? 0;
      if (!this.underCap(entry)) continue;
      const key = [
        priority === 'interactive' ? 0 : 1,
        this.runningByGroup.get(group) ?? 0,
        running,
        this.lastServed.get(owner) ?? -1,
      ];
      if (!bestKey || less(key, bestKey)) {
        best = entry;
        bestKey = key;
      }
    }
    if (!best) return undefined;
    this.waiting.splice(this.waiting.indexOf(best), 1);
    const { owner, group } = best.ticket;
    this.runningByOwner.set(owner, (this.runningByOwner.get(owner) ?? 0) + 1);
    this.runningByGroup.set(group, (this.runningByGroup.get(group) ?? 0) + 1);
    this.lastServed.set(owner, this.served++);
    return best;
  }

  private underCap(entry: E): boolean {
    const { owner, priority, uncapped } = entry.ticket;
    return (
      priority !== 'interactive' || uncapped === true || (this.runningByOwner.get(owner) ?? 0) < this.ownerCap
    );
  }

  /** Marks an entry returned by `take` as no longer running. */
  finished(entry: E): void {
    const { owner, group } = entry.ticket;
    decrement(this.runningByOwner, owner);
    decrement(this.runningByGroup, group);
    // Forget owners with nothing running or waiting, so the map does not grow forever.
    if (!this.runningByOwner.has(owner) && !this.waiting.some((e) => e.ticket.owner === owner)) {
      this.lastServed.delete(owner);
    }
  }
}

function less(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}

function decrement(map: Map<string, number>, key: string): void {
  const next = (map.get(key) ?? 0) - 1;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
