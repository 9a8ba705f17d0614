import { createTask, type ParsedFields, parse, type ScheduledTask, validateDetailed } from 'node-cron';
import { err, ok, type Result } from '../../util/result.js';

/**
 * Cron expressions for tournament schedules, on node-cron 4: its validator and parser say what
 * an expression means; the slots are found here, from any given time (not only "now", so the
 * scheduler can run on an injected clock), in bounded time whatever a manager types.
 *
 * Why bounded: a schedule is set by any guild's manager and its next slot is computed on the
 * service's one thread. Walking candidate times one by one made `* * * * * *` block the event
 * loop for seconds (every guild's interactions then expired). So:
 * - the expression is at most MAX_CRON_LENGTH characters and has exactly five fields (no
 *   seconds: tournaments start on the minute);
 * - its times of day are known from the minute and hour fields alone (at most 1,440), and an
 *   expression whose times come closer than MIN_INTERVAL_MS is refused before any search;
 * - the search walks calendar days with a pure day filter (month, day of month, day of week,
 *   with node-cron's L, W and # forms), converting a local time to an instant only for a day
 *   that matches; node-cron's own matcher confirms the instant found. At most HORIZON_DAYS days
 *   and MAX_INSTANT_CHECKS conversions per search.
 */

/** A tournament at most this often: anything tighter is a mistake (or an abuse of the sandbox). */
export const MIN_INTERVAL_MS = 15 * 60_000;
/** Longest expression accepted (also the /tournament schedule option's length). */
export const MAX_CRON_LENGTH = 100;
/** Longest timezone name accepted. */
export const MAX_TIMEZONE_LENGTH = 64;

/** How far ahead a slot is searched for (covers "29 February on a Monday", every 28 years). */
const HORIZON_DAYS = 366 * 30;
/** Local-time-to-instant conversions (the costly step, a few Intl calls) allowed per search. */
const MAX_INSTANT_CHECKS = 200;

export const CRON_HELP =
  'Use five fields, minute hour day-of-month month day-of-week, e.g. `0 20 * * 5` for Fridays at 20:00 ' +
  'or `30 18 * * *` for every day at 18:30.';

/** Each field in words: what it holds and an example, for refusals. */
const FIELD_HELP: Record<string, { words: string; range: string; example: string }> = {
  minute: { words: 'minute', range: 'minutes go from 0 to 59', example: '`0`, `30` or `*/15`' },
  hour: { words: 'hour', range: 'hours go from 0 to 23', example: '`20`, `9-17` or `*/2`' },
  dayOfMonth: {
    words: 'day-of-month',
    range: 'days go from 1 to 31 (L is the last day)',
    example: '`1`, `15` or `*`',
  },
  month: { words: 'month', range: 'months go from 1 to 12, or jan to dec', example: '`*` or `jan,jul`' },
  dayOfWeek: {
    words: 'day-of-week',
    range: 'days go from 0 (Sunday) to 6, or sun to sat',
    example: '`5`, `mon-fri` or `*`',
  },
};

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Whether `tz` is an IANA timezone this Node knows (e.g. "Europe/Berlin"). */
export function isValidTimezone(tz: string): boolean {
  if (tz.trim() === '' || tz.length > MAX_TIMEZONE_LENGTH) return false;
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

const FIELD_ORDER = ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;

function fieldProblem(field: string, value: string): string {
  const help = FIELD_HELP[field]!;
  // node-cron also refuses a day no chosen month has (30 in February): say that, not the range.
  const why =
    field === 'dayOfMonth' && /^\d{1,2}$/.test(value) && Number(value) >= 1 && Number(value) <= 31
      ? 'no month chosen has that day'
      : help.range;
  return `The ${help.words} field \`${quoted(value, 20)}\` is not valid: ${why}; e.g. ${help.example}. ${CRON_HELP}`;
}

/** Text a user typed, fit to quote inside `code` in a message: no backticks, controls, or length. */
function quoted(text: string, max = 40): string {
  const clean = text.replace(/[`\p{Cc}\p{Cf}]/gu, '').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean || ' ';
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Checks an expression and a timezone and returns a schedule, or a message for chat in our
 * words (node-cron's own wording never reaches users). Beyond syntax, an expression whose
 * slots come closer than MIN_INTERVAL_MS, or that has no slot at all, is refused.
 */
export function compileCron(expression: string, timezone: string): Result<CronSchedule, string> {
  if (expression.length > MAX_CRON_LENGTH * 2) {
    return err(`A schedule is at most ${MAX_CRON_LENGTH} characters. ${CRON_HELP}`);
  }
  const typed = expression.trim().replace(/\s+/g, ' ');
  if (typed.length > MAX_CRON_LENGTH) {
    return err(`A schedule is at most ${MAX_CRON_LENGTH} characters. ${CRON_HELP}`);
  }
  if (!isValidTimezone(timezone)) {
    return err(
      `"${quoted(timezone)}" is not a timezone I know. Use an IANA name such as Europe/Berlin or America/New_York.`,
    );
  }
  const expr = NICKNAMES[typed.toLowerCase()] ?? typed;
  const fields = expr.split(' ');
  if (fields.length === 6) {
    return err(
      `\`${quoted(typed)}\` has six fields; seconds are not used here (tournaments start on the minute). ${CRON_HELP}`,
    );
  }
  if (fields.length !== 5 || expr === '') {
    return err(
      `${expr === '' ? 'The schedule is empty' : `\`${quoted(typed)}\` is not a schedule I can read: it has ${fields.length} field${fields.length === 1 ? '' : 's'}`}. ${CRON_HELP}`,
    );
  }
  // node-cron expands ranges into arrays before checking their bounds: `1-99999999` in one field
  // took it 10 s and 3 GB. No field value has more than two digits, so longer numbers stop here.
  const long = fields.findIndex((f) => /\d{3,}/.test(f));
  if (long >= 0) return err(fieldProblem(FIELD_ORDER[long]!, fields[long]!));
  const checked = validateDetailed(expr);
  if (!checked.valid) {
    const problem = checked.errors[0];
    if (problem && FIELD_HELP[problem.field]) return err(fieldProblem(problem.field, String(problem.value)));
    return err(`\`${quoted(typed)}\` is not a schedule I can read. ${CRON_HELP}`);
  }
  const parsed = parse(expr);
  const dayTimes = timesOfDay(parsed);
  const gap = closestGap(dayTimes);
  if (gap && gap.minutes * 60_000 < MIN_INTERVAL_MS) {
    return err(
      `\`${quoted(typed)}\` would start tournaments ${gap.minutes} minute${gap.minutes === 1 ? '' : 's'} apart ` +
        `(${hhmm(gap.from)} and ${hhmm(gap.to)}); the least time between two is ${MIN_INTERVAL_MS / 60_000} minutes. ` +
        'For example `*/15 * * * *` starts one every quarter of an hour, `0 */2 * * *` every two hours, ' +
        'and `0 20 * * 5` every Friday at 20:00.',
    );
  }
  const schedule = buildSchedule(expr, timezone, parsed, dayTimes);
  if (schedule.nextAfter(new Date()) === null) {
    schedule.dispose();
    return err(`\`${quoted(typed)}\` never comes round (no date matches it). ${CRON_HELP}`);
  }
  return ok(schedule);
}

/** Minutes after midnight the minute and hour fields allow, ascending (at most 1,440). */
function timesOfDay(fields: ParsedFields): number[] {
  const out = new Set<number>();
  for (const h of numbers(fields.hour, 0, 23))
    for (const m of numbers(fields.minute, 0, 59)) out.add(h * 60 + m);
  return [...out].sort((a, b) => a - b);
}

function numbers(values: readonly (number | string)[], min: number, max: number): number[] {
  return values.map(Number).filter((n) => Number.isInteger(n) && n >= min && n <= max);
}

/**
 * The two times of day closest together, counting the gap from the last time of one day to the
 * first of the next (a conservative rule: it refuses `0,59 23,0 * * *` even on days that do not
 * follow each other). Null for a single time a day.
 */
function closestGap(times: readonly number[]): { minutes: number; from: number; to: number } | null {
  if (times.length < 2) return null;
  let best = {
    minutes: times[0]! + 1440 - times[times.length - 1]!,
    from: times[times.length - 1]!,
    to: times[0]!,
  };
  for (let i = 1; i < times.length; i++) {
    const minutes = times[i]! - times[i - 1]!;
    if (minutes < best.minutes) best = { minutes, from: times[i - 1]!, to: times[i]! };
  }
  return best;
}

function buildSchedule(
  expression: string,
  timezone: string,
  fields: ParsedFields,
  dayTimes: readonly number[],
): CronSchedule {
  // An unstarted task arms no timer; it is only the matcher. destroy() unregisters it.
  const task: ScheduledTask = createTask(expression, () => {}, { timezone });
  const days = dayFilter(fields);
  return {
    expression,
    timezone,
    nextAfter: (after) => nextSlot(task, days, dayTimes, timezone, after),
    dispose: () => void task.destroy(),
  };
}

/**
 * The first slot after `after`: calendar days of `timezone` in order, a day's times in order,
 * only days the pure filter accepts converted to instants and confirmed by node-cron's matcher.
 * Local times that do not exist (the hour skipped when clocks go forward) are skipped; a local
 * time that happens twice (clocks going back) fires once.
 */
function nextSlot(
  task: ScheduledTask,
  matchesDay: (year: number, month: number, day: number) => boolean,
  dayTimes: readonly number[],
  timezone: string,
  after: Date,
): Date | null {
  const afterMs = after.getTime();
  const start = localParts(afterMs, timezone);
  const startMinute = start.hour * 60 + start.minute;
  let checks = 0;
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!matchesDay(year, month, day)) continue;
    for (const t of dayTimes) {
      // Earlier today than `after` (by the wall clock): no need to ask Intl.
      if (i === 0 && t < startMinute) continue;
      if (++checks > MAX_INSTANT_CHECKS) return null;
      const at = zonedToUtc(
        { year, month, day, hour: Math.floor(t / 60), minute: t % 60, second: 0 },
        timezone,
      );
      if (at === null || at <= afterMs) continue;
      if (task.match(new Date(at))) return new Date(at);
      // node-cron disagrees with the day filter (it should not): leave this day.
      break;
    }
  }
  return null;
}

// ---- the day filter: node-cron 4's day-of-month and day-of-week rules, as pure arithmetic ----

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekdayOf = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay();

/** The weekday nearest to `target` within the month (cron's `W`), or -1. */
function nearestWeekday(year: number, month: number, target: number): number {
  const last = lastDayOfMonth(year, month);
  if (target < 1 || target > last) return -1;
  const weekday = weekdayOf(year, month, target);
  if (weekday === 6) return target === 1 ? target + 2 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function matchesDayOfMonth(field: readonly (number | string)[], year: number, month: number, day: number) {
  for (const value of field) {
    if (value === day) return true;
    if (typeof value !== 'string') continue;
    if (value === 'L' && day === lastDayOfMonth(year, month)) return true;
    const w = /^(\d{1,2}|L)W$/.exec(value);
    if (w) {
      const target = w[1] === 'L' ? lastDayOfMonth(year, month) : Number(w[1]);
      if (nearestWeekday(year, month, target) === day) return true;
    }
    const offset = /^L-(\d{1,2})$/.exec(value);
    if (offset && lastDayOfMonth(year, month) - Number(offset[1]) === day) return true;
  }
  return false;
}

function matchesDayOfWeek(field: readonly (number | string)[], year: number, month: number, day: number) {
  const weekday = weekdayOf(year, month, day);
  for (const value of field) {
    if (value === weekday) return true;
    if (typeof value !== 'string') continue;
    const nth = /^([0-7])#([1-5])$/.exec(value);
    if (nth) {
      if (Number(nth[1]) % 7 === weekday && Math.floor((day - 1) / 7) + 1 === Number(nth[2])) return true;
      continue;
    }
    const last = /^([0-7])L$/i.exec(value);
    if (last && Number(last[1]) % 7 === weekday && day + 7 > lastDayOfMonth(year, month)) return true;
  }
  return false;
}

function dayFilter(fields: ParsedFields): (year: number, month: number, day: number) => boolean {
  const months = new Set(numbers(fields.month, 1, 12));
  return (year, month, day) =>
    months.has(month) &&
    matchesDayOfMonth(fields.dayOfMonth, year, month, day) &&
    matchesDayOfWeek(fields.dayOfWeek, year, month, day);
}

// ---- wall-clock times in a timezone --------------------------------------------------------

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
    // Bounded: only validated timezones get here, and there are a few hundred of them.
    if (formatters.size < 1000) formatters.set(timezone, f);
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
