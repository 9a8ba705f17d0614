import type { Clock } from './clock.js';

/**
 * Sends the latest value at most once per `intervalMs`: the first at once, later ones when the
 * interval has passed (a trailing send makes sure the last value in a burst is not lost), and
 * `flush()` sends whatever is newest right away (the end of a tournament must always show).
 * Sends never overlap, so a chat message is never edited out of order.
 */
export class Throttle<T> {
  private latest: T | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private cancelTimer: (() => void) | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly send: (value: T) => Promise<void>,
  ) {}

  update(value: T): void {
    this.latest = value;
    if (this.cancelTimer) return;
    const wait = this.lastSentAt + this.intervalMs - this.clock.now().getTime();
    if (wait <= 0) {
      void this.sendLatest();
      return;
    }
    this.cancelTimer = this.clock.setTimer(wait, () => {
      this.cancelTimer = null;
      void this.sendLatest();
    });
  }

  /** Sends the newest value now (if there is one not yet sent) and waits for every send. */
  flush(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    return this.sendLatest();
  }

  /** Drops anything pending (a stopped tournament says nothing more about progress). */
  cancel(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.latest = null;
  }

  /** Takes the newest value now and queues its send behind any still in progress. */
  private sendLatest(): Promise<void> {
    const value = this.latest;
    if (value !== null) {
      this.latest = null;
      this.lastSentAt = this.clock.now().getTime();
      this.sending = this.sending.then(() => this.send(value));
    }
    return this.sending;
  }
}
