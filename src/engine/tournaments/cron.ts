import { createTask, type ParsedFields, parse, type ScheduledTask, validateDetailed } from 'node-cron';
import { err, ok, type Result } from '../../util/result.js';

/**
 * Cron expressions for tournament schedules, on node-cron 4: its parser and validator say what
 * an expression means, its matcher (timezone-aware) says whether an instant is a slot. The
 * slots themselves are found here from any given time, not from the system clock (node-cron's
 * own `getNextRuns` only counts from "now"), which is what lets the scheduler run on an
 * injected clock.
 */

/** A tournament at most this often: anything tighter is a mistake (or an abuse of the sandbox). */
export const MIN_INTERVAL_MS = 15 * 60_000;

/** How far ahead a slot is searched for (covers "29 February on a Monday", every 28 years). */
const HORIZON_DAYS = 366 * 30;

const FIELD_WORDS: Record<string, string> = {
  second: 'seconds',
  minute: 'minute',
  hour: 'hour',
  dayOfMonth: 'day of the month',
  month: 'month',
  dayOfWeek: 'day of the week',
  expression: 'expression',
};

/** What each field accepts, for refusals in our words rather than node-cron's. */
const FIELD_RANGES: Record<string, string> = {
  second: '0-59',
  minute: '0-59',
  hour: '0-23',
  dayOfMonth: '1-31',
  month: '1-12 or jan-dec',
  dayOfWeek: '0-7 (0 and 7 are Sunday) or sun-sat',
};

/** node-cron's problem ("61 is a invalid expression for minute") said plainly. */
function problemWords(problem: { field: string; message: string } | undefined): string {
  if (!problem) return 'not understood';
  const fields = /expected 5 or 6 fields but got (\d+)/.exec(problem.message);
  if (fields) return `it has ${fields[1]} field${fields[1] === '1' ? '' : 's'}, and a schedule needs 5`;
  const value = /^(.*) is a invalid expression for /.exec(problem.message)?.[1];
  const field = FIELD_WORDS[problem.field] ?? problem.field;
  const range = FIELD_RANGES[problem.field];
  if (value !== undefined && range) {
    return `"${value}" is not a valid ${field}: use ${range}, \`*\`, a list (\`1,15\`), a range (\`1-5\`) or a step (\`*/15\`)`;
  }
  return `${field}: ${problem.message}`;
}

export const CRON_HELP =
  'Use five fields, minute hour day-of-month month day-of-week, e.g. `0 20 * * 5` for Fridays at 20:00 ' +
  'or `30 18 * * *` for every day at 18:30.';

/** Whether `tz` is an IANA timezone this Node knows (e.g. "Europe/Berlin"). */
export function isValidTimezone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A validated expression in one timezone: finds its slots. Call `dispose` when done with it. */
export interface CronSchedule {
  expression: string;
  timezone: string;
  /** The first slot strictly after `after`, or null when there is none within the horizon. */
  nextAfter(after: Date): Date | null;
  dispose(): void;
}

/**
 * Checks an expression and a timezone and returns a schedule, or a message for chat. Beyond
 * syntax, an expression whose slots come closer than MIN_INTERVAL_MS, or that has no slot at
 * all, is refused.
 */
export function compileCron(expression: string, timezone: string): Result<CronSchedule, string> {
  const expr = expression.trim().replace(/\s+/g, ' ');
  if (!isValidTimezone(timezone)) {
    return err(
      `"${timezone}" is not a timezone I know. Use an IANA name such as Europe/Berlin or America/New_York.`,
    );
  }
  const checked = validateDetailed(expr);
  if (!checked.valid) {
    return err(
      `\`${expr || ' '}\` is not a valid cron expression: ${problemWords(checked.errors[0])}. ${CRON_HELP}`,
    );
  }
  const schedule = buildSchedule(expr, timezone);
  const now = new Date();
  const slots: Date[] = [];
  for (let at = now, i = 0; i < 6; i++) {
    const next = schedule.nextAfter(at);
    if (!next) break;
    slots.push(next);
    at = next;
  }
  if (slots.length === 0) {
    schedule.dispose();
    return err(`\`${expr}\` never comes round (no date matches it). ${CRON_HELP}`);
  }
  for (let i = 1; i < slots.length; i++) {
    if (slots[i]!.getTime() - slots[i - 1]!.getTime() < MIN_INTERVAL_MS) {
      schedule.dispose();
      return err(
        `\`${expr}\` would start tournaments less than ${MIN_INTERVAL_MS / 60_000} minutes apart; ` +
          'schedule them at most every quarter of an hour.',
      );
    }
  }
  return ok(schedule);
}

function buildSchedule(expression: string, timezone: string): CronSchedule {
  // An unstarted task arms no timer; it is only the matcher. destroy() unregisters it.
  const task: ScheduledTask = createTask(expression, () => {}, { timezone });
  const fields = parse(expression);
  return {
    expression,
    timezone,
    nextAfter: (after) => nextSlot(task, fields, timezone, after),
    dispose: () => void task.destroy(),
  };
}

/**
 * Walks the local calendar days of `timezone` from `after`, and within a day the times the
 * hour/minute/second fields allow, in order; node-cron's matcher has the last word (day of
 * month and week, `L`, `#`, month names). Those times come from the expression itself, so when
 * the matcher refuses a day's first candidate it refuses the day: each day costs one check, and
 * a yearly expression a few hundred. Local times that do not exist (the hour skipped when clocks
 * go forward) are skipped; a local time that happens twice (clocks going back) fires once.
 */
function nextSlot(task: ScheduledTask, fields: ParsedFields, timezone: string, after: Date): Date | null {
  const afterMs = after.getTime();
  const start = localParts(afterMs, timezone);
  const months = new Set(fields.month.map(Number));
  const times = candidateTimes(fields);
  for (let day = 0; day < HORIZON_DAYS; day++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + day));
    const [year, month, dayOfMonth] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!months.has(month)) continue;
    for (const [hour, minute, second] of times) {
      const at = zonedToUtc({ year, month, day: dayOfMonth, hour, minute, second }, timezone);
      if (at === null || at <= afterMs) continue;
      if (task.match(new Date(at))) return new Date(at);
      break;
    }
  }
  return null;
}

/** Every [hour, minute, second] the expression allows, in order (a day's worth at most). */
function candidateTimes(fields: ParsedFields): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const h of sortedNumbers(fields.hour))
    for (const m of sortedNumbers(fields.minute))
      for (const s of sortedNumbers(fields.second)) out.push([h, m, s]);
  return out;
}

function sortedNumbers(values: readonly (number | string)[]): number[] {
  return [...new Set(values.map(Number).filter(Number.isInteger))].sort((a, b) => a - b);
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(ms: number, timezone: string): LocalParts {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour!,
    minute: out.minute!,
    second: out.second!,
  };
}

const asUtc = (p: LocalParts) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);

/** The instant a wall-clock time in `timezone` names, or null when that time does not exist there. */
function zonedToUtc(p: LocalParts, timezone: string): number | null {
  const wall = asUtc(p);
  let at = wall - (asUtc(localParts(wall, timezone)) - wall);
  // One correction covers a guess that landed on the other side of an offset change.
  at = wall - (asUtc(localParts(at, timezone)) - at);
  return asUtc(localParts(at, timezone)) === wall ? at : null;
}
