/**
 * Times for chat. Discord renders `<t:UNIX:STYLE>` in each viewer's own timezone and locale, so
 * the bot never picks a timezone (hard-coded zones and daylight-saving bugs are a top complaint
 * about leaderboard bots). Times come in as arguments: nothing here reads the clock.
 */

/**
 * Discord's timestamp styles, shown here for 2021-06-20 16:20 in en-US:
 * t "4:20 PM", T "4:20:30 PM", d "06/20/2021", D "June 20, 2021",
 * f "June 20, 2021 4:20 PM", F "Sunday, June 20, 2021 4:20 PM", R "2 months ago" (kept live).
 */
export type TimestampStyle = 't' | 'T' | 'd' | 'D' | 'f' | 'F' | 'R';

/** A time as a Date or as milliseconds since the Unix epoch (what Date.getTime() returns). */
export type Instant = Date | number;

function epochMillis(time: Instant): number {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(time)}`);
  return ms;
}

/** Whole seconds since the epoch, rounded down, as Discord's markup wants. */
export function unixSeconds(time: Instant): number {
  return Math.floor(epochMillis(time) / 1000);
}

/** `<t:1624206030:f>`: shown to every viewer in their own timezone. Style f when none is given. */
export function discordTimestamp(time: Instant, style: TimestampStyle = 'f'): string {
  return `<t:${unixSeconds(time)}:${style}>`;
}

/** "in 5 minutes" / "3 hours ago", kept up to date by the client. */
export const relativeTime = (time: Instant) => discordTimestamp(time, 'R');
/** Date and time, e.g. "June 20, 2021 4:20 PM". */
export const fullTime = (time: Instant) => discordTimestamp(time, 'f');
/** Time of day, e.g. "4:20 PM". */
export const shortTime = (time: Instant) => discordTimestamp(time, 't');
/** Date only, e.g. "June 20, 2021". */
export const longDate = (time: Instant) => discordTimestamp(time, 'D');

/** Full time followed by the relative one: "June 20, 2021 4:20 PM (2 hours ago)". */
export function fullAndRelative(time: Instant): string {
  return `${fullTime(time)} (${relativeTime(time)})`;
}

const UNITS = [
  { label: 'd', ms: 86_400_000 },
  { label: 'h', ms: 3_600_000 },
  { label: 'min', ms: 60_000 },
  { label: 's', ms: 1000 },
] as const;

export interface DurationOptions {
  /** How many units to show at most, largest first (default 2: "1 h 5 min", not "1 h 5 min 12 s"). */
  units?: number;
}

/**
 * A compact duration: "1 min 32 s", "2 h", "3 d 4 h", "850 ms". Rounded to the smallest unit
 * shown (so 1 h 59 min 45 s reads "2 h"), units that come out zero are left out, and anything
 * under a second is in milliseconds. Negative durations read as zero.
 */
export function formatDuration(ms: number, options: DurationOptions = {}): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid duration: ${ms}`);
  const units = Math.max(1, Math.floor(options.units ?? 2));
  const total = Math.max(0, ms);
  if (Math.round(total) < 1000) return `${Math.round(total)} ms`;

  const lastOf = (first: number) => Math.min(UNITS.length - 1, first + units - 1);
  const rounded = (first: number) => {
    const step = UNITS[lastOf(first)]!.ms;
    return Math.round(total / step) * step;
  };
  let first = UNITS.findIndex((u) => total >= u.ms);
  if (first === -1) first = UNITS.length - 1;
  // Rounding can carry into the next larger unit (59.6 s is "1 min", not "60 s").
  if (first > 0 && rounded(first) >= UNITS[first - 1]!.ms) first--;

  let rest = rounded(first);
  const parts: string[] = [];
  for (let i = first; i <= lastOf(first); i++) {
    const unit = UNITS[i]!;
    const count = Math.floor(rest / unit.ms);
    rest -= count * unit.ms;
    if (count > 0) parts.push(`${count} ${unit.label}`);
  }
  return parts.join(' ');
}
