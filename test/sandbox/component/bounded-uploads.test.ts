import { describe, expect, it } from 'vitest';
import { watToWasm } from '../../../scripts/bots/compile.js';
import { MAX_GLUE_BYTES } from '../../../src/sandbox/prepare/prepare.js';
import { prepareTools } from '../../../src/sandbox/workers/prepare-worker.js';
import { PLAYER_TYPES_WAT, typeBombWat } from '../../hostile/generate.js';
import { playPrepared, useArtifacts } from './helpers.js';

/**
 * Issue 11: a small upload cannot make preparing it large or slow. Types are measured as the
 * reader defines them, before any generator expands them; counts and nesting are capped; and the
 * bindings jco writes are capped in size. Each refusal says what was too big, in plain words.
 */
const artifacts = useArtifacts();

/** A player component (plays rock) with `extra` WAT at the top level. */
function playerWith(extra: string): string {
  return `(component
  ${PLAYER_TYPES_WAT}
  ${extra}
  (core module $m (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $i (instantiate $m))
  (type $ft (func (param "state" $r) (result $h)))
  (alias core export $i "play" (core func $p))
  (func $play (type $ft) (canon lift (core func $p)))
  (export "play" (func $play)))`;
}

async function refusal(wat: string) {
  const result = await artifacts.prepare(await watToWasm(wat));
  if (result.ok) throw new Error('accepted');
  return result.error;
}

describe('uploads are bounded', () => {
  it('refuses an exponentially large type in an extra export (the 705-byte upload of issue 11)', async () => {
    const bytes = await watToWasm(typeBombWat(40));
    expect(bytes.length).toBeLessThan(1000);
    for (const wiring of ['auto', 'bindings'] as const) {
      const result = await artifacts.prepare(bytes, wiring);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('too-complex');
      expect(result.error.message).toMatch(/too large: it expands to [\d,]+ parts/);
    }
  });

  it('refuses types nested too deep, even when small', async () => {
    let t = 'u8';
    const types: string[] = [];
    for (let i = 0; i < 40; i++) {
      types.push(`(type $l${i} (list ${t}))`);
      t = `$l${i}`;
    }
    const error = await refusal(playerWith(types.join('\n')));
    expect(error.code).toBe('too-complex');
    expect(error.message).toMatch(/nested 33 deep/);
  });

  it('refuses many functions whose types are each within bounds but add up', async () => {
    const error = await refusal(typeBombWat(11, 4));
    expect(error.code).toBe('too-complex');
    expect(error.message).toMatch(/types of its functions add up to more than 25,000 parts/);
  });

  it('refuses components nested more than 4 deep', async () => {
    const error = await refusal(playerWith('(component (component (component (component (component)))))'));
    expect(error).toMatchObject({
      code: 'too-complex',
      message: expect.stringContaining('nests components more than 4 deep'),
    });
  });

  it('refuses more than 100 core modules', async () => {
    const error = await refusal(playerWith('(core module)\n'.repeat(100)));
    expect(error).toMatchObject({
      code: 'too-complex',
      message: expect.stringContaining('more than 100 core modules'),
    });
  });

  it('accepts a large type under the caps, and its bindings stay under the glue cap', async () => {
    const bytes = await watToWasm(typeBombWat(8));
    const direct = await artifacts.prepare(bytes);
    const bound = await artifacts.prepare(bytes, 'bindings');
    expect(direct.ok && bound.ok).toBe(true);
    if (!direct.ok || !bound.ok) return;
    expect(direct.value.manifest.report.notes).toContain(
      'Exports bomb0 besides play; Throwdown never calls them.',
    );
    expect((await playPrepared(direct.value.dir)).log.moves[0]).toBe('R'.repeat(20));
    expect((await playPrepared(bound.value.dir)).log.moves[0]).toBe('R'.repeat(20));
  });

  it('refuses bindings larger than the cap', async () => {
    // jco itself, with its output padded past the cap: what a generator blow-up would look like.
    const padded = {
      ...prepareTools,
      toolchain: `${prepareTools.toolchain};padded`,
      async transpile(bytes: Uint8Array) {
        const out = await prepareTools.transpile(bytes);
        for (const [name, file] of Object.entries(out.files)) {
          if (!name.endsWith('.js')) continue;
          const big = new Uint8Array(MAX_GLUE_BYTES + 1);
          big.set(file);
          big.fill(0x20, file.length);
          out.files[name] = big;
        }
        return out;
      },
    };
    const result = await artifacts.prepare(await watToWasm(typeBombWat(4)), 'bindings', padded);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'too-complex', message: expect.stringMatching(/generated bindings would be 4\.0 MiB/) },
    });
  });
});
