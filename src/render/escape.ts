import { truncateToWidth } from './text-width.js';

/**
 * Escaping for user-supplied text (bot and owner names, fault messages) that Discord renders
 * as markdown, outside code blocks.
 *
 * Mentions are parsed by Discord's server from the raw content, code blocks included, so a name
 * like "@everyone" or "<@&123>" would ping people wherever it appears. A zero-width space after
 * the "@" breaks the pattern and is invisible. Senders should still pass
 * `allowed_mentions: { parse: [] }`; this is the second line of defence.
 */

const ZWSP = '\u200b';

/** "@everyone", "@here", "<@id>", "<@!id>", "<@&id>": an "@" after "<" or before a letter or digit. */
const MENTION_AT = /(?<=<)@|@(?=[\p{L}\p{N}])/gu;

export function neutralizeMentions(text: string): string {
  return text.replace(MENTION_AT, `@${ZWSP}`);
}

/**
 * Backslash-escapes Discord markdown: emphasis (* _), strike (~), spoilers (|), inline code (`),
 * quotes and headings (> #), lists and subtext (-), masked links ([ ] ( )) and angle-bracket
 * markup such as <t:0:R> or custom emoji (< >). Escapes are invisible once rendered.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_~`|<>#\-[\]()]/g, '\\$&');
}

/** Controls, bidi overrides and zero-width characters: a name must not reorder or hide text. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A name ready for prose (embed fields, headers): one line, no invisible characters, at most
 * `maxWidth` columns, markdown and mentions neutralised. Emoji are kept: outside a table they
 * only need to look right, not line up.
 */
export function proseName(text: string, maxWidth = 40): string {
  const oneLine = text.slice(0, 512).replace(/\s+/gu, ' ').replace(INVISIBLE, '').trim();
  return neutralizeMentions(escapeMarkdown(truncateToWidth(oneLine === '' ? '?' : oneLine, maxWidth)));
}

/** `text` cut to at most `max` UTF-16 units, ending in "…" when cut (never half a surrogate pair). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Controls other than newline and tab, and the invisible/bidi format characters. */
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/**
 * Arbitrary text (a bot's stderr) made safe to put inside a fenced code block: nothing in it can
 * close the fence, and it shows what the bot wrote. A zero-width space after every backtick
 * means no three of them ever stand together (and a lone one cannot end the block either);
 * controls and bidi overrides are shown as U+FFFD instead of reordering or hiding the text;
 * mentions are neutralised (Discord parses them even inside code blocks). Newlines and tabs
 * stay. Cut to `max` UTF-16 units (the escapes count).
 */
export function codeBlockText(text: string, max = 1000): string {
  const safe = neutralizeMentions(text.replace(UNSAFE_IN_BLOCK, '\uFFFD').replace(/`/g, `\`${ZWSP}`));
  return clip(safe, max);
}

/**
 * Free text from a bot or a user (a fault message that names a bot's own function, a reason)
 * for prose: one line, no invisible characters, markdown and mentions neutralised, at most
 * `max` characters once escaped.
 */
export function proseText(text: string, max = 300): string {
  const oneLine = text
    .slice(0, max * 2)
    .replace(/\s+/gu, ' ')
    .replace(INVISIBLE, '')
    .trim();
  let width = max;
  for (;;) {
    const out = neutralizeMentions(escapeMarkdown(clip(oneLine, width)));
    if (out.length <= max || width <= 1) return out.slice(0, max);
    // Escapes made it longer: cut the input shorter and try again.
    width = Math.max(1, width - (out.length - max));
  }
}
