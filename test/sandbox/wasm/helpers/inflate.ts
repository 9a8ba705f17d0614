import { Reader, Writer } from '../../../../src/sandbox/wasm/bytes.js';
import { parseModule, SectionId } from '../../../../src/sandbox/wasm/module.js';

/**
 * Makes a bigger valid module from a real one by appending copies of its function bodies as new
 * functions (same types; calls inside still target the originals, so everything stays valid).
 * Gives instrument-time benchmarks realistic code at any size.
 */
export function inflateModule(bytes: Uint8Array, targetBytes: number): Uint8Array {
  const m = parseModule(bytes, { deep: false, skipCode: false });
  const codeBytes = m.bodies.reduce((s, b) => s + (b.end - b.start), 0);
  const copies = Math.max(0, Math.ceil((targetBytes - bytes.length) / Math.max(1, codeBytes)));
  const defined = m.funcTypes.slice(m.importedFunctions);
  const out = new Writer(bytes.length * (copies + 1));
  out.copy(bytes, 0, 8);
  for (const s of m.sections) {
    if (s.id === SectionId.function) {
      const w = new Writer(defined.length * 3 * (copies + 1));
      w.u32(defined.length * (copies + 1));
      for (let c = 0; c <= copies; c++) for (const t of defined) w.u32(t);
      out.u8(s.id);
      out.sized(w);
    } else if (s.id === SectionId.code) {
      const r = new Reader(bytes, s.payloadStart, s.end);
      r.u32();
      const w = new Writer((s.end - s.payloadStart) * (copies + 1));
      w.u32(m.bodies.length * (copies + 1));
      for (let c = 0; c <= copies; c++) {
        for (const b of m.bodies) {
          w.u32(b.end - b.start);
          w.copy(bytes, b.start, b.end);
        }
      }
      out.u8(s.id);
      out.sized(w);
    } else {
      out.copy(bytes, s.start, s.end);
    }
  }
  return out.bytes();
}
