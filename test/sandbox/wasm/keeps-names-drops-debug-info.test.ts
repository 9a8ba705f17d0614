import { describe, expect, it } from 'vitest';
import { describeModule } from '../../../src/sandbox/wasm/index.js';
import { instantiateMetered, metered } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

describe('custom sections', () => {
  it('keeps the name section and producers, drops sections that point at code offsets', async () => {
    const bytes = await wat(`(module
      (@custom ".debug_info" "dwarf")
      (@custom ".debug_line" "dwarf")
      (@custom "metadata.code.branch_hint" "hints")
      (@custom "sourceMappingURL" "x.map")
      (@custom "producers" "clang")
      (func $crash (export "crash") unreachable))`);
    const d = describeModule(metered(bytes).bytes);
    expect(d.ok && d.value.customSections).toEqual(['producers', 'name']);
  });

  it('trap messages still name the bot function that trapped', async () => {
    const m = instantiateMetered(await wat(`(module (func $my_strategy (export "crash") unreachable))`));
    m.host.setBudget(1000, 100_000);
    let error: unknown;
    try {
      m.exports.crash!();
    } catch (e) {
      error = e;
    }
    expect((error as Error).stack).toMatch(/at my_strategy \(wasm:\/\//);
  });
});
