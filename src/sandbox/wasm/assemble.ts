import { Reader, Writer } from './bytes.js';
import type { MeterIndices } from './meter-function.js';
import { type ModuleInfo, SECTION_ORDER, type Section, SectionId } from './module.js';
import type { FuncType } from './types.js';

/**
 * Writes the metered module: every original section in order, with the ones metering touches
 * re-encoded (types, functions, tables, memories, globals, exports, code) and sections it needs
 * but the module lacks inserted at their required position. Nothing is renumbered: new types,
 * functions, globals and exports go at the end of their index spaces.
 */

/** Custom sections whose content refers to code offsets, which metering moves. */
export function isStaleCustomSection(name: string): boolean {
  return (
    name.startsWith('.debug_') ||
    name.startsWith('metadata.code.') ||
    name === 'sourceMappingURL' ||
    name === 'external_debug_info'
  );
}

/** Type indices metering needs, found among the module's types or appended after them. */
export class TypePlan {
  readonly appended: FuncType[] = [];
  /** `[] -> []`, for the trap helpers (-1 when the module defines no functions: no helpers). */
  readonly empty: number = -1;
  /** `[i32] -> [i32]`, for the memory.grow observer (appended after the other new types). */
  readonly growObserver: number = -1;
  private readonly byResults = new Map<string, number>();

  /** Settles every type metering will use, so the type section can be written first. */
  constructor(private readonly m: ModuleInfo) {
    m.types.forEach((t, i) => {
      if (t && t.params.length === 0) {
        const key = this.key(t);
        if (!this.byResults.has(key)) this.byResults.set(key, i);
      }
    });
    if (m.bodies.length === 0) return;
    this.empty = this.indexFor({ params: [], results: [], hasV128: false });
    for (let i = 0; i < m.bodies.length; i++) {
      const t = m.types[m.funcTypes[m.importedFunctions + i]!];
      if (t && t.results.length > 1) this.indexFor(t);
    }
    this.growObserver = m.types.length + this.appended.length;
  }

  /** Types appended to the type section, the grow observer's included. */
  get appendedCount(): number {
    return this.appended.length + (this.growObserver >= 0 ? 1 : 0);
  }

  private key(t: FuncType): string {
    return t.results.map((v) => Array.from(this.m.bytes.subarray(v.start, v.end)).join(',')).join(';');
  }

  /** A type index for `[] -> results of t`, appending one when the module has none. */
  private indexFor(t: FuncType): number {
    const key = this.key(t);
    let i = this.byResults.get(key);
    if (i === undefined) {
      i = this.m.types.length + this.appended.length;
      this.appended.push({ params: [], results: t.results, hasV128: t.hasV128 });
      this.byResults.set(key, i);
    }
    return i;
  }

  /** The wrapper block's type: `[] -> results`, as a block type immediate. */
  blockType(t: FuncType): number[] {
    let cached = this.blockTypes.get(t);
    if (!cached) {
      cached = this.encodeBlockType(t);
      this.blockTypes.set(t, cached);
    }
    return cached;
  }

  private readonly blockTypes = new Map<FuncType, number[]>();

  private encodeBlockType(t: FuncType): number[] {
    if (t.results.length === 0) return [0x40];
    if (t.results.length === 1) {
      const v = t.results[0]!;
      return Array.from(this.m.bytes.subarray(v.start, v.end));
    }
    const i = this.byResults.get(this.key(t));
    if (i === undefined) throw new Error('bug: a wrapper block type was not planned');
    return slebIndex(i);
  }
}

function slebIndex(i: number): number[] {
  const w = new Writer(8);
  w.sleb(i);
  return Array.from(w.bytes());
}

export interface AssemblyInput {
  m: ModuleInfo;
  types: TypePlan;
  ix: MeterIndices;
  caps: { memoryPages: number; tableElements: number };
  initialFuel: bigint;
  initialStack: number;
  /** The new code section's payload (bodies count, metered bodies, helper bodies). */
  code: Writer;
  fuelExport: string;
  stackExport: string;
  growExport: string;
  /**
   * Turn the module's own memory into an import of this name, so the host can hand each fresh
   * instance a recycled, zeroed memory instead of paying for a new one (index 0 either way).
   */
  importMemoryAs?: { module: string; name: string } | undefined;
}

/** Reads a section's leading count and returns it with the offset of the first entry. */
function entries(m: ModuleInfo, s: Section | undefined): { count: number; from: number; to: number } {
  if (!s) return { count: 0, from: 0, to: 0 };
  const r = new Reader(m.bytes, s.payloadStart, s.end);
  const count = r.u32();
  return { count, from: r.pos, to: s.end };
}

function limits(w: Writer, min: number, declaredMax: number | undefined, cap: number): void {
  w.u8(0x01);
  w.u32(min);
  w.u32(Math.min(declaredMax ?? cap, cap));
}

export function assemble(input: AssemblyInput): Uint8Array {
  const { m, types, ix } = input;
  /** The defined memory to turn into an import, when asked and the module has exactly one. */
  const movedMemory = () =>
    input.importMemoryAs && m.memories.length === 1 && !m.imports.some((i) => i.kind === 'memory')
      ? { ...input.importMemoryAs, limits: m.memories[0]!.limits }
      : null;
  const src = m.bytes;
  const byId = new Map<number, Section>();
  for (const s of m.sections) if (s.id !== SectionId.custom) byId.set(s.id, s);
  const hasCode = m.bodies.length > 0;

  const build: Record<number, () => Writer | null> = {
    [SectionId.type]: () => {
      if (types.appendedCount === 0) return null;
      const e = entries(m, byId.get(SectionId.type));
      const w = new Writer(e.to - e.from + 64);
      w.u32(e.count + types.appendedCount);
      w.copy(src, e.from, e.to);
      for (const t of types.appended) {
        w.u8(0x60);
        w.u32(0);
        w.u32(t.results.length);
        for (const v of t.results) w.copy(src, v.start, v.end);
      }
      if (types.growObserver >= 0) w.raw([0x60, 0x01, 0x7f, 0x01, 0x7f]);
      return w;
    },
    [SectionId.function]: () => {
      if (!hasCode) return null;
      const e = entries(m, byId.get(SectionId.function));
      const w = new Writer(e.to - e.from + 16);
      w.u32(e.count + 3);
      w.copy(src, e.from, e.to);
      w.u32(types.empty);
      w.u32(types.empty);
      w.u32(types.growObserver);
      return w;
    },
    [SectionId.import]: () => {
      // Imported memories and tables (accepted only in 'cap' mode) get the cap as their maximum.
      const capped = m.imports.filter((imp) => imp.limitsStart !== undefined);
      const memoryImport = movedMemory();
      if (capped.length === 0 && !memoryImport) return null;
      const s = byId.get(SectionId.import);
      const e = entries(m, s);
      const w = new Writer(e.to - e.from + 16 * capped.length + 64);
      w.u32(e.count + (memoryImport ? 1 : 0));
      let from = e.from;
      for (const imp of capped) {
        w.copy(src, from, imp.limitsStart!);
        const cap = imp.kind === 'memory' ? input.caps.memoryPages : input.caps.tableElements;
        limits(w, imp.limits!.min, imp.limits!.max, cap);
        from = imp.limitsEnd!;
      }
      w.copy(src, from, e.to);
      if (memoryImport) {
        w.name(memoryImport.module);
        w.name(memoryImport.name);
        w.u8(0x02);
        limits(w, memoryImport.limits.min, memoryImport.limits.max, input.caps.memoryPages);
      }
      return w;
    },
    [SectionId.table]: () => {
      if (!byId.has(SectionId.table)) return null;
      const w = new Writer(64 + m.tables.length * 16);
      w.u32(m.tables.length);
      for (const t of m.tables) {
        w.copy(src, t.prefixStart, t.prefixEnd);
        limits(w, t.limits.min, t.limits.max, input.caps.tableElements);
        w.copy(src, t.suffixStart, t.suffixEnd);
      }
      return w;
    },
    [SectionId.memory]: () => {
      if (!byId.has(SectionId.memory)) return null;
      // The memory became an import: an empty memory section keeps the section order simple.
      if (movedMemory()) {
        const none = new Writer(1);
        none.u32(0);
        return none;
      }
      const w = new Writer(32);
      w.u32(m.memories.length);
      for (const mem of m.memories) limits(w, mem.limits.min, mem.limits.max, input.caps.memoryPages);
      return w;
    },
    [SectionId.global]: () => {
      const e = entries(m, byId.get(SectionId.global));
      const w = new Writer(e.to - e.from + 32);
      w.u32(e.count + 3);
      w.copy(src, e.from, e.to);
      w.raw([0x7e, 0x01, 0x42]);
      w.sleb(input.initialFuel);
      w.u8(0x0b);
      w.raw([0x7f, 0x01, 0x41]);
      w.s32(input.initialStack);
      w.u8(0x0b);
      w.raw([0x7f, 0x01, 0x41, 0x00, 0x0b]);
      return w;
    },
    [SectionId.export]: () => {
      const e = entries(m, byId.get(SectionId.export));
      const w = new Writer(e.to - e.from + 64);
      w.u32(e.count + 3);
      w.copy(src, e.from, e.to);
      w.name(input.fuelExport);
      w.u8(0x03);
      w.u32(ix.fuelGlobal);
      w.name(input.stackExport);
      w.u8(0x03);
      w.u32(ix.stackGlobal);
      w.name(input.growExport);
      w.u8(0x03);
      w.u32(ix.growGlobal);
      return w;
    },
    [SectionId.code]: () => (hasCode ? input.code : null),
  };

  const out = new Writer(src.length + input.code.len + 1024);
  out.copy(src, 0, 8);
  const emitted = new Set<number>();
  const emit = (id: number, payload: Writer) => {
    out.u8(id);
    out.sized(payload);
    emitted.add(id);
  };
  /** Emits sections metering needs that the module lacks and that must come before `order`. */
  const insertMissingBefore = (order: number) => {
    for (const id of [
      SectionId.type,
      SectionId.import,
      SectionId.function,
      SectionId.global,
      SectionId.export,
      SectionId.code,
    ]) {
      if (emitted.has(id) || byId.has(id) || SECTION_ORDER[id]! >= order) continue;
      const w = build[id]!();
      if (w) emit(id, w);
      else emitted.add(id);
    }
  };

  for (const s of m.sections) {
    if (s.id === SectionId.custom) {
      if (!isStaleCustomSection(s.name ?? '')) out.copy(src, s.start, s.end);
      continue;
    }
    insertMissingBefore(SECTION_ORDER[s.id]!);
    const rebuild = build[s.id];
    const w = rebuild ? rebuild() : null;
    if (w) emit(s.id, w);
    else out.copy(src, s.start, s.end);
    emitted.add(s.id);
  }
  insertMissingBefore(Number.POSITIVE_INFINITY);
  return out.bytes();
}

/** Payload of the code section: the metered bodies are appended by the caller, then the helpers. */
export function helperBodies(code: Writer, growGlobal: number): void {
  // The two trap helpers are `unreachable`: a trap whose stack trace names the helper's index.
  for (let i = 0; i < 2; i++) code.raw([0x03, 0x00, 0x00, 0x0b]);
  // The grow observer passes memory.grow's result through and flags a failure (-1):
  //   local.get 0  i32.const -1  i32.eq  if  i32.const 1  global.set $grow  end  local.get 0
  const body = new Writer(32);
  body.raw([0x00, 0x20, 0x00, 0x41, 0x7f, 0x46, 0x04, 0x40, 0x41, 0x01, 0x24]);
  body.u32(growGlobal);
  body.raw([0x0b, 0x20, 0x00, 0x0b]);
  code.sized(body);
}
