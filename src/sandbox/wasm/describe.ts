import { err, ok, type Result } from '../../util/result.js';
import { MalformedError } from './bytes.js';
import { type ExternKind, type Limits, parseModule } from './module.js';
import { fromMalformed, type MeterRejection } from './rejection.js';
import { type FuncType, valTypeName } from './types.js';

export interface Signature {
  params: string[];
  results: string[];
}

export interface ImportDescription {
  module: string;
  name: string;
  kind: ExternKind;
  /** Function imports: parameter and result types ('i32', 'i64', 'f32', 'f64', 'v128', 'funcref', ...). */
  signature?: Signature;
}

export interface ExportDescription {
  name: string;
  kind: ExternKind;
  signature?: Signature;
}

export interface MemoryDescription {
  /** Sizes in 64 KiB pages. */
  minPages: number;
  maxPages: number | undefined;
  shared: boolean;
  memory64: boolean;
  imported: boolean;
}

export interface TableDescription {
  min: number;
  max: number | undefined;
  imported: boolean;
}

export interface ModuleDescription {
  imports: ImportDescription[];
  exports: ExportDescription[];
  memories: MemoryDescription[];
  tables: TableDescription[];
  hasStart: boolean;
  /** Names of custom sections, in order. */
  customSections: string[];
}

function signature(t: FuncType | null | undefined): Signature | undefined {
  if (!t) return undefined;
  return {
    params: t.params.map((v) => valTypeName(v.code)),
    results: t.results.map((v) => valTypeName(v.code)),
  };
}

function memory(l: Limits, imported: boolean): MemoryDescription {
  return { minPages: l.min, maxPages: l.max, shared: l.shared, memory64: l.is64, imported };
}

/**
 * Lists a core module's interface without compiling it or reading its code: what it imports
 * and exports, its memories and tables, whether it has a start function, and its custom
 * sections. Cheap enough to run on every upload before anything else; malformed bytes give a
 * rejection saying where.
 */
export function describeModule(bytes: Uint8Array): Result<ModuleDescription, MeterRejection> {
  let m: ReturnType<typeof parseModule>;
  try {
    m = parseModule(bytes, { deep: false, skipCode: true });
  } catch (e) {
    if (e instanceof MalformedError) return err(fromMalformed(e));
    throw e;
  }
  const memories: MemoryDescription[] = [];
  const tables: TableDescription[] = [];
  const imports: ImportDescription[] = m.imports.map((imp) => {
    const d: ImportDescription = { module: imp.module, name: imp.name, kind: imp.kind };
    if (imp.kind === 'function') d.signature = signature(m.types[imp.typeIndex!]);
    if (imp.kind === 'memory') memories.push(memory(imp.limits!, true));
    if (imp.kind === 'table') tables.push({ min: imp.limits!.min, max: imp.limits!.max, imported: true });
    return d;
  });
  for (const mem of m.memories) memories.push(memory(mem.limits, false));
  for (const t of m.tables) tables.push({ min: t.limits.min, max: t.limits.max, imported: false });
  const exports: ExportDescription[] = m.exports.map((e) => {
    const d: ExportDescription = { name: e.name, kind: e.kind };
    if (e.kind === 'function') {
      const ti = m.funcTypes[e.index];
      if (ti !== undefined) d.signature = signature(m.types[ti]);
    }
    return d;
  });
  return ok({
    imports,
    exports,
    memories,
    tables,
    hasStart: m.start !== undefined,
    customSections: m.sections.filter((s) => s.id === 0).map((s) => s.name ?? ''),
  });
}
