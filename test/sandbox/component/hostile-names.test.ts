import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watToWasm } from '../../../scripts/bots/compile.js';
import { componentWithName, HOSTILE_NAMES, NAME_POSITIONS, placeholderFor } from '../../hostile/names.js';
import { playPrepared, useArtifacts } from './helpers.js';

/**
 * Issue 9: nothing an upload contains reaches generated code except as data. Every hostile name
 * of the generated corpus (test/hostile/names.ts) at every position is either refused at upload
 * with a message in plain words, or (custom sections, which no generator reads) accepted: then the
 * bot plays, and the bindings jco generates for it contain none of the hostile bytes.
 */
const artifacts = useArtifacts();
const prepare = artifacts.prepare;

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function glueOf(bytes: Uint8Array): Promise<{ dir: string; glue: Buffer }> {
  const bound = await prepare(bytes, 'bindings');
  if (!bound.ok) throw new Error(bound.error.message);
  return {
    dir: bound.value.dir,
    glue: readFileSync(path.join(bound.value.dir, bound.value.manifest.glue as string)),
  };
}

async function playsPaper(artifactDir: string): Promise<string> {
  const record = await playPrepared(artifactDir, { seed: 'names' });
  expect(record.faults).toEqual([]);
  return record.log.moves[0] as string;
}

describe('a hostile name anywhere in a component is refused, or inert', () => {
  for (const position of NAME_POSITIONS) {
    const verdict = position.inert
      ? 'accepted: the bot plays and no generated code contains the name'
      : 'refused at upload, in plain words';
    it(`${position.where} (${position.id}): ${verdict}`, async () => {
      for (const name of HOSTILE_NAMES) {
        const bytes = await componentWithName(position, name.bytes, watToWasm);
        const result = await prepare(bytes);
        if (!position.inert) {
          expect(result.ok, `${name.id} was accepted`).toBe(false);
          if (result.ok) continue;
          expect(result.error.code, name.id).toBe('bad-name');
          const { message } = result.error;
          expect(message, name.id).toMatch(/name/);
          // The message is safe to show anywhere: printable ASCII and a bounded length.
          expect(message, name.id).toMatch(/^[\x20-\x7e…]*$/);
          expect(message.length, name.id).toBeLessThan(700);
          continue;
        }
        if (!result.ok) {
          // Only a custom section *named* with invalid UTF-8 may be refused (the wasm spec
          // requires section names to be text), and then in plain words.
          expect(name.id, result.error.message).toBe('invalid-utf8');
          expect(result.error.message).toMatch(/^A custom section .* not valid UTF-8 text/);
          continue;
        }
        expect(await playsPaper(result.value.dir), name.id).toBe('P'.repeat(20));
        // The same component forced through jco's bindings: the generated script is exactly the one
        // generated for a harmless name of the same length, so nothing of the name reached it.
        const bound = await glueOf(bytes);
        const benign = await glueOf(
          await componentWithName(position, new TextEncoder().encode(placeholderFor(name.bytes)), watToWasm),
        );
        expect(bound.glue.equals(benign.glue), `${name.id} changed the generated bindings`).toBe(true);
        expect(contains(bound.glue, name.bytes) && !contains(benign.glue, name.bytes), name.id).toBe(false);
        expect(await playsPaper(bound.dir), name.id).toBe('P'.repeat(20));
      }
      expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    }, 120_000);
  }
});
