import type { ComponentType, Extern, FuncType, InstanceType, TypeDef } from './types.js';

/**
 * What the reader records of each component scope: its index spaces (core and component), its
 * imports, exports and sections, in the order the binary defines them. The direct path (plan.ts)
 * reads the top-level scope; nested scopes are kept for checking and for stripping (strip.ts).
 */
export type CoreModuleDef = { kind: 'defined'; start: number; end: number } | { kind: 'other' };

export type CoreInstanceDef =
  | { kind: 'instantiate'; module: number; args: Array<{ name: string; instance: number }> }
  | { kind: 'exports'; items: Array<{ name: string; sort: number; index: number }> }
  | { kind: 'other' };

export interface CanonOptions {
  encoding: 'utf8' | 'utf16' | 'latin1+utf16';
  memory?: number;
  realloc?: number;
  postReturn?: number;
  async: boolean;
  callback?: number;
}

export type CoreItemDef =
  | { kind: 'alias'; instance: number; name: string }
  | { kind: 'lower'; func: number; options: CanonOptions }
  | { kind: 'resource'; op: 'new' | 'drop' | 'rep'; type: number }
  | { kind: 'other'; what: string };

export type FuncDef = { type: FuncType | null } & (
  | { kind: 'import'; name: string }
  | { kind: 'alias'; instance: number; name: string }
  | { kind: 'lift'; coreFunc: number; options: CanonOptions }
  | { kind: 'export'; of: number }
  | { kind: 'other' }
);

export type InstanceDef = { type: InstanceType | null } & (
  | { kind: 'import'; name: string }
  | { kind: 'other' }
);

export interface SectionRange {
  id: number;
  /** Offset of the section id byte. */
  headerStart: number;
  /** Offsets of the section body. */
  start: number;
  end: number;
}

export interface ComponentScope {
  parent: ComponentScope | null;
  kind: 'component' | 'component-type' | 'instance-type';
  /** How messages name this scope, e.g. "the component" or "nested component 1". */
  label: string;
  types: TypeDef[];
  coreTypes: number;
  coreModules: CoreModuleDef[];
  coreInstances: CoreInstanceDef[];
  coreFuncs: CoreItemDef[];
  coreTables: CoreItemDef[];
  coreMemories: CoreItemDef[];
  coreGlobals: CoreItemDef[];
  coreTags: CoreItemDef[];
  funcs: FuncDef[];
  instances: InstanceDef[];
  components: Array<ComponentType | null>;
  values: number;
  imports: Array<{ name: string; extern: Extern }>;
  exports: Array<{ name: string; sort: number; index: number; extern: Extern }>;
  sections: SectionRange[];
  nested: ComponentScope[];
  /** Features present that the direct path cannot run (start functions, component values...). */
  unsupported: string[];
}

export const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00] as const;

export function isComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && COMPONENT_PREAMBLE.every((b, i) => bytes[i] === b);
}

// Sorts, as the reader numbers them: component sorts are 1..5; core sorts are 0x100 + core sort.
export const SORT_FUNC = 0x01;
export const SORT_VALUE = 0x02;
export const SORT_TYPE = 0x03;
export const SORT_COMPONENT = 0x04;
export const SORT_INSTANCE = 0x05;
export const CORE = 0x100;
export const CORE_FUNC = CORE + 0x00;
export const CORE_TABLE = CORE + 0x01;
export const CORE_MEMORY = CORE + 0x02;
export const CORE_GLOBAL = CORE + 0x03;
export const CORE_TAG = CORE + 0x04;
export const CORE_TYPE = CORE + 0x10;
export const CORE_MODULE = CORE + 0x11;
export const CORE_INSTANCE = CORE + 0x12;

const CORE_SORT_NAMES: Record<number, string> = {
  [CORE_FUNC]: 'core function',
  [CORE_TABLE]: 'core table',
  [CORE_MEMORY]: 'core memory',
  [CORE_GLOBAL]: 'core global',
  [CORE_TAG]: 'core tag',
  [CORE_TYPE]: 'core type',
  [CORE_MODULE]: 'core module',
  [CORE_INSTANCE]: 'core instance',
};

export function sortName(sort: number): string {
  return (
    CORE_SORT_NAMES[sort] ??
    { 1: 'function', 2: 'value', 3: 'type', 4: 'component', 5: 'instance' }[sort] ??
    `sort ${sort}`
  );
}

export function newScope(
  parent: ComponentScope | null,
  kind: ComponentScope['kind'],
  label: string,
): ComponentScope {
  return {
    parent,
    kind,
    label,
    types: [],
    coreTypes: 0,
    coreModules: [],
    coreInstances: [],
    coreFuncs: [],
    coreTables: [],
    coreMemories: [],
    coreGlobals: [],
    coreTags: [],
    funcs: [],
    instances: [],
    components: [],
    values: 0,
    imports: [],
    exports: [],
    sections: [],
    nested: [],
    unsupported: [],
  };
}
