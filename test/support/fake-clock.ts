import type { Clock } from '../../src/engine/tournaments/clock.js';

/**
 * A clock that moves only when told. Timers fire in time order as `advance` passes them; a
 * timer set for a time already reached fires on the next macrotask, as a real one would.
 */
export class FakeClock implements Clock {
  private time: number;
  private timers: { at: number; id: number; fn: () => void }[] = [];
  private nextId = 1;
  /** Every timer ever set, with the time it was set for (tests read what was armed). */
  readonly armed: { at: Date; setAt: Date }[] = [];

  constructor(start: Date | string) {
    this.time = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), id: this.nextId++, fn };
    this.armed.push({ at: new Date(timer.at), setAt: this.now() });
    this.timers.push(timer);
    if (timer.at <= this.time) setImmediate(() => this.fireDue());
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Timers still waiting, soonest first. */
  pending(): Date[] {
    return this.timers.map((t) => new Date(t.at)).sort((a, b) => a.getTime() - b.getTime());
  }

  /** Moves time forward by `ms`, firing each timer passed at its own time. */
  advance(ms: number): void {
    this.advanceTo(new Date(this.time + ms));
  }

  advanceTo(target: Date): void {
    const end = target.getTime();
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.time = Math.max(this.time, next.at);
      this.timers = this.timers.filter((t) => t !== next);
      next.fn();
    }
    this.time = Math.max(this.time, end);
  }

  private fireDue(): void {
    for (const t of this.timers.filter((x) => x.at <= this.time).sort((a, b) => a.at - b.at)) {
      if (!this.timers.includes(t)) continue;
      this.timers = this.timers.filter((x) => x !== t);
      t.fn();
    }
  }
}
