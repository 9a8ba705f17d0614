/**
 * Text as PostgreSQL will store it. A `text` or `jsonb` value may not hold NUL (U+0000): the
 * server refuses the whole statement ("invalid byte sequence for encoding UTF8: 0x00", or
 * "unsupported Unicode escape sequence" in jsonb). jsonb also refuses a lone UTF-16 surrogate
 * (JSON.stringify writes it as "\udXXX"). Bots write whatever bytes they like to stderr and
 * into their modules' function names, and the console lets a user type any name, so every
 * free-text value goes through here on its way into a row: NUL and lone surrogates become
 * U+FFFD (visible, so an author reading their log sees that something was there), and a
 * length cap keeps one value from bloating a row. Replacing instead of refusing means one bad
 * byte never makes a match unstorable.
 */

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = '\uFFFD';

/** `text` with NUL and lone surrogates replaced, cut to `maxLength` UTF-16 units when given. */
export function storableText(text: string, maxLength?: number): string {
  let out = text.replace(NUL, REPLACEMENT).replace(LONE_SURROGATE, REPLACEMENT);
  if (maxLength !== undefined && out.length > maxLength) {
    out = out.slice(0, maxLength);
    // Do not leave half of a surrogate pair at the cut.
    if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  }
  return out;
}

/** A JSON-able value with every string in it (keys too) made storable; other values as they are. */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v) => storableJson(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storableText(k)] = storableJson(v);
    return out as T;
  }
  return value;
}

/** Longest display name (a Discord nickname is at most 32; the console's are typed). */
export const MAX_DISPLAY_NAME = 100;
/** Longest guild name kept (Discord allows 100). */
export const MAX_GUILD_NAME = 100;
/** Longest free-text reason kept with an unplayed pairing or a cancellation. */
export const MAX_REASON = 2000;
