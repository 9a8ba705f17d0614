import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';

const cache = new Map<string, Promise<Uint8Array>>();

/** Assembles WAT text into a core module (wasm-tools' parser, which knows every proposal). */
export function wat(text: string): Promise<Uint8Array> {
  let p = cache.get(text);
  if (!p) {
    p = parse(text);
    cache.set(text, p);
  }
  return p;
}
