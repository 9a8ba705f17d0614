import { eastAsianWidthType } from 'get-east-asian-width';

/**
 * Monospace width of user-supplied text (bot and owner names) and the clean-up that makes it
 * safe to align in a Discord code block.
 *
 * Discord draws code blocks in a monospace font, but emoji come from a colour-emoji font and
 * CJK ideographs from a fallback font, and neither lines up with the grid on every client
 * (phones especially). So table cells keep only characters we can count as one column.
 * East Asian "ambiguous" characters (é, Ж, α, …) count as one column: Discord's fonts draw them
 * narrow, which is what UAX #11 recommends when the context is unknown.
 */

/** One column wide in every monospace font Discord uses; marks a cut. */
export const ELLIPSIS = '…';

/** What a table does with characters two columns wide (CJK, fullwidth forms). */
export type WidePolicy =
  /** Replace each with "?": alignment holds on every client (the default). */
  | 'replace'
  /** Keep them and count two columns: readable, aligned where the client's font agrees. */
  | 'keep';

/** Drawn as colour emoji on phones, whatever the surrounding font: strip them from tables. */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Emoji_Modifier}\p{Regional_Indicator}]/u;
/** Combining marks, format characters (zero-width joiners, bidi overrides) and controls. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;
/** Private-use and unassigned code points: no font can be trusted to draw them at any width. */
const UNDRAWABLE = /[\p{Co}\p{Cn}]/u;
const SPACE = /\s/u;

/** Longest input we look at; names are short, and this bounds the work for hostile ones. */
const MAX_INPUT_UNITS = 512;

function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

function isWide(cp: number): boolean {
  const type = eastAsianWidthType(cp);
  return type === 'wide' || type === 'fullwidth';
}

/** Columns one code point takes: 0 (marks, controls), 1, or 2 (CJK, fullwidth, emoji). */
export function charWidth(ch: string): 0 | 1 | 2 {
  const cp = ch.codePointAt(0) ?? 0;
  if (ZERO_WIDTH.test(ch)) return 0;
  if (EMOJI.test(ch) || isWide(cp)) return 2;
  return 1;
}

/**
 * Columns a string takes. Emoji sequences joined by ZWJ count each part, so this over-counts
 * them: fine for truncation, which only needs an upper bound.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/**
 * Makes a name safe for one table cell: every character left is one column wide (two for
 * wide characters under `keep`), on one line, with no backtick that could close the code
 * block. NFKC first turns fullwidth letters (ｈｅｌｌｏ) into ordinary ones rather than losing them.
 * Emoji, zero-width and control characters are stripped; whitespace runs become one space.
 * An empty result becomes "?" so a row never shows a blank name.
 */
export function cleanCell(text: string, wide: WidePolicy = 'replace'): string {
  const cut = text.length > MAX_INPUT_UNITS;
  let out = '';
  for (const ch of (cut ? text.slice(0, MAX_INPUT_UNITS) : text).normalize('NFKC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (SPACE.test(ch)) out += ' ';
    else if (ZERO_WIDTH.test(ch) || EMOJI.test(ch)) continue;
    else if (isSurrogate(cp) || UNDRAWABLE.test(ch)) out += '?';
    // Inside a fenced block nothing can be escaped: a backtick is the only way out, so none stay.
    else if (ch === '`') out += "'";
    else if (isWide(cp)) out += wide === 'replace' ? '?' : ch;
    else out += ch;
  }
  out = out.replace(/ {2,}/g, ' ').trim();
  if (cut) out += ELLIPSIS;
  return out === '' ? '?' : out;
}

/** Cuts `text` to at most `max` columns, ending in an ellipsis when anything was cut. */
export function truncateToWidth(text: string, max: number): string {
  if (max <= 0) return '';
  if (displayWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return out + ELLIPSIS;
}

export type Align = 'left' | 'right';

/** Pads (or cuts) `text` to exactly `width` columns. */
export function fitToWidth(text: string, width: number, align: Align = 'left'): string {
  const cut = truncateToWidth(text, width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}
