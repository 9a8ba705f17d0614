import type { ComponentLayout, CoreFuncDef } from './layout.js';

/** Where a core function lives: the instance of core module `module` exports it as `name`. */
export interface CoreExportRef {
  /** Index into `layout.coreModules`. */
  module: number;
  /** The core instance that holds it (index into `layout.coreInstances`). */
  instance: number;
  name: string;
}

export interface LiftedExport {
  func: CoreExportRef;
  postReturn: CoreExportRef | null;
}

const MAX_HOPS = 64;

function resolveCoreFunc(layout: ComponentLayout, index: number): CoreExportRef | null {
  let def: CoreFuncDef | undefined = layout.coreFuncs[index];
  for (let hop = 0; hop < MAX_HOPS && def; hop++) {
    if (def.kind !== 'core-export') return null;
    const instance = layout.coreInstances[def.instance];
    if (!instance) return null;
    if (instance.kind === 'instantiate') {
      const range = layout.coreModules[instance.module];
      if (!range || range.start < 0) return null;
      return { module: instance.module, instance: def.instance, name: def.name };
    }
    const item = instance.items.get(def.name);
    if (item?.sort !== 0x00) return null;
    def = layout.coreFuncs[item.index];
  }
  return null;
}

/**
 * Follows the component export `name` to the core function it lifts, when the wiring is the
 * plain shape every component toolchain emits (a lift of a core instance's export, no async).
 * Returns null for anything else; the caller then uses jco's generated glue instead.
 */
export function findLiftedExport(layout: ComponentLayout, name: string): LiftedExport | null {
  if (layout.nestedComponents > 0) return null;
  const exported = layout.exports.find((e) => e.name === name && e.sort === 0x01);
  if (!exported) return null;
  let funcIndex = exported.index;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const def = layout.funcs[funcIndex];
    if (!def) return null;
    if (def.kind === 'reexport') {
      funcIndex = def.of;
      continue;
    }
    if (def.kind !== 'lift' || def.options.async || def.options.callback !== undefined) return null;
    const func = resolveCoreFunc(layout, def.coreFunc);
    if (!func) return null;
    let postReturn: CoreExportRef | null = null;
    if (def.options.postReturn !== undefined) {
      postReturn = resolveCoreFunc(layout, def.options.postReturn);
      if (!postReturn) return null;
    }
    // Each core module must be instantiated once, or "the instance of module m" is ambiguous.
    const instancesOf = (m: number) =>
      layout.coreInstances.filter((i) => i.kind === 'instantiate' && i.module === m).length;
    if (instancesOf(func.module) !== 1) return null;
    if (postReturn && instancesOf(postReturn.module) !== 1) return null;
    return { func, postReturn };
  }
  return null;
}
