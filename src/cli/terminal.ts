/**
 * Text that reaches a terminal from a bot (its stderr, its debug log, names from its binary in a
 * fault or rejection message) could carry escape sequences: clear the screen, move the cursor to
 * rewrite earlier lines, set the window title, or reorder text with bidirectional overrides. Every
 * line the CLI prints goes through here, so such characters show as `\u001b` and do nothing.
 * Newlines and tabs stay. In JSON output the same replacement is a valid string escape (and
 * JSON.stringify has already escaped C0 controls, so only DEL, C1 and bidi controls remain).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
