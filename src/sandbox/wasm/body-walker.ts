import type { Reader } from './bytes.js';
import { type CodeContext, InstrDecoder } from './instructions.js';
import { K } from './opcodes.js';

/** What starts after an instruction. */
export const Seg = {
  none: 0,
  /** A new basic block: charge it. */
  block: 1,
  /** A loop header: charge it and check the fuel (the only place besides function entry). */
  loop: 2,
} as const;

/**
 * Walks one function body instruction by instruction, tracking the control stack, whether code
 * is reachable, where basic blocks start, and the operand stack height.
 *
 * Both metering passes (count, then rewrite) use this walker, so they agree exactly on where
 * blocks start. Code after an unconditional transfer (br, br_table, return, unreachable, throw,
 * rethrow, return_call*) up to the end of its block is dead: the validator proves it never runs,
 * so it is neither counted nor instrumented.
 *
 * A new block starts after loop, if, else, end, br_if, br_on_null/non_null, catch, catch_all
 * and delegate. block, try and try_table do not start one: their first instruction is reached
 * only by falling through, so it belongs to the block that was already charged.
 *
 * try_table's catch clauses branch to labels outside it: where such a label's code continues
 * (after the `end` of a block, if or try, or at a loop's header) is a landing pad too. The
 * walker reports the `end` ones as `landing`, and the loop ones through `loopLandings` (the
 * loop header was passed before the try_table, so the caller must go back to it).
 */
export class BodyWalker {
  readonly d: InstrDecoder;
  /** Control frames: parallel arrays indexed by depth (0 = the function itself). */
  private fLive: boolean[] = [];
  private fBase: number[] = [];
  private fParams: number[] = [];
  private fResults: number[] = [];
  private fLoop: boolean[] = [];
  /** A try_table catch clause lands at this frame's label. */
  private fCatchTarget: boolean[] = [];
  /** Caller's tag for each frame (set with tagFrame: e.g. where a loop's header event is). */
  private fTag: number[] = [];
  private depth = 0;
  private loops = 0;

  live = true;
  height = 0;
  maxHeight = 0;
  /** Whether the last instruction runs (it was reachable). */
  wasLive = true;
  segmentAfter: number = Seg.none;
  /** The last instruction was a catch/catch_all that can be reached: a landing pad. */
  landing = false;
  /** The last instruction was the function's final `end`. */
  functionEnd = false;
  /** Any instruction or type in the body uses v128. */
  simd = false;
  /** Reachable instructions flagged OpTable.loopHeavy inside a loop. */
  loopHeavy = 0;
  /** Any reachable try_table. */
  tryTable = false;
  /** Tags (see tagFrame) of loops a try_table catch clause lands at; the caller drains it. */
  readonly loopLandings: number[] = [];

  constructor(r: Reader, ctx: CodeContext, results: number) {
    this.d = new InstrDecoder(r, ctx);
    this.reset(results);
  }

  /** Starts over at the reader's position, for a body whose function returns `results` values. */
  reset(results: number): void {
    this.depth = 0;
    this.loops = 0;
    this.live = true;
    this.height = 0;
    this.maxHeight = 0;
    this.wasLive = true;
    this.segmentAfter = Seg.none;
    this.landing = false;
    this.functionEnd = false;
    this.simd = false;
    this.loopHeavy = 0;
    this.tryTable = false;
    this.loopLandings.length = 0;
    this.push(true, 0, 0, results);
  }

  private push(live: boolean, base: number, params: number, results: number, loop = false): void {
    const i = this.depth++;
    this.fLoop[i] = loop;
    this.fCatchTarget[i] = false;
    this.fTag[i] = -1;
    if (loop) this.loops++;
    this.fLive[i] = live;
    this.fBase[i] = base;
    this.fParams[i] = params;
    this.fResults[i] = results;
  }

  /** block, loop, try, try_table: a new frame; a loop header starts a segment. */
  private pushBlock(kind: number, live: boolean): void {
    const d = this.d;
    if (live) this.pop(d.blockParams);
    this.push(live, this.height, d.blockParams, d.blockResults, kind === K.loop);
    if (live) {
      this.pushValues(d.blockParams);
      if (kind === K.loop) this.segmentAfter = Seg.loop;
    }
  }

  /** A try_table's catch clauses: their labels (relative to the frames outside it) become landings. */
  private markCatchTargets(): void {
    const d = this.d;
    this.tryTable = true;
    for (let c = 0; c < d.catchCount; c++) {
      const target = this.depth - 1 - d.catchLabels[c]!;
      if (target < 0) d.r.fail(`try_table catch label ${d.catchLabels[c]} out of range`, d.start);
      if (target === 0) continue; // the function's own label: its exit restores everything
      if (this.fLoop[target]) this.loopLandings.push(this.fTag[target]!);
      else this.fCatchTarget[target] = true;
    }
  }

  /** Tags the innermost control frame (the one the last instruction opened). */
  tagFrame(tag: number): void {
    this.fTag[this.depth - 1] = tag;
  }

  private pop(n: number): void {
    this.height -= n;
    if (this.height < this.fBase[this.depth - 1]!) {
      throw new Error(
        `bug: operand stack underflow at byte 0x${this.d.start.toString(16)} (${this.d.name()})`,
      );
    }
  }

  private pushValues(n: number): void {
    this.height += n;
    if (this.height > this.maxHeight) this.maxHeight = this.height;
  }

  /** The current arm of the innermost frame ends: its results must be exactly on the stack. */
  private checkArmEnd(): void {
    const i = this.depth - 1;
    if (this.live && this.height !== this.fBase[i]! + this.fResults[i]!) {
      throw new Error(
        `bug: operand stack height ${this.height} at byte 0x${this.d.start.toString(16)}, expected ${this.fBase[i]! + this.fResults[i]!}`,
      );
    }
  }

  /**
   * Decodes and applies the next instruction. Returns its kind; kinds the sandbox rejects
   * (K.invalid, K.gc, K.relaxedSimd, K.atomicWait) are returned before anything else is done,
   * and the walk must stop there.
   */
  step(): number {
    const d = this.d;
    d.next();
    const kind = d.kind;
    this.wasLive = this.live;
    this.segmentAfter = Seg.none;
    this.landing = false;
    if (d.simd) this.simd = true;
    const live = this.live;
    switch (kind) {
      case K.plain:
      case K.bulkMemory:
      case K.bulkTable:
      case K.call:
      case K.callIndirect:
      case K.callRef:
        if (live) {
          this.pop(d.pops);
          this.pushValues(d.pushes);
          if (d.loopHeavy && this.loops > 0) this.loopHeavy++;
        }
        break;
      case K.tryTable:
        if (live) this.markCatchTargets();
        this.pushBlock(kind, live);
        break;
      case K.block:
      case K.try:
      case K.loop:
        this.pushBlock(kind, live);
        break;
      case K.if:
        if (live) this.pop(1 + d.blockParams);
        this.push(live, this.height, d.blockParams, d.blockResults);
        if (live) {
          this.pushValues(d.blockParams);
          this.segmentAfter = Seg.block;
        }
        break;
      case K.else:
      case K.catch:
      case K.catchAll: {
        if (this.depth < 2) d.r.fail(`${d.name()} outside a block`, d.start);
        this.checkArmEnd();
        const i = this.depth - 1;
        this.live = this.fLive[i]!;
        this.height = this.fBase[i]!;
        if (this.live) {
          this.pushValues(kind === K.else ? this.fParams[i]! : d.pushes);
          this.segmentAfter = Seg.block;
          this.landing = kind !== K.else;
        }
        break;
      }
      case K.end:
      case K.delegate: {
        this.checkArmEnd();
        const i = --this.depth;
        if (this.fLoop[i]) this.loops--;
        this.live = this.fLive[i]!;
        this.height = this.fBase[i]!;
        if (this.live) this.pushValues(this.fResults[i]!);
        this.functionEnd = this.depth === 0;
        if (this.live && !this.functionEnd) {
          this.segmentAfter = Seg.block;
          this.landing = this.fCatchTarget[i]!;
        }
        break;
      }
      case K.brIf:
        if (live) {
          this.pop(1);
          this.segmentAfter = Seg.block;
        }
        break;
      case K.brOnNull:
        // Pops a reference; falls through with it (now non-null) when it is not null.
        if (live) this.segmentAfter = Seg.block;
        break;
      case K.brOnNonNull:
        if (live) {
          this.pop(1);
          this.segmentAfter = Seg.block;
        }
        break;
      case K.br:
      case K.return:
      case K.unreachable:
      case K.rethrow:
        this.live = false;
        break;
      case K.brTable:
      case K.throwRef:
        if (live) this.pop(1);
        this.live = false;
        break;
      case K.throw:
      case K.returnCall:
      case K.returnCallIndirect:
      case K.returnCallRef:
        if (live) this.pop(d.pops);
        this.live = false;
        break;
      default:
        // Rejected kinds: the caller stops here.
        return kind;
    }
    return kind;
  }
}
