import { BinaryError, ByteReader } from './bytes.js';

/**
 * The top-level wiring of a component binary: its core modules, core instances, the core
 * and component function index spaces, imports and exports. Type definitions are skipped
 * (only their sections' sizes are read): this is enough to follow an exported function to the
 * core function it lifts, which is what the fast call path needs. Anything outside the subset
 * we understand throws `BinaryError`, and callers fall back to jco's generated glue.
 */
export interface CoreModuleRange {
  start: number;
  end: number;
}

export type CoreInstanceDef =
  | { kind: 'instantiate'; module: number }
  | { kind: 'exports'; items: Map<string, { sort: number; index: number }> };

export type CoreFuncDef = { kind: 'core-export'; instance: number; name: string } | { kind: 'canon' };

export interface LiftOptions {
  memory?: number;
  realloc?: number;
  postReturn?: number;
  async: boolean;
  callback?: number;
}

export type FuncDef =
  | { kind: 'lift'; coreFunc: number; options: LiftOptions }
  | { kind: 'reexport'; of: number }
  | { kind: 'opaque' };

export interface ComponentLayout {
  coreModules: CoreModuleRange[];
  coreInstances: CoreInstanceDef[];
  coreFuncs: CoreFuncDef[];
  funcs: FuncDef[];
  exports: Array<{ name: string; sort: number; index: number }>;
  imports: Array<{ name: string; sort: number }>;
  nestedComponents: number;
}

const CORE_SORT_FUNC = 0x00;
const CORE_SORT_MODULE = 0x11;
const CORE_SORT_INSTANCE = 0x12;
// Component sorts (the byte after a 0x00 "core" prefix is a core sort).
const SORT_CORE = 0x00;
const SORT_FUNC = 0x01;
const SORT_COMPONENT = 0x04;

interface SortRef {
  core: boolean;
  sort: number;
}

function readSort(r: ByteReader): SortRef {
  const b = r.byte();
  if (b === SORT_CORE) return { core: true, sort: r.byte() };
  if (b >= 0x01 && b <= 0x05) return { core: false, sort: b };
  throw new BinaryError(`unknown sort 0x${b.toString(16)}`, r.pos - 1);
}

/** nameattributes: 0x00/0x01 len name, or 0x02 len name vec(attribute). */
function readExternName(r: ByteReader): string {
  const tag = r.byte();
  const name = r.name();
  if (tag === 0x00 || tag === 0x01) return name;
  if (tag !== 0x02) throw new BinaryError(`unknown name encoding 0x${tag.toString(16)}`, r.pos);
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const kind = r.byte();
    if (kind > 0x02) throw new BinaryError(`unknown name attribute 0x${kind.toString(16)}`, r.pos - 1);
    r.name();
  }
  return name;
}

/** externtype: returns the sort it introduces. */
function readExternType(r: ByteReader): SortRef {
  const tag = r.byte();
  switch (tag) {
    case 0x00: {
      const coreSort = r.byte();
      r.u32();
      return { core: true, sort: coreSort };
    }
    case 0x01:
    case 0x04:
    case 0x05:
      r.u32();
      return { core: false, sort: tag };
    case 0x02: {
      const bound = r.byte();
      if (bound === 0x00) r.u32();
      else r.s33();
      return { core: false, sort: 0x02 };
    }
    case 0x03: {
      const bound = r.byte();
      if (bound === 0x00) r.u32();
      else if (bound !== 0x01) throw new BinaryError('unknown type bound', r.pos - 1);
      return { core: false, sort: 0x03 };
    }
    default:
      throw new BinaryError(`unknown extern type 0x${tag.toString(16)}`, r.pos - 1);
  }
}

function readLiftOptions(r: ByteReader): LiftOptions {
  const options: LiftOptions = { async: false };
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const opt = r.byte();
    switch (opt) {
      case 0x00:
      case 0x01:
      case 0x02:
        break;
      case 0x03:
        options.memory = r.u32();
        break;
      case 0x04:
        options.realloc = r.u32();
        break;
      case 0x05:
        options.postReturn = r.u32();
        break;
      case 0x06:
        options.async = true;
        break;
      case 0x07:
        options.callback = r.u32();
        break;
      default:
        throw new BinaryError(`unknown canonical option 0x${opt.toString(16)}`, r.pos - 1);
    }
  }
  return options;
}

function skipResultList(r: ByteReader): void {
  const tag = r.byte();
  if (tag === 0x00) r.s33();
  else if (tag === 0x01) r.byte();
  else throw new BinaryError('bad result list', r.pos - 1);
}

/** Reads one canon definition; returns the lift if it is one, else null (a core function). */
function readCanon(r: ByteReader): FuncDef | null {
  const op = r.byte();
  switch (op) {
    case 0x00: {
      if (r.byte() !== 0x00) throw new BinaryError('bad canon lift', r.pos - 1);
      const coreFunc = r.u32();
      const options = readLiftOptions(r);
      r.u32();
      return { kind: 'lift', coreFunc, options };
    }
    case 0x01:
      if (r.byte() !== 0x00) throw new BinaryError('bad canon lower', r.pos - 1);
      r.u32();
      readLiftOptions(r);
      return null;
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x07: // resource.drop async (older encoders)
    case 0x0e:
    case 0x13:
    case 0x14:
    case 0x15:
    case 0x1a:
    case 0x1b:
      r.u32();
      return null;
    case 0x05:
    case 0x08:
    case 0x0d:
    case 0x1e:
    case 0x1f:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x28:
      return null;
    case 0x06:
    case 0x0c:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x2c:
    case 0x2d:
    case 0x42:
      r.byte();
      return null;
    case 0x09:
      skipResultList(r);
      readLiftOptions(r);
      return null;
    case 0x0a:
    case 0x0b:
      r.byte();
      r.u32();
      return null;
    case 0x0f:
    case 0x10:
    case 0x16:
    case 0x17:
      r.u32();
      readLiftOptions(r);
      return null;
    case 0x11:
    case 0x12:
    case 0x18:
    case 0x19:
      r.u32();
      r.byte();
      return null;
    case 0x1c:
    case 0x1d:
      readLiftOptions(r);
      return null;
    case 0x20:
    case 0x21:
      r.byte();
      r.u32();
      return null;
    case 0x27:
      r.u32();
      r.u32();
      return null;
    case 0x40:
      r.byte();
      r.u32();
      return null;
    case 0x41:
      r.byte();
      r.u32();
      r.u32();
      return null;
    default:
      throw new BinaryError(`unknown canonical definition 0x${op.toString(16)}`, r.pos - 1);
  }
}

export const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00] as const;

export function isComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && COMPONENT_PREAMBLE.every((b, i) => bytes[i] === b);
}

export function readComponentLayout(bytes: Uint8Array): ComponentLayout {
  if (!isComponent(bytes)) throw new BinaryError('not a component', 0);
  const layout: ComponentLayout = {
    coreModules: [],
    coreInstances: [],
    coreFuncs: [],
    funcs: [],
    exports: [],
    imports: [],
    nestedComponents: 0,
  };
  const r = new ByteReader(bytes, 8);

  const addSorted = (ref: SortRef, def: { coreFunc?: CoreFuncDef; func?: FuncDef }) => {
    if (ref.core) {
      if (ref.sort === CORE_SORT_FUNC) layout.coreFuncs.push(def.coreFunc ?? { kind: 'canon' });
      else if (ref.sort === CORE_SORT_MODULE) layout.coreModules.push({ start: -1, end: -1 });
      else if (ref.sort === CORE_SORT_INSTANCE)
        layout.coreInstances.push({ kind: 'exports', items: new Map() });
    } else if (ref.sort === SORT_FUNC) {
      layout.funcs.push(def.func ?? { kind: 'opaque' });
    } else if (ref.sort === SORT_COMPONENT) {
      layout.nestedComponents++;
    }
  };

  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    if (end > bytes.length) throw new BinaryError(`section ${id} runs past the end`, start);
    const s = new ByteReader(bytes, start, end);
    switch (id) {
      case 1:
        layout.coreModules.push({ start, end });
        break;
      case 2: {
        const count = s.u32();
        for (let i = 0; i < count; i++) {
          const tag = s.byte();
          if (tag === 0x00) {
            const module = s.u32();
            const args = s.u32();
            for (let j = 0; j < args; j++) {
              s.name();
              if (s.byte() !== CORE_SORT_INSTANCE)
                throw new BinaryError('bad instantiate argument', s.pos - 1);
              s.u32();
            }
            layout.coreInstances.push({ kind: 'instantiate', module });
          } else if (tag === 0x01) {
            const items = new Map<string, { sort: number; index: number }>();
            const n = s.u32();
            for (let j = 0; j < n; j++) {
              const name = s.name();
              const sort = s.byte();
              items.set(name, { sort, index: s.u32() });
            }
            layout.coreInstances.push({ kind: 'exports', items });
          } else {
            throw new BinaryError('unknown core instance form', s.pos - 1);
          }
        }
        break;
      }
      case 4:
        layout.nestedComponents++;
        break;
      case 6: {
        const count = s.u32();
        for (let i = 0; i < count; i++) {
          const sort = readSort(s);
          const target = s.byte();
          if (target === 0x00) {
            s.u32();
            s.name();
            addSorted(sort, {});
          } else if (target === 0x01) {
            const instance = s.u32();
            const name = s.name();
            addSorted(sort, { coreFunc: { kind: 'core-export', instance, name } });
          } else if (target === 0x02) {
            s.u32();
            s.u32();
            if (sort.core && sort.sort === CORE_SORT_MODULE) {
              throw new BinaryError('outer alias of a core module is not supported', s.pos);
            }
            addSorted(sort, {});
          } else {
            throw new BinaryError('unknown alias target', s.pos - 1);
          }
        }
        break;
      }
      case 5: {
        // Component instances: only their count matters for us, but entries must still parse.
        const count = s.u32();
        for (let i = 0; i < count; i++) {
          const tag = s.byte();
          if (tag === 0x00) {
            s.u32();
            const args = s.u32();
            for (let j = 0; j < args; j++) {
              s.name();
              readSort(s);
              s.u32();
            }
          } else if (tag === 0x01) {
            const n = s.u32();
            for (let j = 0; j < n; j++) {
              readExternName(s);
              readSort(s);
              s.u32();
            }
          } else {
            throw new BinaryError('unknown instance form', s.pos - 1);
          }
        }
        break;
      }
      case 8: {
        const count = s.u32();
        for (let i = 0; i < count; i++) {
          const lift = readCanon(s);
          if (lift) layout.funcs.push(lift);
          else layout.coreFuncs.push({ kind: 'canon' });
        }
        break;
      }
      case 10: {
        const count = s.u32();
        for (let i = 0; i < count; i++) {
          const name = readExternName(s);
          const sort = readExternType(s);
          layout.imports.push({ name, sort: sort.core ? -sort.sort : sort.sort });
          addSorted(sort, {});
        }
        break;
      }
      case 11: {
        const count = s.u32();
        for (let i = 0; i < count; i++) {
          const name = readExternName(s);
          const sort = readSort(s);
          const index = s.u32();
          if (s.byte() === 0x01) readExternType(s);
          layout.exports.push({ name, sort: sort.core ? -sort.sort : sort.sort, index });
          // An export introduces a new index aliasing what it exports.
          addSorted(sort, { func: { kind: 'reexport', of: index } });
        }
        break;
      }
      default:
        // custom (0), core types (3), types (7), start (9), values (12): nothing we track.
        break;
    }
    r.pos = end;
  }
  return layout;
}
