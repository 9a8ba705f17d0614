import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { sha256Hex } from '../../src/sandbox/prepare/artifact.js';
import { createSandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import type { BotSource } from '../../src/sandbox/types.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Bytes of a bot built by `npm run build:bots` (the vitest global setup builds them). */
export function botBytes(file: string): Uint8Array {
  return new Uint8Array(
    readFileSync(path.join(root, 'bots/dist', file.endsWith('.wasm') ? file : `${file}.wasm`)),
  );
}

export function hostileBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(root, 'test/hostile/dist', file)));
}

export function wasmSource(name: string, bytes: Uint8Array): BotSource {
  return { kind: 'wasm', name, sha256: sha256Hex(bytes), bytes: async () => bytes };
}

/** A real sandbox (worker processes and all) with its own artifact directory, closed after the file. */
export function useSandbox(options: Partial<SandboxOptions> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-sandbox-'));
  const sandbox = createSandbox({ artifactsDir: path.join(dir, 'artifacts'), workers: 2, ...options });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return sandbox;
}
