import { COMPONENT_PREAMBLE, type ComponentScope } from './scope.js';

/**
 * The component without its custom sections, at every nesting level (name sections, producers,
 * anything a toolchain or an attacker put there). Only the bindings path needs this: it is what
 * jco is given, so nothing in a custom section can reach the code jco generates. Core modules are
 * copied as they are: their custom sections go to V8 as bytes, never into generated code.
 */
export function stripCustomSections(bytes: Uint8Array, scope: ComponentScope): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from(COMPONENT_PREAMBLE)];
  let nested = 0;
  for (const section of scope.sections) {
    if (section.id === 0) continue;
    if (section.id === 4) {
      const child = scope.nested[nested++];
      if (!child) throw new Error('a nested component section without its scope');
      const inner = stripCustomSections(bytes, child);
      parts.push(Uint8Array.of(4, ...leb128(inner.length)), inner);
    } else {
      parts.push(bytes.subarray(section.headerStart, section.end));
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function leb128(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}
