/**
 * Test helpers: what kind of wasm binary a file is, read from its preamble. Bytes 4-7 are the
 * version (01 00 00 00) for a core module; a component has version 0d 00 and layer 01 00.
 */
export type WasmLayer = 'module' | 'component' | 'not-wasm';

export function wasmLayer(bytes: Uint8Array): WasmLayer {
  const magic = bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic || bytes.length < 8) return 'not-wasm';
  if (bytes[6] === 0x00 && bytes[7] === 0x00) return 'module';
  if (bytes[6] === 0x01 && bytes[7] === 0x00) return 'component';
  return 'not-wasm';
}

/** The six i32s `play(round-state)` lowers to, for calling a WAT bot's core module directly. */
export function playArgs(
  round: number,
  total: number,
  myLast: number | null,
  theirLast: number | null,
): [number, number, number, number, number, number] {
  return [round, total, myLast === null ? 0 : 1, myLast ?? 0, theirLast === null ? 0 : 1, theirLast ?? 0];
}
