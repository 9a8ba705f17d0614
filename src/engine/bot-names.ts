import { err, ok, type Result } from '../util/result.js';
import { type UserError, userError } from './errors.js';

export const BOT_NAME_MAX = 32;
const BOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Bot names are short, ASCII and free of markup, so they read the same in tables, logs and mentions. */
export function checkBotName(name: string): Result<string, UserError> {
  const trimmed = name.trim();
  if (!BOT_NAME.test(trimmed)) {
    return err(
      userError(
        'invalid-input',
        `Bot names are 1-${BOT_NAME_MAX} characters: letters, digits, - and _, starting with a letter or digit (got "${nameForMessage(trimmed)}").`,
      ),
    );
  }
  return ok(trimmed);
}

/** A default name from an uploaded file name: "Beat Last (2).wasm" -> "Beat-Last-2". */
export function nameFromFilename(filename: string): string {
  const stem = filename.replace(/\.wasm$/i, '');
  const cleaned = stem
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, BOT_NAME_MAX);
  return cleaned || 'bot';
}

/**
 * A name a user typed, fit to quote back in a message: only the characters a bot name may
 * have (so no markdown, mention or line break comes back), at most 40 of them.
 */
export function nameForMessage(name: string): string {
  const kept = name.replace(/[^A-Za-z0-9_-]+/g, '');
  if (kept === '') return '…';
  return kept.length > 40 || kept.length !== name.length ? `${kept.slice(0, 40)}…` : kept;
}
