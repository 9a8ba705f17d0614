import { type HostImports, hostCallee, hostClass } from '../component/lower-import.js';
import type { ComponentScope } from '../component/scope.js';
import type { Rejection } from '../types.js';

/**
 * Every function and resource a component imports from an interface must be one the host
 * provides, under the same rule the direct path calls it by (lower-import.ts). The interface
 * names were already checked against the allowed set (check-component.ts); this catches a
 * function the interface never had, or one with a name that means something else to JavaScript
 * (`constructor`, `to-string`), before anything generates code that looks it up.
 */
export function checkHostImports(root: ComponentScope, host: HostImports): Rejection | null {
  for (const imp of root.imports) {
    if (imp.extern.sort !== 'instance' || !imp.extern.type) continue;
    for (const [name, item] of imp.extern.type.exports) {
      if (item.sort === 'func' && !hostCallee(host, imp.name, name)) {
        return {
          code: 'unknown-import',
          message: `It imports the function \`${name}\` of ${imp.name}, which Throwdown does not provide (the host implements the standard WASI 0.2 and throwdown:rps functions only).`,
        };
      }
      // Resources the interface declares itself; `(eq ...)` aliases of other interfaces' are checked there.
      const declared = imp.extern.type.abstract.has(name);
      if (declared && typeof hostClass(host, imp.name, name) !== 'function') {
        return {
          code: 'unknown-import',
          message: `It imports the resource \`${name}\` of ${imp.name}, which Throwdown does not provide.`,
        };
      }
    }
  }
  return null;
}
