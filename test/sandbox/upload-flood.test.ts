import { describe, expect, it } from 'vitest';
import { botBytes, useSandbox } from '../support/sandbox.js';

// One user floods the sandbox with large uploads (each a different file, so nothing is cached);
// another user uploads one ordinary bot after the flood started. Uploads are queued fairly per
// user and one user holds at most one prepare worker, so the honest upload is prepared and
// test-played next to the flood, not behind it.
const sandbox = useSandbox({ workers: 2 });

/** The same component with a custom section appended: a different file (and sha256) each time. */
function variant(bytes: Uint8Array, nonce: number): Uint8Array {
  const name = new TextEncoder().encode('nonce');
  const payload = new TextEncoder().encode(String(nonce).padStart(8, '0'));
  const body = [name.length, ...name, ...payload];
  return new Uint8Array([...bytes, 0, body.length, ...body]);
}

const mallory = { owner: 'user:mallory', group: 'guild:g', priority: 'interactive' } as const;
const alice = { owner: 'user:alice', group: 'guild:g', priority: 'interactive' } as const;

describe('an upload flood from one user', () => {
  it("does not hold back another user's upload: it is accepted while most of the flood still waits", async () => {
    const big = botBytes('frequency.js');
    const FLOOD = 6;
    let floodDone = 0;
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      sandbox.check(variant(big, Date.now() + i), { for: mallory }).finally(() => floodDone++),
    );
    const honest = await sandbox.check(botBytes('beatlast.component'), { for: alice });
    const doneWhenHonestWas = floodDone;
    expect(honest.ok).toBe(true);
    // Queued behind the flood in one line, the honest upload would have come after all six.
    expect(doneWhenHonestWas).toBeLessThanOrEqual(2);
    // The flood itself is still served, one at a time, each with its own full deadline.
    const results = await Promise.all(flood);
    expect(results.every((r) => r.ok)).toBe(true);
  });
});
