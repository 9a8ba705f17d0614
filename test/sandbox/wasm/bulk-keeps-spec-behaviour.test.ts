import { describe, expect, it } from 'vitest';
import {
  BULK_FLAT_COST,
  BULK_MEMORY_SHIFT,
  GROW_FLAT_COST,
  GROW_PAGE_SHIFT,
  TABLE_ELEMENT_SHIFT,
} from '../../../src/sandbox/wasm/meter-function.js';
import { instantiateMetered, type MeteredInstance, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

/**
 * Bulk memory and table operations and grows cost a flat charge, then are charged by length,
 * but only for work they really do: out of bounds they trap (as out of bounds) before touching
 * anything, and a memory.grow or table.grow that fails returns -1 having done nothing. Metering must keep that at every budget, from just
 * enough for the instructions to the default per-move budget (spec test cases of this kind
 * used to die out of fuel).
 */

const DEFAULT_MOVE_FUEL = 20_000_000;
/**
 * Enough for the few instructions and the flat charge of each export below, far less than the
 * length charges of the large operations.
 */
const TINY = GROW_FLAT_COST + 50;
const BUDGETS = [TINY, 10_000, DEFAULT_MOVE_FUEL];

const MODULE = `(module
  (memory 1)
  (table $t 1 funcref)
  (table $u 10 funcref)
  (data $d "0123456789")
  (elem $e func $f $f $f)
  (func $f)
  (func (export "fill") (param $dst i32) (param $len i32)
    local.get $dst i32.const 7 local.get $len memory.fill)
  (func (export "copy") (param $dst i32) (param $src i32) (param $len i32)
    local.get $dst local.get $src local.get $len memory.copy)
  (func (export "init") (param $dst i32) (param $src i32) (param $len i32)
    local.get $dst local.get $src local.get $len memory.init $d)
  (func (export "grow") (param $delta i32) (result i32)
    ref.null func local.get $delta table.grow $t)
  (func (export "mgrow") (param $delta i32) (result i32)
    local.get $delta memory.grow)
  (func (export "tfill") (param $i i32) (param $len i32)
    local.get $i ref.null func local.get $len table.fill $u)
  (func (export "tcopy") (param $dst i32) (param $src i32) (param $len i32)
    local.get $dst local.get $src local.get $len table.copy $u $u)
  (func (export "tinit") (param $dst i32) (param $src i32) (param $len i32)
    local.get $dst local.get $src local.get $len table.init $u $e))`;

async function load(): Promise<MeteredInstance> {
  return instantiateMetered(await wat(MODULE));
}

function outcome(m: MeteredInstance, budget: number, f: () => unknown): { value?: unknown; kind?: string } {
  m.host.setBudget(budget, OPTIONS.stackBytes);
  try {
    return { value: f() };
  } catch (e) {
    expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
    return { kind: m.host.classifyTrap(e).kind };
  }
}

describe('bulk operations under metering', () => {
  it('trap as out of bounds, not out of fuel, at every budget', async () => {
    const m = await load();
    const e = m.exports;
    const cases: [string, () => unknown][] = [
      ['memory.fill past the end', () => e.fill!(65_000, 1_000)],
      ['memory.fill of 2 GiB', () => e.fill!(0, 0x7fff_ffff)],
      ['memory.fill of 4 GiB - 1', () => e.fill!(1, -1)],
      ['memory.copy past the end', () => e.copy!(0, 60_000, 10_000)],
      ['memory.copy of 3 GiB', () => e.copy!(0, 0, 0xc000_0000 | 0)],
      ['memory.init past the segment', () => e.init!(0, 5, 6)],
      ['memory.init of 1 GiB', () => e.init!(0, 0, 0x4000_0000)],
      ['table.fill past the end', () => e.tfill!(5, 6)],
      ['table.fill of 2^31 elements', () => e.tfill!(0, 0x7fff_ffff)],
      ['table.copy past the end', () => e.tcopy!(0, 1, 10)],
      ['table.init past the segment', () => e.tinit!(0, 1, 3)],
      ['table.init of 2^30 elements', () => e.tinit!(0, 0, 0x4000_0000)],
    ];
    for (const budget of BUDGETS) {
      for (const [what, f] of cases) {
        expect({ what, budget, ...outcome(m, budget, f) }).toEqual({ what, budget, kind: 'trap' });
      }
    }
  });

  it('a table.grow that fails returns -1 and costs only its flat charge', async () => {
    const m = await load();
    for (const budget of BUDGETS) {
      for (const delta of [OPTIONS.tableElements, 1_000_000, 0x7fff_ffff, -1]) {
        m.host.setBudget(budget, OPTIONS.stackBytes);
        expect(m.exports.grow!(delta)).toBe(-1);
        // ref.null, local.get, end: 3 instructions, table.grow's flat charge, no length charge.
        expect(budget - m.host.fuelLeft()).toBe(3 + GROW_FLAT_COST);
      }
    }
  });

  it('a table.grow that succeeds is charged per element', async () => {
    const m = await load();
    m.host.setBudget(DEFAULT_MOVE_FUEL, OPTIONS.stackBytes);
    expect(m.exports.grow!(800)).toBe(1);
    expect(DEFAULT_MOVE_FUEL - m.host.fuelLeft()).toBe(3 + GROW_FLAT_COST + (800 << TABLE_ELEMENT_SHIFT));
    // A budget too small for the work: the grow happens, then the move runs out of fuel.
    expect(outcome(m, TINY, () => m.exports.grow!(800))).toEqual({ kind: 'out-of-fuel' });
  });

  it('a memory.grow that fails returns -1 and costs only its flat charge', async () => {
    const m = await load();
    for (const budget of BUDGETS) {
      for (const delta of [OPTIONS.memoryPages, 65_536, 0x7fff_ffff, -1]) {
        m.host.setBudget(budget, OPTIONS.stackBytes);
        expect(m.exports.mgrow!(delta)).toBe(-1);
        // local.get, end: 2 instructions, memory.grow's flat charge, no page charge.
        expect(budget - m.host.fuelLeft()).toBe(2 + GROW_FLAT_COST);
      }
    }
  });

  it('a memory.grow that succeeds is charged per page, one of 0 pages only its flat charge', async () => {
    const m = await load();
    for (const pages of [0, 1, 3]) {
      m.host.setBudget(DEFAULT_MOVE_FUEL, OPTIONS.stackBytes);
      const before = m.exports.mgrow!(0) as number;
      m.host.setBudget(DEFAULT_MOVE_FUEL, OPTIONS.stackBytes);
      expect(m.exports.mgrow!(pages)).toBe(before);
      expect(DEFAULT_MOVE_FUEL - m.host.fuelLeft()).toBe(2 + GROW_FLAT_COST + pages * (1 << GROW_PAGE_SHIFT));
    }
    expect(outcome(m, TINY, () => m.exports.mgrow!(1))).toEqual({ kind: 'out-of-fuel' });
  });

  it('table operations are charged per element, memory operations per 2^BULK_MEMORY_SHIFT bytes', async () => {
    const m = await load();
    const used = (f: () => unknown) => {
      m.host.setBudget(DEFAULT_MOVE_FUEL, OPTIONS.stackBytes);
      f();
      return DEFAULT_MOVE_FUEL - m.host.fuelLeft();
    };
    // Each export: its local.gets (and ref.null) and end, the operation's flat charge, the length.
    const flat = 4 + BULK_FLAT_COST;
    expect(used(() => m.exports.tfill!(0, 7))).toBe(flat + (7 << TABLE_ELEMENT_SHIFT));
    expect(used(() => m.exports.tcopy!(0, 2, 8))).toBe(flat + (8 << TABLE_ELEMENT_SHIFT));
    expect(used(() => m.exports.tinit!(0, 0, 3))).toBe(flat + (3 << TABLE_ELEMENT_SHIFT));
    expect(used(() => m.exports.copy!(0, 100, 1000))).toBe(flat + (1000 >> BULK_MEMORY_SHIFT));
    expect(used(() => m.exports.init!(0, 2, 8))).toBe(flat + (8 >> BULK_MEMORY_SHIFT));
  });

  it('successful operations are still charged by length and run out of fuel', async () => {
    const m = await load();
    for (const len of [0, 64, 65_536]) {
      m.host.setBudget(DEFAULT_MOVE_FUEL, OPTIONS.stackBytes);
      m.exports.fill!(0, len);
      expect(DEFAULT_MOVE_FUEL - m.host.fuelLeft()).toBe(4 + BULK_FLAT_COST + (len >> BULK_MEMORY_SHIFT));
    }
    expect(outcome(m, TINY, () => m.exports.fill!(0, 65_536))).toEqual({ kind: 'out-of-fuel' });
    expect(outcome(m, TINY, () => m.exports.copy!(0, 100, 60_000))).toEqual({ kind: 'out-of-fuel' });
    expect(outcome(m, TINY, () => m.exports.tfill!(0, 10))).toEqual({ kind: 'out-of-fuel' });
    expect(outcome(m, TINY, () => m.exports.tfill!(0, 1))).toEqual({ value: undefined });
  });
});
