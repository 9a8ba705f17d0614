import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wat } from './wat.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../programs');

/** Assembles one of the WAT programs in test/sandbox/wasm/programs. */
export function program(name: string): Promise<Uint8Array> {
  return wat(readFileSync(join(dir, `${name}.wat`), 'utf8'));
}
