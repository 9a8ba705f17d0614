// Per-bucket rate limits with Discord's headers, plus forced 429s. @discordjs/rest reads
// X-RateLimit-* to queue requests and Retry-After to retry a 429; a bot wrapping it (or talking
// HTTP itself) should never need to guess, and a test can prove that it doesn't.
import { createHash } from 'node:crypto';

export interface ForcedRateLimit {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** A route template (`/channels/:channel/messages`), a concrete path, or a RegExp on the path. */
  route: string | RegExp;
  /** How many matching requests get a 429 before the route recovers. Default 1. */
  times?: number;
  /** Retry-After in milliseconds. Default 50 (Discord sends whole seconds; tests want speed). */
  retryAfterMs?: number;
  /** A global limit (X-RateLimit-Global): the client must pause every route. */
  global?: boolean;
}

export interface RouteLimit {
  method?: string;
  route: string | RegExp;
  limit: number;
  windowMs: number;
}

export interface Verdict {
  headers: Record<string, string>;
  /** Set when the request must be answered 429. */
  limited?: { retryAfterMs: number; global: boolean };
}

const matches = (
  rule: { method?: string; route: string | RegExp },
  method: string,
  template: string,
  path: string,
) =>
  (!rule.method || rule.method.toUpperCase() === method) &&
  (typeof rule.route === 'string' ? rule.route === template || rule.route === path : rule.route.test(path));

export class RateLimits {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly forced: Array<Required<Omit<ForcedRateLimit, 'method'>> & { method?: string }> = [];
  private readonly limits: RouteLimit[] = [];

  /** Generous defaults so ordinary tests never queue; tighten per route with `setLimit`. */
  constructor(
    private readonly defaultLimit = 50,
    private readonly defaultWindowMs = 1000,
  ) {}

  force(rule: ForcedRateLimit): void {
    this.forced.push({ times: 1, retryAfterMs: 50, global: false, ...rule });
  }

  setLimit(rule: RouteLimit): void {
    this.limits.unshift(rule);
    // Start fresh windows: counts from the old limit would produce a 429 no header announced.
    this.windows.clear();
  }

  check(method: string, template: string, path: string, major: string, now = Date.now()): Verdict {
    const rule = this.limits.find((r) => matches(r, method, template, path));
    const limit = rule?.limit ?? this.defaultLimit;
    const windowMs = rule?.windowMs ?? this.defaultWindowMs;
    const bucket = createHash('sha1').update(`${method} ${template}`).digest('hex').slice(0, 16);
    const key = `${bucket}:${major}`;
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - window.count)),
      'x-ratelimit-reset': (window.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((window.resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucket,
    };
    const forced = this.forced.find((f) => f.times > 0 && matches(f, method, template, path));
    if (forced) {
      forced.times--;
      return this.limited(headers, forced.retryAfterMs, forced.global);
    }
    if (window.count > limit) return this.limited(headers, window.resetAt - now, false);
    return { headers };
  }

  private limited(headers: Record<string, string>, retryAfterMs: number, global: boolean): Verdict {
    const out = { ...headers, 'retry-after': (retryAfterMs / 1000).toFixed(3), 'x-ratelimit-scope': 'user' };
    if (global) Object.assign(out, { 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
    return { headers: out, limited: { retryAfterMs, global } };
  }
}
