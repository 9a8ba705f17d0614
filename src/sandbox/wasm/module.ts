import { MalformedError, Reader } from './bytes.js';
import { type CodeContext, InstrDecoder } from './instructions.js';
import { K } from './opcodes.js';
import {
  type FuncType,
  readRefType,
  readTypeSection,
  readValType,
  type TypeFeatures,
  V128,
} from './types.js';

/**
 * Section-level reader for core modules: where every section is, and the parts of the module
 * that metering and the import/export checks need (types, imports, memories, tables, globals,
 * exports, start, function bodies). Vectors are never preallocated from a declared count, and
 * every count is checked against the bytes left, so a module that declares four billion items
 * fails at once instead of allocating.
 */

export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

const SECTION_NAMES = [
  'custom',
  'type',
  'import',
  'function',
  'table',
  'memory',
  'global',
  'export',
  'start',
  'element',
  'code',
  'data',
  'data count',
  'tag',
];

/** Position of each known section in the required order (the tag section sits between memory and global). */
export const SECTION_ORDER: Readonly<Record<number, number>> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  13: 6,
  6: 7,
  7: 8,
  8: 9,
  9: 10,
  12: 11,
  10: 12,
  11: 13,
};

export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';
const EXTERN_KINDS: readonly ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];

export interface Section {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  /** First byte of the payload. */
  payloadStart: number;
  /** One past the last byte of the payload. */
  end: number;
  /** Custom sections only. */
  name?: string;
}

export interface Limits {
  min: number;
  max: number | undefined;
  shared: boolean;
  is64: boolean;
  /** Custom page sizes proposal. */
  customPageSize: boolean;
}

export interface TableInfo {
  limits: Limits;
  /** Encoded element type (and the 0x40 0x00 prefix plus init expression, if present) around the limits. */
  prefixStart: number;
  prefixEnd: number;
  suffixStart: number;
  suffixEnd: number;
}

export interface MemoryInfo {
  limits: Limits;
}

export interface ImportInfo {
  module: string;
  name: string;
  kind: ExternKind;
  /** Function imports: their type index. */
  typeIndex?: number;
  /** Table and memory imports. */
  limits?: Limits;
  /** Table and memory imports: where their limits are encoded, to rewrite the maximum. */
  limitsStart?: number;
  limitsEnd?: number;
}

export interface ExportInfo {
  name: string;
  kind: ExternKind;
  index: number;
}

export interface Body {
  /** First byte of the body (its local declarations), after the size. */
  start: number;
  end: number;
}

export interface ModuleInfo extends CodeContext {
  bytes: Uint8Array;
  sections: Section[];
  imports: ImportInfo[];
  importedFunctions: number;
  importedGlobals: number;
  tables: TableInfo[];
  memories: MemoryInfo[];
  definedGlobals: number;
  exports: ExportInfo[];
  start: number | undefined;
  bodies: Body[];
  types: (FuncType | null)[];
  funcTypes: number[];
  tagTypes: number[];
  features: TypeFeatures;
  /** Some global holds a v128: global.get can then put 16-byte values on any function's stack. */
  hasV128Global: boolean;
}

export interface ParseOptions {
  /** Also decode element and data segments and every constant expression (structure check). */
  deep: boolean;
  /** Skip the code section's bodies entirely (describe: only the interface is needed). */
  skipCode: boolean;
}

const MAGIC = 0x6d736100; // "\0asm" little-endian

/** Reads a module's sections. Throws MalformedError (callers turn it into a rejection). */
export function parseModule(bytes: Uint8Array, options: ParseOptions): ModuleInfo {
  const r = new Reader(bytes);
  if (bytes.length < 8) r.fail('too short to be a WebAssembly module', 0);
  const magic = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  if (magic !== MAGIC) r.fail('not a WebAssembly module (wrong magic number)', 0);
  const version = bytes[4]! | (bytes[5]! << 8);
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (layer === 1) r.fail('this is a WebAssembly component, not a core module', 4);
  if (version !== 1 || layer !== 0) r.fail(`unsupported WebAssembly version ${version}`, 4);
  r.pos = 8;

  const m: ModuleInfo = {
    bytes,
    sections: [],
    imports: [],
    importedFunctions: 0,
    importedGlobals: 0,
    tables: [],
    memories: [],
    definedGlobals: 0,
    exports: [],
    start: undefined,
    bodies: [],
    types: [],
    funcTypes: [],
    tagTypes: [],
    features: { gc: false, stringref: false },
    hasV128Global: false,
  };
  let lastOrder = 0;
  let definedFunctions = 0;
  let sawCode = false;
  while (!r.atEnd()) {
    const start = r.pos;
    const id = r.u8();
    const sizeAt = r.pos;
    const size = r.u32();
    if (size > r.remaining) {
      r.fail(`the ${sectionName(id)} section claims ${size} bytes but only ${r.remaining} follow`, sizeAt);
    }
    const payloadStart = r.pos;
    const end = payloadStart + size;
    const section: Section = { id, start, payloadStart, end };
    if (id !== SectionId.custom) {
      const order = SECTION_ORDER[id];
      if (order === undefined) return r.fail(`unknown section id ${id}`, start);
      if (order <= lastOrder) r.fail(`the ${SECTION_NAMES[id]} section is duplicated or out of order`, start);
      lastOrder = order;
    }
    const s = new Reader(bytes, payloadStart, end);
    try {
      switch (id) {
        case SectionId.custom:
          section.name = customName(s);
          break;
        case SectionId.type:
          m.types = readTypeSection(s, m.features);
          break;
        case SectionId.import:
          readImports(s, m);
          break;
        case SectionId.function: {
          const n = s.count('function');
          definedFunctions = n;
          for (let i = 0; i < n; i++) m.funcTypes.push(typeIndex(s, m));
          break;
        }
        case SectionId.table: {
          const n = s.count('table', 2);
          for (let i = 0; i < n; i++) m.tables.push(readTable(s, m));
          break;
        }
        case SectionId.memory: {
          const n = s.count('memory');
          for (let i = 0; i < n; i++) m.memories.push({ limits: readLimits(s) });
          break;
        }
        case SectionId.tag: {
          const n = s.count('tag', 2);
          for (let i = 0; i < n; i++) m.tagTypes.push(readTag(s, m));
          break;
        }
        case SectionId.global: {
          const n = s.count('global', 3);
          for (let i = 0; i < n; i++) {
            if (readValType(s, m.features).code === V128) m.hasV128Global = true;
            const at = s.pos;
            if (s.u8() > 1) s.fail('mutability flag must be 0 or 1', at);
            constExpr(s, m);
          }
          m.definedGlobals = n;
          break;
        }
        case SectionId.export:
          readExports(s, m);
          break;
        case SectionId.start:
          m.start = s.u32();
          break;
        case SectionId.element:
          if (options.deep) readElements(s, m);
          else s.pos = end;
          break;
        case SectionId.dataCount:
          s.u32();
          break;
        case SectionId.code:
          sawCode = true;
          if (options.skipCode) {
            s.pos = end;
            break;
          }
          readBodies(s, m, definedFunctions);
          break;
        case SectionId.data:
          if (options.deep) readData(s, m);
          else s.pos = end;
          break;
      }
      if (!s.atEnd()) s.fail(`the ${SECTION_NAMES[id]} section has unexpected bytes at its end`);
    } catch (e) {
      if (e instanceof MalformedError && id !== SectionId.custom) {
        throw new MalformedError(e.offset, e.problem, `in the ${SECTION_NAMES[id]} section`);
      }
      throw e;
    }
    m.sections.push(section);
    r.pos = end;
  }
  if (!options.skipCode && definedFunctions > 0 && !sawCode) {
    r.fail(`${definedFunctions} functions are declared but the code section is missing`, bytes.length);
  }
  return m;
}

const lenientUtf8 = new TextDecoder('utf-8', { fatal: false });

/** Custom sections are ignored by engines, so a garbled name is kept rather than rejected. */
function customName(s: Reader): string {
  const len = s.u32();
  const n = Math.min(len, s.remaining);
  const name = lenientUtf8.decode(s.bytes.subarray(s.pos, s.pos + n));
  s.pos = s.end;
  return name;
}

function typeIndex(s: Reader, m: ModuleInfo): number {
  const at = s.pos;
  const i = s.u32();
  if (i >= m.types.length) s.fail(`type index ${i} is out of range`, at);
  return i;
}

function readTag(s: Reader, m: ModuleInfo): number {
  const at = s.pos;
  if (s.u8() !== 0) s.fail('unknown tag attribute', at);
  return typeIndex(s, m);
}

export function readLimits(s: Reader): Limits {
  const at = s.pos;
  const flags = s.u8();
  if (flags > 0x0f) s.fail(`unknown limits flags 0x${flags.toString(16)}`, at);
  const is64 = (flags & 0x04) !== 0;
  const min = is64 ? u64(s) : s.u32();
  const max = flags & 0x01 ? (is64 ? u64(s) : s.u32()) : undefined;
  if (flags & 0x08) s.u32(); // custom page size (log2)
  return { min, max, shared: (flags & 0x02) !== 0, is64, customPageSize: (flags & 0x08) !== 0 };
}

/** A 64-bit LEB as a (possibly rounded) number: only used to word a rejection. */
function u64(s: Reader): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const byte = s.u8();
    result += (byte & 0x7f) * mul;
    mul *= 128;
    if ((byte & 0x80) === 0) return result;
  }
  return s.fail('integer too large (more than 64 bits)');
}

function readTable(s: Reader, m: ModuleInfo): TableInfo {
  const prefixStart = s.pos;
  const withInit = s.peek() === 0x40;
  if (withInit) {
    s.u8();
    const at = s.pos;
    if (s.u8() !== 0) s.fail('reserved byte after 0x40 must be zero', at);
  }
  readRefType(s, m.features);
  const prefixEnd = s.pos;
  const limits = readLimits(s);
  const suffixStart = s.pos;
  if (withInit) constExpr(s, m);
  return { limits, prefixStart, prefixEnd, suffixStart, suffixEnd: s.pos };
}

function readImports(s: Reader, m: ModuleInfo): void {
  const n = s.count('import', 4);
  for (let i = 0; i < n; i++) {
    const module = s.name();
    const name = s.name();
    const at = s.pos;
    const k = s.u8();
    const kind = EXTERN_KINDS[k];
    if (kind === undefined) s.fail(`unknown import kind ${k}`, at);
    const imp: ImportInfo = { module, name, kind };
    switch (kind) {
      case 'function':
        imp.typeIndex = typeIndex(s, m);
        m.funcTypes.push(imp.typeIndex);
        m.importedFunctions++;
        break;
      case 'table':
      case 'memory':
        if (kind === 'table') readRefType(s, m.features);
        imp.limitsStart = s.pos;
        imp.limits = readLimits(s);
        imp.limitsEnd = s.pos;
        break;
      case 'global': {
        if (readValType(s, m.features).code === V128) m.hasV128Global = true;
        const mutAt = s.pos;
        if (s.u8() > 1) s.fail('mutability flag must be 0 or 1', mutAt);
        m.importedGlobals++;
        break;
      }
      case 'tag':
        m.tagTypes.push(readTag(s, m));
        break;
    }
    m.imports.push(imp);
  }
}

function readExports(s: Reader, m: ModuleInfo): void {
  const n = s.count('export', 3);
  for (let i = 0; i < n; i++) {
    const name = s.name();
    const at = s.pos;
    const k = s.u8();
    const kind = EXTERN_KINDS[k];
    if (kind === undefined) s.fail(`unknown export kind ${k}`, at);
    m.exports.push({ name, kind, index: s.u32() });
  }
}

function readBodies(s: Reader, m: ModuleInfo, declared: number): void {
  const at = s.pos;
  const n = s.count('function body');
  if (n !== declared) s.fail(`the code section has ${n} bodies but ${declared} functions are declared`, at);
  for (let i = 0; i < n; i++) {
    const size = s.count('function body size');
    if (size === 0) s.fail(`function body ${i} is empty`);
    m.bodies.push({ start: s.pos, end: s.pos + size });
    s.pos += size;
  }
}

/** A constant expression: instructions up to `end`. Blocks cannot occur in one, so no nesting. */
function constExpr(s: Reader, m: ModuleInfo): void {
  const d = new InstrDecoder(s, m);
  for (;;) {
    d.next();
    if (d.kind === K.invalid) s.fail(`unknown instruction ${d.name()} in a constant expression`, d.start);
    if (d.kind === K.end) return;
    if (d.kind !== K.plain)
      s.fail(`instruction ${d.name()} is not allowed in a constant expression`, d.start);
  }
}

function readElements(s: Reader, m: ModuleInfo): void {
  const n = s.count('element segment');
  for (let i = 0; i < n; i++) {
    const at = s.pos;
    const flags = s.u32();
    if (flags > 7) s.fail(`unknown element segment flags ${flags}`, at);
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    if (!passiveOrDeclarative) {
      if (explicitTable) s.u32();
      constExpr(s, m);
    }
    if (passiveOrDeclarative || explicitTable) {
      if (usesExprs) readRefType(s, m.features);
      else if (s.u8() !== 0) s.fail('unknown element kind', s.pos - 1);
    }
    const items = s.count('element');
    for (let j = 0; j < items; j++) {
      if (usesExprs) constExpr(s, m);
      else s.u32();
    }
  }
}

function readData(s: Reader, m: ModuleInfo): void {
  const n = s.count('data segment');
  for (let i = 0; i < n; i++) {
    const at = s.pos;
    const flags = s.u32();
    if (flags > 2) s.fail(`unknown data segment flags ${flags}`, at);
    if (flags === 2) s.u32();
    if (flags !== 1) constExpr(s, m);
    s.skip(s.count('data byte'));
  }
}

export function sectionName(id: number): string {
  return SECTION_NAMES[id] ?? `unknown (${id})`;
}
