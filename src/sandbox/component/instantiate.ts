import { type AbiContext, createAbiContext, HandleTable } from './abi-values.js';
import { type HostImports, hostCallee, hostClass, lowerImport } from './lower-import.js';
import type { DirectPlan, PlanSort } from './plan.js';
import type { Resource } from './types.js';

/**
 * Runs a direct plan (plan.ts): instantiates a flat component's core modules in the order the
 * component defines them, wiring each one's imports by index from earlier instances, lowered
 * host functions and resource drops. This replaces jco's generated `instantiate` for flat
 * components: no JavaScript derived from an upload runs.
 */
export interface DirectHooks {
  /**
   * The one place a core module becomes an instance (`moduleIndex` into the plan's modules).
   * The component player meters it, names it for fault messages, and may run per-instance
   * steps between instantiation and use.
   */
  instantiate(moduleIndex: number, imports: WebAssembly.Imports): WebAssembly.Instance;
  /** Charges the bot for a string of `bytes` bytes a host call is about to decode from its memory. */
  chargeString?(bytes: number): void;
}

export interface DirectInstance {
  /** The core function `play` lifts, and its post-return. */
  play: (...args: number[]) => number;
  postReturn: ((result: number) => void) | null;
}

type CoreValue = unknown;
type AbiClass = ReturnType<AbiContext['classOf']>;

function resourceKey(r: { iface: string | null; name: string }): string {
  return `${r.iface}#${r.name}`;
}

export function instantiateDirect(plan: DirectPlan, host: HostImports, hooks: DirectHooks): DirectInstance {
  const exports: Array<Record<string, CoreValue>> = [];
  const funcs = new Map<number, CoreValue>();
  const tables = new Map<string, HandleTable>();
  const handles = (r: Resource | { iface: string | null; name: string }) => {
    const key = resourceKey(r);
    let table = tables.get(key);
    if (!table) {
      table = new HandleTable();
      tables.set(key, table);
    }
    return table;
  };

  const exportOf = (instance: number, name: string, what: string): CoreValue => {
    const ns = exports[instance];
    if (!ns) throw new Error(`core instance ${instance} is used before it exists`);
    const value = Object.hasOwn(ns, name) ? ns[name] : undefined;
    if (value === undefined)
      throw new Error(`core instance ${instance} has no ${what} export ${JSON.stringify(name)}`);
    return value;
  };

  const item = (sort: PlanSort, index: number): CoreValue => {
    if (sort === 'func') return func(index);
    const alias = { memory: plan.memories, table: plan.tables, global: plan.globals, tag: plan.tags }[sort][
      index
    ];
    if (!alias) throw new Error(`core ${sort} ${index} is not defined`);
    return exportOf(alias.instance, alias.name, sort);
  };

  const context = (memoryIndex: number | null, reallocIndex: number | null): AbiContext =>
    createAbiContext({
      memory: memoryIndex === null ? null : (item('memory', memoryIndex) as WebAssembly.Memory),
      realloc: reallocIndex === null ? null : (func(reallocIndex) as (...a: number[]) => number),
      handles,
      chargeString: hooks.chargeString,
      classOf(resource) {
        const cls = hostClass(host, resource.iface ?? '', resource.name);
        if (typeof cls !== 'function') throw new Error(`the host has no class for ${resourceKey(resource)}`);
        return cls as AbiClass;
      },
    });

  function func(index: number): CoreValue {
    const cached = funcs.get(index);
    if (cached !== undefined) return cached;
    const def = plan.funcs[index];
    if (!def) throw new Error(`core function ${index} is not defined`);
    let value: CoreValue;
    switch (def.kind) {
      case 'alias':
        value = exportOf(def.instance, def.name, 'function');
        break;
      case 'lower': {
        const callee = hostCallee(host, def.iface, def.name);
        if (!callee) throw new Error(`it imports ${def.iface} ${def.name}, which the host does not provide`);
        value = lowerImport(def.type, callee, context(def.memory, def.realloc), `${def.iface} ${def.name}`);
        break;
      }
      case 'drop': {
        const table = handles({ iface: def.iface, name: def.resource });
        value = (handle: number) => {
          const resource = table.remove(handle >>> 0) as { [Symbol.dispose]?: () => void };
          resource?.[Symbol.dispose]?.();
        };
        break;
      }
    }
    funcs.set(index, value);
    return value;
  }

  for (const def of plan.instances) {
    if (def.kind === 'instantiate') {
      const imports: WebAssembly.Imports = Object.create(null);
      for (const arg of def.args) {
        const ns = exports[arg.instance];
        if (!ns) throw new Error(`core instance ${arg.instance} is used before it exists`);
        imports[arg.name] = ns as WebAssembly.ModuleImports;
      }
      exports.push(hooks.instantiate(def.module, imports).exports as Record<string, CoreValue>);
    } else {
      const ns: Record<string, CoreValue> = Object.create(null);
      for (const entry of def.items) ns[entry.name] = item(entry.sort, entry.index);
      exports.push(ns);
    }
  }

  const play = func(plan.play.func);
  const postReturn = plan.play.postReturn === null ? null : func(plan.play.postReturn);
  if (typeof play !== 'function' || play.length !== 6)
    throw new Error('its play is not a core function of six parameters');
  if (postReturn !== null && typeof postReturn !== 'function')
    throw new Error('its post-return is not a function');
  return {
    play: play as DirectInstance['play'],
    postReturn: postReturn as DirectInstance['postReturn'],
  };
}
