// Schedules any guild's manager types: read in our words, refused before any search when they
// would start tournaments too often, and their next slots found by a bounded search.
import { describe, expect, it } from 'vitest';
import { compileCron, MAX_CRON_LENGTH, MIN_INTERVAL_MS } from '../../../src/engine/tournaments/cron.js';
import { nextInt, seedRng } from '../../../src/games/rng.js';

function slots(expr: string, tz: string, from: string, n = 4): string[] {
  const compiled = compileCron(expr, tz);
  if (!compiled.ok) throw new Error(compiled.error);
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < n; i++) {
    const next = compiled.value.nextAfter(at);
    if (!next) break;
    out.push(next.toISOString());
    at = next;
  }
  compiled.value.dispose();
  return out;
}

const refusal = (expr: string, tz = 'UTC') => {
  const compiled = compileCron(expr, tz);
  if (compiled.ok) {
    compiled.value.dispose();
    throw new Error(`${expr} was accepted`);
  }
  return compiled.error;
};

describe('compileCron()', () => {
  it("finds slots in the schedule's timezone, across a daylight-saving change", () => {
    // Europe/Berlin goes to summer time on 2026-03-29: 02:30 does not exist that day.
    expect(slots('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
    expect(slots('0 20 * * 5', 'America/New_York', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-03T01:00:00.000Z',
      '2026-01-10T01:00:00.000Z',
    ]);
  });

  it("understands node-cron's day forms: L, W, L-n, n#k, nL, names and nicknames", () => {
    expect(slots('0 12 L * *', 'UTC', '2026-02-01T00:00:00Z', 2)).toEqual([
      '2026-02-28T12:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
    ]);
    // 15 Aug 2026 is a Saturday: the nearest weekday is Friday the 14th.
    expect(slots('0 9 15W 8 *', 'UTC', '2026-08-01T00:00:00Z', 1)).toEqual(['2026-08-14T09:00:00.000Z']);
    expect(slots('0 9 L-2 * *', 'UTC', '2026-04-01T00:00:00Z', 1)).toEqual(['2026-04-28T09:00:00.000Z']);
    // The second Monday; the last Friday.
    expect(slots('0 9 * * 1#2', 'UTC', '2026-06-01T00:00:00Z', 1)).toEqual(['2026-06-08T09:00:00.000Z']);
    expect(slots('0 9 * * 5L', 'UTC', '2026-06-01T00:00:00Z', 1)).toEqual(['2026-06-26T09:00:00.000Z']);
    expect(slots('30 9 * jan,jul wed', 'UTC', '2026-06-01T00:00:00Z', 1)).toEqual([
      '2026-07-01T09:30:00.000Z',
    ]);
    expect(slots('@daily', 'UTC', '2026-06-01T10:00:00Z', 1)).toEqual(['2026-06-02T00:00:00.000Z']);
    // Once every 28 years.
    expect(slots('0 0 29 2 1', 'UTC', '2026-01-01T00:00:00Z', 1)).toEqual(['2044-02-29T00:00:00.000Z']);
  });

  it('refuses schedules closer than 15 minutes before searching, with the gap and examples', () => {
    expect(MIN_INTERVAL_MS).toBe(15 * 60_000);
    for (const expr of ['* * * * *', '*/5 * * * *', '*/14 * * * *', '0,10 * * * *', '0,59 0,23 * * *']) {
      const message = refusal(expr);
      expect(message).toMatch(/would start tournaments \d+ minutes? apart \(\d\d:\d\d and \d\d:\d\d\)/);
      expect(message).toMatch(/the least time between two is 15 minutes\. For example `\*\/15 \* \* \* \*`/);
    }
    expect(slots('*/15 * * * *', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T00:15:00.000Z',
      '2026-01-01T00:30:00.000Z',
    ]);
  });

  it('refuses six fields (seconds), long input and 3-digit numbers before node-cron sees them', () => {
    expect(refusal('* * * * * *')).toMatch(/^`\* \* \* \* \* \*` has six fields; seconds are not used here/);
    expect(refusal('0 '.repeat(60))).toMatch(/^A schedule is at most 100 characters/);
    expect(MAX_CRON_LENGTH).toBe(100);
    // node-cron would expand this range into an array of 100 million numbers (10 s, 3 GB).
    expect(refusal('0 0 1-99999999 * *')).toMatch(
      /^The day-of-month field `1-99999999` is not valid: days go from 1 to 31/,
    );
    expect(refusal('1-100 * * * *')).toMatch(
      /^The minute field `1-100` is not valid: minutes go from 0 to 59/,
    );
  });

  it("says what is wrong in our words, with an example, never in node-cron's", () => {
    const cases: Array<[string, RegExp]> = [
      [
        '61 * * * *',
        /^The minute field `61` is not valid: minutes go from 0 to 59; e\.g\. `0`, `30` or `\*\/15`\./,
      ],
      ['0 24 * * *', /^The hour field `24` is not valid: hours go from 0 to 23/],
      ['0 0 30 2 *', /^The day-of-month field `30` is not valid: no month chosen has that day/],
      ['0 0 * 13 *', /^The month field `13` is not valid: months go from 1 to 12, or jan to dec/],
      ['0 20 * * funday', /^The day-of-week field `funday` is not valid: days go from 0 \(Sunday\) to 6/],
      ['every friday', /^`every friday` is not a schedule I can read: it has 2 fields\./],
      ['', /^The schedule is empty\./],
      ['@reboot', /is not a schedule I can read/],
      ['*/0 * * * *', /^The minute field `\*\/0` is not valid/],
    ];
    for (const [expr, pattern] of cases) {
      const message = refusal(expr);
      expect(message, expr).toMatch(pattern);
      expect(message, expr).toMatch(/e\.g\. `0 20 \* \* 5` for Fridays at 20:00/);
      expect(message, expr).not.toMatch(/invalid expression|expected 5 or 6 fields/);
    }
    // What the user typed is quoted without anything that could break the quote.
    expect(refusal('0 20 * * `x`@everyone')).toMatch(/^`0 20 \* \* x@everyone` is not a schedule I can read/);
    expect(refusal('0 20 * * 5', 'Mars/Olympus')).toMatch(/^"Mars\/Olympus" is not a timezone I know/);
    expect(refusal('0 20 * * 5', 'x'.repeat(200))).toMatch(/is not a timezone I know/);
  });

  it('never throws, whatever 100 characters of cron-like text it gets', () => {
    const rng = seedRng('cron-fuzz');
    let accepted = 0;
    const check = (expr: string) => {
      const compiled = compileCron(expr, 'Europe/Berlin');
      if (!compiled.ok) return expect(typeof compiled.error).toBe('string');
      accepted++;
      // Whatever it accepted has a slot, at least 15 minutes before the next.
      const first = compiled.value.nextAfter(new Date('2026-03-29T00:00:00Z'))!;
      expect(first, expr).toBeInstanceOf(Date);
      const second = compiled.value.nextAfter(first);
      if (second) expect(second.getTime() - first.getTime(), expr).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
      compiled.value.dispose();
    };
    // Well-formed fields in random combinations: many are accepted.
    const token = () => {
      const a = nextInt(rng, 60);
      const b = nextInt(rng, 60);
      return [
        '*',
        `*/${1 + nextInt(rng, 30)}`,
        `${a}`,
        `${a}-${b}`,
        `${a},${b}`,
        'L',
        `${nextInt(rng, 7)}#${1 + nextInt(rng, 5)}`,
      ][nextInt(rng, 7)]!;
    };
    for (let i = 0; i < 1500; i++) check(Array.from({ length: 5 }, token).join(' '));
    expect(accepted).toBeGreaterThan(5);
    const alphabet = '0123456789*/,-#LW? @abcdefghijklmnopqrstuvwxyzJANFEBMON\u0000`';
    for (let i = 0; i < 2000; i++) {
      const length = 1 + nextInt(rng, MAX_CRON_LENGTH);
      let expr = '';
      for (let j = 0; j < length; j++) expr += alphabet[nextInt(rng, alphabet.length)];
      check(expr);
    }
  });
});
