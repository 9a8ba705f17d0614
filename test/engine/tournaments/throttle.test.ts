import { describe, expect, it } from 'vitest';
import { Throttle } from '../../../src/engine/tournaments/throttle.js';
import { FakeClock } from '../../support/fake-clock.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Throttle', () => {
  it('sends the first value at once, then at most one per interval (the newest), and flush sends the last', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const sent: number[] = [];
    const throttle = new Throttle<number>(clock, 5000, async (n) => void sent.push(n));
    throttle.update(1);
    await settle();
    expect(sent).toEqual([1]);
    for (let n = 2; n <= 50; n++) {
      clock.advance(200);
      throttle.update(n);
      await settle();
    }
    // 49 updates over 9.8 s: at the 5 s mark the newest then (25) went; the rest wait for 10 s.
    expect(sent).toEqual([1, 25]);
    throttle.update(51);
    await throttle.flush();
    expect(sent).toEqual([1, 25, 51]);
    // Nothing new: flush sends nothing more, and the cancelled timer stays quiet.
    await throttle.flush();
    clock.advance(10_000);
    await settle();
    expect(sent).toEqual([1, 25, 51]);
  });

  it('a trailing send delivers the last value of a burst without another update', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const sent: number[] = [];
    const throttle = new Throttle<number>(clock, 1000, async (n) => void sent.push(n));
    throttle.update(1);
    throttle.update(2);
    throttle.update(3);
    await settle();
    expect(sent).toEqual([1]);
    clock.advance(1000);
    await settle();
    expect(sent).toEqual([1, 3]);
  });

  it('never overlaps sends, and cancel drops what is pending', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    let inFlight = 0;
    let most = 0;
    const sent: number[] = [];
    const throttle = new Throttle<number>(clock, 0, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      sent.push(n);
      inFlight--;
    });
    for (let n = 1; n <= 5; n++) throttle.update(n);
    await throttle.flush();
    expect(most).toBe(1);
    expect(sent.at(-1)).toBe(5);
    const cancelled = new Throttle<number>(clock, 1000, async (n) => void sent.push(n));
    cancelled.update(100);
    cancelled.update(101);
    cancelled.cancel();
    clock.advance(5000);
    await settle();
    expect(sent).toContain(100);
    expect(sent).not.toContain(101);
  });
});
