import { createHash } from 'node:crypto';

/**
 * Telling people apart. Display names are not unique: anyone can set the nickname "alice" and
 * upload a bot called "frequency", and a listing would show two identical "alice/frequency".
 * Every owner shown in a listing therefore carries a short tag derived from their Discord user
 * id, which no one chooses and which never changes: "alice#K3F9". Bot names are unique per
 * owner, so owner label plus bot name names one bot.
 *
 * Four characters of Crockford base32 (no I, L, O, U) of a SHA-256 of the id: a million
 * combinations, so two members who pick the same name almost never share a tag, and finding a
 * colliding account would take about a million Discord accounts.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TAG_LENGTH = 4;
/** Longest display name kept in a label before the tag (longer ones are cut so the tag shows). */
export const LABEL_NAME_MAX = 20;

export function playerTag(userId: string): string {
  const digest = createHash('sha256').update(`throwdown-player:${userId}`).digest();
  let tag = '';
  for (let i = 0; i < TAG_LENGTH; i++) tag += ALPHABET[digest[i]! % 32];
  return tag;
}

/** "alice#K3F9": the display name (cut to LABEL_NAME_MAX characters) and the owner's tag. */
export function ownerLabel(displayName: string, userId: string): string {
  const name = [...displayName.replace(/\s+/gu, ' ').trim()];
  const shown =
    name.length > LABEL_NAME_MAX ? `${name.slice(0, LABEL_NAME_MAX - 1).join('')}…` : name.join('');
  return `${shown || '?'}#${playerTag(userId)}`;
}
