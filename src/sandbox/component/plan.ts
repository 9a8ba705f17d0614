import { err, ok, type Result } from '../../util/result.js';
import {
  CORE_FUNC,
  CORE_GLOBAL,
  CORE_MEMORY,
  CORE_TABLE,
  CORE_TAG,
  type ComponentScope,
  type CoreItemDef,
  SORT_FUNC,
} from './scope.js';
import type { FuncType, ValType } from './types.js';

/**
 * The direct path's wiring of a flat component: what to instantiate, in which order, with which
 * imports, all by index into the component's own index spaces, so two byte-identical core
 * modules instantiated differently stay two different instances. It is data (JSON in the
 * artifact's manifest); instantiate.ts runs it. No code is generated from an upload.
 */
export interface DirectPlan {
  /** Core modules, by index; the artifact stores module i as `core<i>.wasm`. */
  modules: number;
  instances: PlanInstance[];
  funcs: PlanFunc[];
  memories: PlanAlias[];
  tables: PlanAlias[];
  globals: PlanAlias[];
  tags: PlanAlias[];
  /** Core function indices of what `play` lifts and of its post-return, if any. */
  play: { func: number; postReturn: number | null };
}

export interface PlanAlias {
  instance: number;
  name: string;
}

export type PlanSort = 'func' | 'table' | 'memory' | 'global' | 'tag';

export type PlanInstance =
  | { kind: 'instantiate'; module: number; args: Array<{ name: string; instance: number }> }
  | { kind: 'exports'; items: Array<{ name: string; sort: PlanSort; index: number }> };

export type PlanFunc =
  | ({ kind: 'alias' } & PlanAlias)
  | {
      kind: 'lower';
      /** The imported interface, e.g. "wasi:io/streams@0.2.3", and the function's name in it. */
      iface: string;
      name: string;
      type: FuncType;
      memory: number | null;
      realloc: number | null;
    }
  | { kind: 'drop'; iface: string; resource: string };

export const PLAN_SORTS: Record<number, PlanSort> = {
  [CORE_FUNC]: 'func',
  [CORE_TABLE]: 'table',
  [CORE_MEMORY]: 'memory',
  [CORE_GLOBAL]: 'global',
  [CORE_TAG]: 'tag',
};

/** A value type the direct path can lift and lower: no async values, no local resources. */
function supported(t: ValType, depth = 0): boolean {
  if (depth > 64) return false;
  switch (t.k) {
    case 'unsupported':
      return false;
    case 'own':
    case 'borrow':
      return t.resource.iface !== null && !t.resource.local;
    case 'record':
      return t.fields.every((f) => supported(f.type, depth + 1));
    case 'variant':
      return t.cases.every((c) => c.type === null || supported(c.type, depth + 1));
    case 'list':
      return supported(t.elem, depth + 1);
    case 'tuple':
      return t.types.every((x) => supported(x, depth + 1));
    case 'option':
      return supported(t.type, depth + 1);
    case 'result':
      return (t.ok === null || supported(t.ok, depth + 1)) && (t.err === null || supported(t.err, depth + 1));
    default:
      return true;
  }
}

function aliasesOf(items: CoreItemDef[], what: string): Result<PlanAlias[], string> {
  const out: PlanAlias[] = [];
  for (const item of items) {
    if (item.kind !== 'alias') return err(`a core ${what} that is not an export of a core instance`);
    out.push({ instance: item.instance, name: item.name });
  }
  return ok(out);
}

/**
 * The plan for a component whose wiring the direct path can run, or why not (then the bot runs
 * through jco's bindings in a sandboxed realm). Runs on a component the reader accepted.
 */
export function planDirect(root: ComponentScope): Result<DirectPlan, string> {
  if (root.nested.length > 0) return err('it nests components');
  if (root.instances.some((i) => i.kind !== 'import')) return err('it instantiates components');
  if (root.coreModules.some((m) => m.kind !== 'defined')) return err('it imports or aliases core modules');

  const instances: PlanInstance[] = [];
  for (const inst of root.coreInstances) {
    if (inst.kind === 'instantiate')
      instances.push({ kind: 'instantiate', module: inst.module, args: inst.args });
    else if (inst.kind === 'exports') {
      const items: Array<{ name: string; sort: PlanSort; index: number }> = [];
      for (const item of inst.items) {
        const sort = PLAN_SORTS[item.sort];
        if (!sort)
          return err('a core instance exports something other than functions, tables, memories or globals');
        items.push({ name: item.name, sort, index: item.index });
      }
      instances.push({ kind: 'exports', items });
    } else return err('a core instance is aliased');
  }

  const funcs: PlanFunc[] = [];
  for (const def of root.coreFuncs) {
    if (def.kind === 'alias') {
      funcs.push({ kind: 'alias', instance: def.instance, name: def.name });
    } else if (def.kind === 'lower') {
      const callee = root.funcs[def.func];
      if (callee?.kind !== 'alias')
        return err('it lowers a function that is not an imported interface function');
      const instance = root.instances[callee.instance];
      if (instance?.kind !== 'import') return err('it lowers a function of an instance it did not import');
      const type = callee.type;
      if (!type || type.async) return err(`it lowers ${callee.name} with a type the direct path cannot call`);
      if (!type.params.every((p) => supported(p.type)) || (type.result && !supported(type.result)))
        return err(`${callee.name} passes values the direct path does not support`);
      const { options } = def;
      if (options.async || options.callback !== undefined || options.postReturn !== undefined)
        return err(`it lowers ${callee.name} asynchronously`);
      if (options.encoding !== 'utf8')
        return err(`it lowers ${callee.name} with ${options.encoding} strings`);
      funcs.push({
        kind: 'lower',
        iface: instance.name,
        name: callee.name,
        type,
        memory: options.memory ?? null,
        realloc: options.realloc ?? null,
      });
    } else if (def.kind === 'resource' && def.op === 'drop') {
      const resource = root.types[def.type];
      if (resource?.k !== 'resource' || resource.local || resource.iface === null)
        return err('it drops a resource it defines itself');
      funcs.push({ kind: 'drop', iface: resource.iface, resource: resource.name });
    } else {
      return err(`it uses ${def.kind === 'resource' ? `resource.${def.op}` : def.what}`);
    }
  }

  const memories = aliasesOf(root.coreMemories, 'memory');
  const tables = aliasesOf(root.coreTables, 'table');
  const globals = aliasesOf(root.coreGlobals, 'global');
  const tags = aliasesOf(root.coreTags, 'tag');
  for (const r of [memories, tables, globals, tags]) if (!r.ok) return r;

  const play = findLift(root, 'play');
  if (!play.ok) return play;
  return ok({
    modules: root.coreModules.length,
    instances,
    funcs,
    memories: (memories as { value: PlanAlias[] }).value,
    tables: (tables as { value: PlanAlias[] }).value,
    globals: (globals as { value: PlanAlias[] }).value,
    tags: (tags as { value: PlanAlias[] }).value,
    play: play.value,
  });
}

/** Follows export `name` through re-exports to the core function its lift calls. */
function findLift(root: ComponentScope, name: string): Result<DirectPlan['play'], string> {
  const exported = root.exports.find((e) => e.name === name && e.sort === SORT_FUNC);
  if (!exported) return err(`it does not export ${name} as a function`);
  let index = exported.index;
  for (let hop = 0; hop < 64; hop++) {
    const def = root.funcs[index];
    if (def?.kind === 'export') {
      index = def.of;
      continue;
    }
    if (def?.kind !== 'lift') return err(`its ${name} is not a lifted core function`);
    if (def.options.async || def.options.callback !== undefined) return err(`its ${name} is asynchronous`);
    return ok({ func: def.coreFunc, postReturn: def.options.postReturn ?? null });
  }
  return err(`its ${name} is re-exported too many times`);
}
