/**
 * A win-draw-loss record, written the same way everywhere (leaderboard, tournament results,
 * /bot info): wins, draws, losses, as football tables and most game ladders read.
 */
export const RECORD_HEADER = 'W-D-L';

export function formatRecord(r: { wins: number; draws: number; losses: number }): string {
  return `${r.wins}-${r.draws}-${r.losses}`;
}
