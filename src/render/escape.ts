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
