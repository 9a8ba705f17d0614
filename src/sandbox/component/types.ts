/**
 * Component-model types as the reader resolves them: value types (what the canonical ABI moves
 * between a guest and our host), function types, instance types and resources. Every type
 * carries its `cost` (how many nodes it has once every reference is expanded, which is what
 * code generators such as jco emit code for) and `depth`, computed once when it is defined, so
 * a small upload cannot describe an exponentially large type without being noticed.
 */
export type Prim =
  | 'bool'
  | 's8'
  | 'u8'
  | 's16'
  | 'u16'
  | 's32'
  | 'u32'
  | 's64'
  | 'u64'
  | 'f32'
  | 'f64'
  | 'char'
  | 'string';

/** A resource type. Imported resources are named by the interface that exports them. */
export interface Resource {
  k: 'resource';
  /** The resource's own name, e.g. "output-stream" (empty for anonymous local definitions). */
  name: string;
  /** Set when the resource comes from an imported instance: "wasi:io/streams@0.2.3". */
  iface: string | null;
  /** Defined by the component itself (`(type (resource ...))`), not imported. */
  local: boolean;
}

export type ValType =
  | { k: 'prim'; p: Prim }
  | { k: 'record'; fields: Array<{ name: string; type: ValType }> }
  | { k: 'variant'; cases: Array<{ name: string; type: ValType | null }> }
  | { k: 'list'; elem: ValType }
  | { k: 'tuple'; types: ValType[] }
  | { k: 'flags'; names: string[] }
  | { k: 'enum'; names: string[] }
  | { k: 'option'; type: ValType }
  | { k: 'result'; ok: ValType | null; err: ValType | null }
  | { k: 'own'; resource: Resource }
  | { k: 'borrow'; resource: Resource }
  /** Something this reader keeps opaque (async streams and futures, error-context, maps, fixed lists, unknown references). */
  | { k: 'unsupported'; what: string };

export interface FuncType {
  k: 'func';
  params: Array<{ name: string; type: ValType }>;
  result: ValType | null;
  async: boolean;
}

export type Extern =
  | { sort: 'func'; type: FuncType | null }
  | { sort: 'type'; type: TypeDef }
  | { sort: 'instance'; type: InstanceType | null }
  | { sort: 'component' }
  | { sort: 'core-module' }
  | { sort: 'value' };

export interface InstanceType {
  k: 'instance';
  exports: Map<string, Extern>;
  /** Resources introduced by `(export "r" (type (sub resource)))` in this type, by name. */
  abstract: Map<string, Resource>;
}

export interface ComponentType {
  k: 'component';
  exports: Map<string, Extern>;
}

export type TypeDef = ValType | FuncType | InstanceType | ComponentType | Resource;

interface Metrics {
  cost: number;
  depth: number;
}

const metrics = new WeakMap<object, Metrics>();

/** Nodes of `t` with every reference expanded (saturating far above any cap). */
export function costOf(t: TypeDef | null): number {
  if (!t) return 0;
  return metrics.get(t)?.cost ?? 1;
}

export function depthOf(t: TypeDef | null): number {
  if (!t) return 0;
  return metrics.get(t)?.depth ?? 1;
}

const SATURATE = 1e12;

/** Records `t`'s metrics from its direct children (whose metrics are already known). */
export function measured<T extends TypeDef>(t: T): T {
  const children = childrenOf(t);
  let cost = 1;
  let depth = 0;
  for (const c of children) {
    cost = Math.min(SATURATE, cost + costOf(c.type) + c.label);
    depth = Math.max(depth, depthOf(c.type));
  }
  metrics.set(t, { cost, depth: depth + 1 });
  return t;
}

/** Direct children of a type, each with the extra cost of its label (a generated case or key). */
function childrenOf(t: TypeDef): Array<{ type: TypeDef | null; label: number }> {
  switch (t.k) {
    case 'record':
      return t.fields.map((f) => ({ type: f.type, label: 1 }));
    case 'variant':
      return t.cases.map((c) => ({ type: c.type, label: 1 }));
    case 'list':
      return [{ type: t.elem, label: 0 }];
    case 'tuple':
      return t.types.map((type) => ({ type, label: 0 }));
    case 'flags':
    case 'enum':
      return t.names.map(() => ({ type: null, label: 1 }));
    case 'option':
      return [{ type: t.type, label: 0 }];
    case 'result':
      return [
        { type: t.ok, label: 0 },
        { type: t.err, label: 0 },
      ];
    case 'func':
      return [...t.params.map((p) => ({ type: p.type, label: 1 })), { type: t.result, label: 0 }];
    case 'instance':
    case 'component':
      return [...t.exports.values()].map((e) => ({
        type: e.sort === 'func' || e.sort === 'instance' || e.sort === 'type' ? e.type : null,
        label: 1,
      }));
    default:
      return [];
  }
}

export function isValType(t: TypeDef | null | undefined): t is ValType {
  if (!t) return false;
  return !['func', 'instance', 'component', 'resource'].includes(t.k);
}

export const PRIMS: Record<number, Prim> = {
  127: 'bool',
  126: 's8',
  125: 'u8',
  124: 's16',
  123: 'u16',
  122: 's32',
  121: 'u32',
  120: 's64',
  119: 'u64',
  118: 'f32',
  117: 'f64',
  116: 'char',
  115: 'string',
};

const primCache = new Map<Prim, ValType>();

export function prim(p: Prim): ValType {
  let t = primCache.get(p);
  if (!t) {
    t = measured({ k: 'prim', p });
    primCache.set(p, t);
  }
  return t;
}
