import { describe, expect, it } from 'vitest';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { memoryLogger } from '../support/tournaments.js';

// A host-side failure while preparing (here: a deadline no preparation can meet) is reported to
// the uploader as not remembered, and it is not: the next upload of the same file is prepared
// again rather than refused from a cache until restart.
describe('a host failure while preparing an upload', () => {
  const logger = memoryLogger();
  const sandbox = useSandbox({ workers: 1, prepareDeadlineMs: 1, logger });

  it('is not cached as the bot verdict: the same file is tried afresh next time', async () => {
    const bytes = botBytes('rock.component');
    const first = await sandbox.check(bytes);
    expect(first).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/took more than .* It is not remembered as refused/) },
    });
    const second = await sandbox.check(bytes);
    expect(second.ok).toBe(false);
    // Both uploads reached a prepare worker: two deadline losses, not one and a cached answer.
    const losses = logger.lines.filter((l) => l.message === 'prepare worker lost its task');
    expect(losses).toHaveLength(2);
    expect(losses.every((l) => (l.fields as { loss: string }).loss === 'deadline')).toBe(true);
  });
});
