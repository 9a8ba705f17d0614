import type { QuotaExceeded, StorageQuota } from '../db/repos/bots.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import { type UserError, userError } from './errors.js';

/**
 * What one Discord user may keep on this server, across every guild it is in (the disk is the
 * operator's whoever invited the bot). docs/limits.md gives the reasons; the operator sets them
 * in .env (THROWDOWN_MAX_BOTS_PER_USER, THROWDOWN_MAX_VERSIONS_PER_BOT,
 * THROWDOWN_MAX_STORED_MIB_PER_USER).
 */
export const DEFAULT_QUOTA: Readonly<StorageQuota> = Object.freeze({
  botsPerUser: 10,
  versionsPerBot: 25,
  bytesPerUser: 100 * 1024 * 1024,
});

/** The refusal in words: which quota, the numbers, and what the user can do. */
export function quotaError(problem: QuotaExceeded): UserError {
  switch (problem.kind) {
    case 'bots':
      return userError(
        'quota',
        `You already have ${problem.limit} bots on this server (counted across every Discord server it is in), the most it keeps for one person. Upload a new version of one of them instead (same name).`,
      );
    case 'versions':
      return userError(
        'quota',
        `"${problem.botName}" already has ${problem.limit} versions, the most this server keeps for one bot. Upload under a new name, or ask the server's operator for more room.`,
      );
    case 'bytes':
      return userError(
        'quota',
        `Your bots already take ${formatSize(problem.used)} of the ${formatSize(problem.limit)} this server keeps for one person; this upload (${formatSize(problem.size)}) does not fit. Upload a smaller build, or ask the server's operator for more room.`,
      );
  }
}
