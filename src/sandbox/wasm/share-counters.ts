import { Reader, Writer } from './bytes.js';
import { FUEL_EXPORT, STACK_EXPORT } from './check.js';
import { InstrDecoder } from './instructions.js';
import { type ModuleInfo, parseModule, SECTION_ORDER, SectionId } from './module.js';
import { MAIN } from './opcodes.js';
import { readRefType, readValType } from './types.js';

/**
 * Where a module rewritten by `shareCounters` expects the bot's one fuel counter (mutable i64)
 * and one stack counter (mutable i32). The host creates them once per bot instance and hands
 * the same two globals to every core module of the bot.
 */
export const COUNTER_IMPORTS = { module: 'throwdown', fuel: 'fuel', stack: 'stack' } as const;

const GLOBAL_GET = 0x23;
const GLOBAL_SET = 0x24;
const END = 0x0b;

/**
 * Turns a metered module's own fuel and stack counters into imports, so that all core modules
 * of a component charge ONE counter: a move's budget bounds the bot, not each module, and one
 * start-up budget covers every start function together.
 *
 * Imported globals come before defined ones in the index space, so the two new imports (at the
 * end of the imported globals) shift every defined global up by two: every global index in
 * code, constant expressions and exports is renumbered. The module's own counter definitions
 * stay in place, unused; the `throwdown_fuel` and `throwdown_stack` exports now name the
 * imports, so the host reads the shared counters through any instance as before. The `name`
 * section's global names are left as they are (debug information only).
 *
 * Input: the output of `instrument()` (valid, no GC); it is trusted to be well formed.
 */
export function shareCounters(metered: Uint8Array): Uint8Array {
  const m = parseModule(metered, { deep: false, skipCode: false });
  const fuelOld = exportedGlobal(m, FUEL_EXPORT);
  const stackOld = exportedGlobal(m, STACK_EXPORT);
  const firstDefined = m.importedGlobals;
  const remap = (i: number): number =>
    i < firstDefined ? i : i === fuelOld ? firstDefined : i === stackOld ? firstDefined + 1 : i + 2;
  const src = m.bytes;
  const exprs = new ExprRewriter(m, remap);

  const build: Record<number, (from: number, to: number) => Writer> = {
    [SectionId.import]: (from, to) => {
      const r = new Reader(src, from, to);
      const w = new Writer(to - from + 64);
      w.u32(r.u32() + 2);
      w.copy(src, r.pos, to);
      counterImports(w);
      return w;
    },
    [SectionId.global]: (from, to) =>
      eachEntry(src, from, to, (r, w) => {
        const at = r.pos;
        readValType(r, m.features);
        r.u8(); // mutability
        w.copy(src, at, r.pos);
        exprs.rewrite(r, w);
      }),
    [SectionId.export]: (from, to) =>
      eachEntry(src, from, to, (r, w) => {
        const at = r.pos;
        r.name();
        const kind = r.u8();
        w.copy(src, at, r.pos);
        const index = r.u32();
        w.u32(kind === 0x03 ? remap(index) : index);
      }),
    [SectionId.element]: (from, to) => eachEntry(src, from, to, (r, w) => elementSegment(r, w, m, exprs)),
    [SectionId.data]: (from, to) =>
      eachEntry(src, from, to, (r, w) => {
        const at = r.pos;
        const flags = r.u32();
        if (flags === 2) r.u32(); // memory index
        w.copy(src, at, r.pos);
        if (flags !== 1) exprs.rewrite(r, w);
        const start = r.pos;
        const len = r.u32();
        r.skip(len);
        w.copy(src, start, r.pos);
      }),
    [SectionId.code]: () => {
      const w = new Writer(src.length);
      w.u32(m.bodies.length);
      const body = new Writer(1 << 16);
      for (const b of m.bodies) {
        body.len = 0;
        const r = new Reader(src, b.start, b.end);
        const decls = r.u32();
        for (let i = 0; i < decls; i++) {
          r.u32();
          readValType(r, m.features);
        }
        body.copy(src, b.start, r.pos);
        exprs.rewriteCode(r, body, b.end);
        w.sized(body);
      }
      return w;
    },
  };

  const out = new Writer(src.length + 64);
  out.copy(src, 0, 8);
  let importsWritten = false;
  const emit = (id: number, payload: Writer) => {
    out.u8(id);
    out.sized(payload);
  };
  for (const s of m.sections) {
    if (
      s.id !== SectionId.custom &&
      !importsWritten &&
      SECTION_ORDER[s.id]! > SECTION_ORDER[SectionId.import]!
    ) {
      // The module had no import section: it gets one with just the counters.
      emit(SectionId.import, countersOnlyImports());
      importsWritten = true;
    }
    const rebuild = s.id === SectionId.custom ? undefined : build[s.id];
    if (rebuild) emit(s.id, rebuild(s.payloadStart, s.end));
    else out.copy(src, s.start, s.end);
    if (s.id === SectionId.import) importsWritten = true;
  }
  if (!importsWritten) emit(SectionId.import, countersOnlyImports());
  return out.bytes();
}

/**
 * Rewrites a section that is a vector of entries (global, export, element, data): the count as it
 * was, then each entry as `entry` copies it from `r` into `w`.
 */
function eachEntry(src: Uint8Array, from: number, to: number, entry: (r: Reader, w: Writer) => void): Writer {
  const r = new Reader(src, from, to);
  const w = new Writer(to - from + 16);
  const n = r.u32();
  w.u32(n);
  for (let i = 0; i < n; i++) entry(r, w);
  return w;
}

function exportedGlobal(m: ModuleInfo, name: string): number {
  const e = m.exports.find((x) => x.name === name && x.kind === 'global');
  if (!e) throw new Error(`bug: shareCounters needs a metered module (no ${name} export)`);
  return e.index;
}

function counterImports(w: Writer): void {
  w.name(COUNTER_IMPORTS.module);
  w.name(COUNTER_IMPORTS.fuel);
  w.raw([0x03, 0x7e, 0x01]); // global, i64, mutable
  w.name(COUNTER_IMPORTS.module);
  w.name(COUNTER_IMPORTS.stack);
  w.raw([0x03, 0x7f, 0x01]); // global, i32, mutable
}

/** The import section of a module that had none: the two counters alone. */
function countersOnlyImports(): Writer {
  const w = new Writer(64);
  w.u32(2);
  counterImports(w);
  return w;
}

/** One element segment (the eight encodings of the bulk-memory proposal), expressions renumbered. */
function elementSegment(r: Reader, w: Writer, m: ModuleInfo, exprs: ExprRewriter): void {
  const src = m.bytes;
  let at = r.pos;
  const flags = r.u32();
  const passiveOrDeclared = (flags & 1) !== 0;
  const explicitTable = (flags & 2) !== 0;
  const usesExprs = (flags & 4) !== 0;
  if (explicitTable && !passiveOrDeclared) r.u32(); // table index
  w.copy(src, at, r.pos);
  if (!passiveOrDeclared) exprs.rewrite(r, w);
  at = r.pos;
  if (passiveOrDeclared || explicitTable) {
    if (usesExprs) readRefType(r, m.features);
    else r.u8(); // elemkind
  }
  const n = r.u32();
  w.copy(src, at, r.pos);
  if (!usesExprs) {
    at = r.pos;
    for (let i = 0; i < n; i++) r.u32();
    w.copy(src, at, r.pos);
    return;
  }
  for (let i = 0; i < n; i++) exprs.rewrite(r, w);
}

/** Copies instructions, renumbering the immediates of global.get and global.set. */
class ExprRewriter {
  private readonly r: Reader;
  private readonly d: InstrDecoder;

  constructor(
    private readonly m: ModuleInfo,
    private readonly remap: (i: number) => number,
  ) {
    this.r = new Reader(m.bytes, 0, 0);
    this.d = new InstrDecoder(this.r, m);
  }

  /** A constant expression at `from`'s position, up to and including its `end`; advances `from`. */
  rewrite(from: Reader, w: Writer): void {
    this.r.pos = from.pos;
    this.r.end = from.end;
    const d = this.d;
    for (;;) {
      d.next();
      this.copyOne(w);
      if (d.table === MAIN && d.op === END) break;
    }
    from.pos = this.r.pos;
  }

  /** A function body's instructions from `from`'s position to `end`. */
  rewriteCode(from: Reader, w: Writer, end: number): void {
    this.r.pos = from.pos;
    this.r.end = end;
    while (this.r.pos < end) {
      this.d.next();
      this.copyOne(w);
    }
  }

  private copyOne(w: Writer): void {
    const d = this.d;
    if (d.table === MAIN && (d.op === GLOBAL_GET || d.op === GLOBAL_SET)) {
      w.u8(d.op);
      w.u32(this.remap(d.index));
    } else {
      w.copy(this.m.bytes, d.start, this.r.pos);
    }
  }
}
