/**
 * jco writes its bindings as an ES module (`export function instantiate(...)`). Match workers run
 * them as a classic script inside a realm of their own (play/glue-realm.ts), where a module could
 * not be loaded without a module linker: a script has no `import` and cannot reach the host's
 * module graph. This rewrites the module's two known exports into a script whose value is the
 * `instantiate` function. Anything else that looks like a module statement is refused: a script
 * would not parse it anyway, and the glue's shape is jco's, not the upload's.
 */
export function toGlueScript(moduleSource: string): string | null {
  let body = moduleSource;
  let found = 0;
  body = body.replace(/^export function instantiate\(/m, () => {
    found++;
    return 'function instantiate(';
  });
  body = body.replace(/^export const _util\b/m, 'const _util');
  if (found !== 1 || /^\s*(export|import)\b/m.test(body)) return null;
  return `(function () {\n'use strict';\n${body}\nreturn instantiate;\n})()\n`;
}
