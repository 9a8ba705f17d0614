import type { Reader } from './bytes.js';
import { ATOMIC, GC, Imm, K, MAIN, MISC, type OpTable, SIMD } from './opcodes.js';
import { type FuncType, readHeapType, readValType, type TypeFeatures, V128 } from './types.js';

/** What the decoder needs to know about the module to give calls and blocks their arity. */
export interface CodeContext {
  /** Type index space (null for GC struct/array types). */
  types: readonly (FuncType | null)[];
  /** Type index of every function, imported ones first. */
  funcTypes: readonly number[];
  /** Type index of every tag (exception), imported ones first. */
  tagTypes: readonly number[];
  features: TypeFeatures;
}

/**
 * Decodes one instruction at a time into reusable fields (no allocation per instruction: a
 * 10 MB module has millions of them).
 *
 * After `next()`: `kind` says what metering must do, `pops`/`pushes` give the operand stack
 * effect of non-control instructions, `index` is the first immediate that matters (label depth,
 * function, type or tag index), `blockParams`/`blockResults` the arity of a block type.
 */
export class InstrDecoder {
  start = 0;
  kind = 0;
  pops = 0;
  pushes = 0;
  index = 0;
  blockParams = 0;
  blockResults = 0;
  /** The instruction touches v128 values (SIMD op, v128 block type or typed select). */
  simd = false;
  /** See OpTable.loopHeavy. */
  loopHeavy = false;
  /** See OpTable.nan: the result needs NaN canonicalisation (a Nan constant). */
  nan = 0;
  /** try_table: the label of each catch clause (the first `catchCount` entries). */
  readonly catchLabels: number[] = [];
  catchCount = 0;
  table: OpTable = MAIN;
  op = 0;

  constructor(
    readonly r: Reader,
    readonly ctx: CodeContext,
  ) {}

  /** Decodes the instruction at the reader's position and advances past it. */
  next(): void {
    const r = this.r;
    this.start = r.pos;
    this.simd = false;
    let op = r.u8();
    let table = MAIN;
    if (op >= 0xfb) {
      table = op === 0xfb ? GC : op === 0xfc ? MISC : op === 0xfd ? SIMD : ATOMIC;
      op = r.u32();
      if (op >= table.kind.length) {
        this.table = table;
        this.op = op;
        this.kind = K.invalid;
        return;
      }
      if (table === SIMD) this.simd = true;
    }
    this.table = table;
    this.op = op;
    const kind = table.kind[op]!;
    this.kind = kind;
    if (kind === K.invalid) return;
    this.pops = table.pops[op]!;
    this.pushes = table.pushes[op]!;
    this.loopHeavy = table.loopHeavy[op] === 1;
    this.nan = table.nan[op]!;
    switch (table.imm[op]) {
      case Imm.none:
        break;
      case Imm.u32:
        this.index = r.u32();
        break;
      case Imm.u32x2:
        this.index = r.u32();
        r.u32();
        break;
      case Imm.blockType:
        this.readBlockType();
        break;
      case Imm.brTable: {
        const n = r.count('br_table label');
        for (let i = 0; i < n; i++) r.u32();
        this.index = r.u32();
        break;
      }
      case Imm.memarg:
        this.readMemarg();
        break;
      case Imm.memIndex:
        r.u32();
        break;
      case Imm.i32:
        r.skipSigned(32);
        break;
      case Imm.i64:
        r.skipSigned(64);
        break;
      case Imm.f32:
        r.skip(4);
        break;
      case Imm.f64:
        r.skip(8);
        break;
      case Imm.v128:
      case Imm.shuffle:
        r.skip(16);
        break;
      case Imm.lane:
        r.skip(1);
        break;
      case Imm.memargLane:
        this.readMemarg();
        r.skip(1);
        break;
      case Imm.byte:
        r.skip(1);
        break;
      case Imm.selectT: {
        const n = r.count('select type');
        for (let i = 0; i < n; i++) {
          if (readValType(r, this.ctx.features).code === V128) this.simd = true;
        }
        break;
      }
      case Imm.heapType:
        readHeapType(r, this.ctx.features);
        break;
      case Imm.tryTable: {
        this.readBlockType();
        const n = r.count('try_table catch clause', 2);
        this.catchCount = n;
        for (let i = 0; i < n; i++) {
          const at = r.pos;
          const clause = r.u8();
          if (clause > 3) r.fail('unknown try_table catch clause', at);
          if (clause < 2) r.u32(); // tag
          this.catchLabels[i] = r.u32();
        }
        break;
      }
      case Imm.brOnCast:
        r.skip(1);
        this.index = r.u32();
        readHeapType(r, this.ctx.features);
        readHeapType(r, this.ctx.features);
        break;
      default:
        throw new Error(`bug: immediate kind ${table.imm[op]} has no decoder`);
    }
    this.arity(kind);
  }

  /** Human-readable instruction name for messages. */
  name(): string {
    const prefix =
      this.table === MAIN ? '' : this.table === MISC ? '0xfc ' : this.table === SIMD ? '0xfd ' : '';
    return this.table.names[this.op] || `${prefix}0x${this.op.toString(16)}`;
  }

  private readMemarg(): void {
    const r = this.r;
    const flags = r.u32();
    if (flags & 0x40) r.u32(); // multi-memory: explicit memory index
    r.u32(); // offset (memory64 modules are rejected before code is decoded)
  }

  private readBlockType(): void {
    const r = this.r;
    const b = r.peek();
    if (b === 0x40) {
      r.pos++;
      this.blockParams = 0;
      this.blockResults = 0;
      return;
    }
    if ((b & 0xc0) === 0x40) {
      const t = readValType(r, this.ctx.features);
      this.blockParams = 0;
      this.blockResults = 1;
      if (t.code === V128) this.simd = true;
      return;
    }
    const at = r.pos;
    const idx = r.s33();
    const ft = this.funcType(idx, at);
    this.blockParams = ft.params.length;
    this.blockResults = ft.results.length;
    if (ft.hasV128) this.simd = true;
  }

  private funcType(typeIndex: number, at: number): FuncType {
    const ft = this.ctx.types[typeIndex];
    if (!ft) this.r.fail(`type ${typeIndex} is not a function type`, at);
    return ft;
  }

  /** Stack effect of calls and throws, which depends on the callee's or tag's type. */
  private arity(kind: number): void {
    switch (kind) {
      case K.call:
      case K.returnCall: {
        const ti = this.ctx.funcTypes[this.index];
        if (ti === undefined) this.r.fail(`call to function ${this.index}, which does not exist`, this.start);
        this.setCallArity(this.funcType(ti, this.start), 0);
        break;
      }
      case K.callIndirect:
      case K.returnCallIndirect:
      case K.callRef:
      case K.returnCallRef:
        this.setCallArity(this.funcType(this.index, this.start), 1);
        break;
      case K.throw:
      case K.catch: {
        const ti = this.ctx.tagTypes[this.index];
        if (ti === undefined) this.r.fail(`tag ${this.index} does not exist`, this.start);
        const ft = this.funcType(ti, this.start);
        if (ft.hasV128) this.simd = true;
        // A throw pops the tag's values; a catch pushes them.
        this.pops = kind === K.throw ? ft.params.length : 0;
        this.pushes = kind === K.catch ? ft.params.length : 0;
        break;
      }
    }
  }

  private setCallArity(ft: FuncType, extra: number): void {
    this.pops = ft.params.length + extra;
    this.pushes = ft.results.length;
    if (ft.hasV128) this.simd = true;
  }
}
