import type { LeaderboardRow } from '../db/repos/ratings.js';
import type { EngineDeps } from './deps.js';
import { ownerLabel } from './player-tag.js';
import { displayRating } from './ratings.js';

export interface LeaderboardEntry extends LeaderboardRow {
  /** The number people read (Elo-like; see docs/ratings.md). */
  display: number;
}

/* `ownerName` of an entry is the owner's label ("alice#K3F9", player-tag.ts): two members with
 * the same nickname never look alike in the standings. */

export interface LeaderboardView {
  rows: LeaderboardEntry[];
  /** 1-based; clamped to the last page. */
  page: number;
  pages: number;
  total: number;
  pageSize: number;
  /** The viewer's best bot when it is not on this page ("where am I?"). */
  viewer: LeaderboardEntry | null;
}

const withDisplay = (row: LeaderboardRow): LeaderboardEntry => ({
  ...row,
  ownerName: ownerLabel(row.ownerName, row.ownerUserId),
  display: displayRating(row),
});

/** One page of a guild's standings, ordered by conservative rating, plus the viewer's own rank. */
export async function leaderboard(
  deps: EngineDeps,
  input: { guildId: string; page?: number; pageSize?: number; viewerUserId?: string | null },
): Promise<LeaderboardView> {
  const pageSize = Math.min(25, Math.max(1, input.pageSize ?? 10));
  const first = await deps.repos.ratings.leaderboard(input.guildId, 'rps', { offset: 0, limit: 0 });
  const pages = Math.max(1, Math.ceil(first.total / pageSize));
  const page = Math.min(pages, Math.max(1, Math.floor(input.page ?? 1)));
  const { rows, total } = await deps.repos.ratings.leaderboard(input.guildId, 'rps', {
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  let viewer: LeaderboardEntry | null = null;
  if (input.viewerUserId && !rows.some((r) => r.ownerUserId === input.viewerUserId)) {
    viewer = await viewerRow(deps, input.guildId, input.viewerUserId);
  }
  return { rows: rows.map(withDisplay), page, pages, total, pageSize, viewer };
}

async function viewerRow(
  deps: EngineDeps,
  guildId: string,
  userId: string,
): Promise<LeaderboardEntry | null> {
  const player = await deps.repos.players.get(guildId, userId);
  if (!player) return null;
  const mine = (await deps.repos.bots.listActive(guildId)).filter((b) => b.owner.id === player.id);
  let best: { rank: number } | null = null;
  for (const b of mine) {
    const r = await deps.repos.ratings.rankOf(guildId, 'rps', b.bot.id);
    if (r && (!best || r.rank < best.rank)) best = { rank: r.rank };
  }
  if (!best) return null;
  const { rows } = await deps.repos.ratings.leaderboard(guildId, 'rps', { offset: best.rank - 1, limit: 1 });
  return rows[0] ? withDisplay(rows[0]) : null;
}
