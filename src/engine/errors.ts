/**
 * Expected failures a user can cause or meet, as values with a message fit for chat. The
 * transports render them (one place each); exceptions are left for bugs.
 */
export const USER_ERROR_CODES = [
  'invalid-input',
  'rejected',
  'no-bot',
  'opponent-has-no-bot',
  'bot-not-found',
  'bot-retired',
  'same-bot',
  'version-not-found',
  'match-not-found',
  'not-yours',
  'rate-limited',
  'forbidden',
  'unavailable',
  'too-few-entrants',
  'tournament-active',
  'no-tournament',
  'invalid-schedule',
  'quota',
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface UserError {
  kind: 'user-error';
  code: UserErrorCode;
  message: string;
}

export function userError(code: UserErrorCode, message: string): UserError {
  return { kind: 'user-error', code, message };
}

export function isUserError(value: unknown): value is UserError {
  return typeof value === 'object' && value !== null && (value as UserError).kind === 'user-error';
}
