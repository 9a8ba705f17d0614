import type { RateLimitKind } from './types.js';

/**
 * Per-user limits on expensive commands (uploads and matches), so one person cannot keep the
 * sandbox busy. A sliding window per (user, kind), counted across every guild (the sandbox and
 * the downloads are shared by all of them), in memory: a restart forgives everyone, which is
 * acceptable for a flood guard.
 */
export interface RateKey {
  userId: string;
  kind: RateLimitKind;
}

export interface RateLimiter {
  /** Records an attempt; returns null when allowed, else milliseconds until the next one is. */
  take(key: RateKey, now: number): number | null;
  /** Gives back the last attempt (it failed before costing anything, e.g. "you have no bot"). */
  refund(key: RateKey): void;
}

export function createRateLimiter(perHour: Record<RateLimitKind, number>, windowMs = 3_600_000): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    take({ userId, kind }, now) {
      const limit = perHour[kind];
      if (limit <= 0) return null;
      const id = `${userId}:${kind}`;
      const recent = (hits.get(id) ?? []).filter((t) => t > now - windowMs);
      if (recent.length >= limit) {
        hits.set(id, recent);
        return (recent[0] as number) + windowMs - now;
      }
      recent.push(now);
      hits.set(id, recent);
      if (hits.size > 50_000) {
        // Forget the idle: keeps memory bounded on huge servers.
        for (const [k, v] of hits) if (!v.some((t) => t > now - windowMs)) hits.delete(k);
      }
      return null;
    },
    refund({ userId, kind }) {
      hits.get(`${userId}:${kind}`)?.pop();
    },
  };
}
