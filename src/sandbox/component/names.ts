/**
 * The one grammar every name inside an uploaded component must match, wherever it sits: core
 * module imports and exports, core instance and alias names, component imports and exports,
 * type labels, nested components and modules. jco pastes some of these names into the
 * JavaScript it generates without escaping them (docs/upstream/jco-name-injection.md), so a
 * name that could end a string literal, a comment or a template, or that means something to
 * JavaScript objects, is refused before jco ever sees it.
 *
 * The characters are those real toolchains use (measured on wit-component, the WASI preview1
 * adapters, componentize-qjs, wit-bindgen's `cm32p2|...` names, componentize-py's `#` and
 * dynamic-linking `GOT.mem` names): ASCII letters and digits and `- _ . : / @ [ ] $ | # +`.
 * None of them is special inside a JavaScript or WIT string.
 */
export const NAME_CHARS = '- _ . : / @ [ ] $ | # +';
export const MAX_NAME_LENGTH = 1024;

const ALLOWED = /^[A-Za-z0-9\-_.:/@[\]$|#+]*$/;

/** Names that JavaScript gives a meaning of their own as property keys. */
const SPECIAL = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `name` is refused, in words for the bot's author, or null when it is fine. */
export function nameProblem(name: string): string | null {
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long (at most ${MAX_NAME_LENGTH})`;
  if (!ALLOWED.test(name)) {
    const bad = [...name].find((ch) => !ALLOWED.test(ch)) ?? '';
    return `contains ${describeChar(bad)}`;
  }
  if (SPECIAL.has(name)) return 'has a special meaning in JavaScript';
  return null;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0x21 && code < 0x7f) return `the character ${ch} (${hex})`;
  return `the character ${hex}`;
}

/**
 * A name shown safely in a message: at most `max` characters, every character outside
 * printable ASCII escaped, so a hostile name cannot forge lines or markup where it is shown.
 */
export function showName(name: string, max = 40): string {
  const chars = [...name];
  const cut = chars.length > max ? chars.slice(0, max) : chars;
  let out = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f && ch !== '"' && ch !== '\\' && ch !== '`') out += ch;
    else out += `\\u{${code.toString(16)}}`;
  }
  return `"${out}"${chars.length > max ? `… (${chars.length} characters)` : ''}`;
}
