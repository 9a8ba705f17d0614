import { customType } from 'drizzle-orm/pg-core';

/**
 * drizzle 0.45 has no built-in bytea. postgres.js hands back a Buffer and PGlite a Uint8Array;
 * both are Uint8Arrays, so readers copy into a fresh `Uint8Array<ArrayBuffer>`, the type
 * `WebAssembly.compile` and `zlib` accept without a cast and that owns no pooled memory.
 */
export const bytea = customType<{ data: Uint8Array<ArrayBuffer>; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => toOwnedBytes(value),
});

/**
 * Relational (nested) queries return bytea as `\x..` hex text instead of bytes; decode that too so
 * a caller never sees the difference.
 */
export function toOwnedBytes(value: Uint8Array | string): Uint8Array<ArrayBuffer> {
  if (typeof value === 'string') {
    const hex = value.startsWith('\\x') ? value.slice(2) : value;
    return new Uint8Array(Buffer.from(hex, 'hex'));
  }
  const copy = new Uint8Array(value.byteLength);
  copy.set(value);
  return copy;
}
