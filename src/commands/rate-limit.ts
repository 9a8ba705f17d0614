import type { RateLimitKind } from './types.js';

/**
 * Per-user limits on expensive commands (uploads and matches), so one person cannot keep the
 * sandbox busy. A sliding window per (guild, user, kind), in memory: a restart forgives
 * everyone, which is acceptable for a flood guard.
 */
export interface RateLimiter {
  /** Records an attempt; returns null when allowed, else milliseconds until the next one is. */
  take(key: { guildId: string; userId: string; kind: RateLimitKind }, now: number): number | null;
  /** Gives back the last attempt (it failed before costing anything, e.g. "you have no bot"). */
  refund(key: { guildId: string; userId: string; kind: RateLimitKind }): void;
}

export function createRateLimiter(perHour: Record<RateLimitKind, number>, windowMs = 3_600_000): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    take({ guildId, userId, kind }, now) {
      const limit = perHour[kind];
      if (limit <= 0) return null;
      const id = `${guildId}:${userId}:${kind}`;
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
    refund({ guildId, userId, kind }) {
      hits.get(`${guildId}:${userId}:${kind}`)?.pop();
    },
  };
}
