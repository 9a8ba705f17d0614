import { cleanCell, truncateToWidth, type WidePolicy } from './text-width.js';

/**
 * Text that goes into SVG markup. Bot names are untrusted: escaping keeps them text (a name like
 * `<script>` or `"/><image href=...` must never become markup), and characters XML 1.0 forbids
 * (most controls, lone surrogates, U+FFFE/U+FFFF) are dropped so the document always parses.
 */

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
}

/** Characters not allowed in an XML 1.0 document, and lone surrogates. */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Emoji need a colour-emoji font we cannot count on; bidi and other format characters can reorder text. */
const DROP =
  /[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Emoji_Modifier}\p{Regional_Indicator}\p{Cf}\p{Cc}]/gu;

/**
 * A name as one line of plain text for alt text, at most `maxWidth` columns, not yet escaped:
 * controls, bidi overrides and emoji go, everything a screen reader can read stays.
 */
export function plainLabel(text: string, maxWidth: number): string {
  const line = text
    .slice(0, 512)
    .replace(NOT_XML, '')
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .replace(DROP, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return truncateToWidth(line === '' ? '?' : line, maxWidth);
}

/**
 * A name ready to put between SVG tags. The chart's font is monospace, so names get the same
 * clean-up as table cells: combining-mark pile-ups (Zalgo), private-use and undrawable
 * characters would otherwise spill over neighbouring rows or show as boxes. Under `replace`,
 * two-column characters (CJK) become "?": the bundled font has no glyphs for them, and a "?"
 * says so more plainly than a row of empty boxes.
 */
export function svgLabel(text: string, maxWidth: number, wide: WidePolicy = 'replace'): string {
  return escapeXml(truncateToWidth(cleanCell(text.replace(NOT_XML, ''), wide), maxWidth));
}
