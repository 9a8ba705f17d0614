// The interactions endpoint is a public URL: anyone can POST to it. Only requests signed with
// the application's key, with a fresh timestamp, get past the door, and nothing anyone sends
// (forged, replayed, junk, oversized, deeply nested) crashes the service or runs a command.
// Each refusal is checked end to end: the status, no callback reached the fake Discord, and
// the service still answers a real interaction afterwards.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useSandbox } from '../support/sandbox.js';
import { answered, embedText, startHarness } from './harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const h = await startHarness({ db, sandbox, transport: 'http' });
afterAll(() => h.close());
const url = h.service.endpointUrl!;
const { guild, users } = await h.guild('Door');

/** A genuine interaction payload (built by the fake, not sent), to forge or replay. */
function genuineHelp(): string {
  return JSON.stringify(h.fake.draftChatInput({ name: 'help', guildId: guild.id, user: users.ann }).payload);
}

const callbacks = () =>
  h.fake.requests.filter((r) => r.route === '/interactions/:interaction/:token/callback');

async function stillAnswers(): Promise<void> {
  const answer = await answered(
    h.fake,
    h.fake.sendChatInput({ name: 'help', guildId: guild.id, user: users.ben }),
  );
  expect(embedText(answer.message)).toContain('Throwdown');
}

describe('the interactions endpoint refuses what Discord did not sign', () => {
  it('no signature, another key, a flipped byte, a bad header: 401 and nothing runs', async () => {
    const body = genuineHelp();
    const before = callbacks().length;
    const forger = generateKeyPairSync('ed25519').privateKey;
    const attempts = [
      await h.fake.postRaw(url, body, { unsigned: true }),
      await h.fake.postRaw(url, body, { key: forger }),
      await h.fake.postRaw(url, body, { signature: 'zz'.repeat(64) }),
      await h.fake.postRaw(url, body, { signature: 'ab'.repeat(10) }),
      await h.fake.postRaw(url, body, { timestamp: 'yesterday' }),
      await h.fake.postRaw(url, body, { timestamp: '9'.repeat(400) }),
    ];
    // Signed, then one byte of the body changed on the way.
    const signedElsewhere = await h.fake.postRaw(url, body.replace('"help"', '"hElp"'), {
      signature: signatureOf(body),
      timestamp: lastTimestamp,
    });
    for (const a of [...attempts, signedElsewhere]) expect(a.status, a.body).toBe(401);
    expect(callbacks().length).toBe(before);
    await stillAnswers();
  });

  it('a captured request replayed later, or dated in the future, is refused (401)', async () => {
    const body = genuineHelp();
    const before = callbacks().length;
    const now = Math.floor(Date.now() / 1000);
    const old = await h.fake.postRaw(url, body, { timestamp: String(now - 10 * 60) });
    const future = await h.fake.postRaw(url, body, { timestamp: String(now + 10 * 60) });
    expect([old.status, future.status]).toEqual([401, 401]);
    expect(callbacks().length).toBe(before);
  });

  it('the same signed request delivered twice answers once', async () => {
    const body = genuineHelp();
    const before = callbacks().length;
    const first = await h.fake.postRaw(url, body);
    const again = await h.fake.postRaw(url, body, { signature: signatureOf(body), timestamp: lastTimestamp });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    // The second callback is refused by Discord (already acknowledged): one answer only.
    const mine = callbacks().slice(before);
    expect(mine.filter((r) => r.status < 300)).toHaveLength(1);
    await stillAnswers();
  });
});

describe('signed junk does not crash the service', () => {
  it('not JSON, not an object, no token, an unknown type, a command without data: 400', async () => {
    const bodies = [
      'not json at all',
      '{"type": 2, "id": "1"',
      '[1,2,3]',
      'null',
      '"a string"',
      JSON.stringify({ type: 2, id: '123', application_id: h.fake.applicationId }),
      JSON.stringify({ type: 2, id: 'x'.repeat(30), application_id: h.fake.applicationId, token: 't' }),
      JSON.stringify({ type: 99, id: '123', application_id: h.fake.applicationId, token: 't' }),
      JSON.stringify({ type: 2, id: '123', application_id: h.fake.applicationId, token: 't' }),
      JSON.stringify({ type: 3, id: '124', application_id: h.fake.applicationId, token: 't', data: {} }),
      JSON.stringify({ type: 1.5 }),
    ];
    for (const body of bodies) {
      const res = await h.fake.postRaw(url, body);
      expect(res.status, body).toBe(400);
    }
    await stillAnswers();
  });

  it('deep nesting (a signed 1 MiB of brackets) is refused without a stack overflow', async () => {
    const depth = 500_000;
    const res = await h.fake.postRaw(url, '['.repeat(depth) + ']'.repeat(depth));
    expect(res.status).toBe(400);
    await stillAnswers();
  });

  it('an oversized body is refused (413), whether it says its length or not', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const declared = await h.fake.postRaw(url, big);
    expect(declared.status).toBe(413);
    // Chunked: no Content-Length, so the limit is enforced while reading.
    const chunked = await fetch(url, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 32; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit).then(
      (r) => r.status,
      // The server may drop the connection after answering, before the upload ends.
      () => 413,
    );
    expect(chunked).toBe(413);
    await stillAnswers();
  });

  it('other methods and paths: 405 and 404; the health check answers', async () => {
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(new URL('/elsewhere', url), { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
  });
});

let lastTimestamp = '';
/** Signs `body` as the application (remembering the timestamp used, for `lastTimestamp`). */
function signatureOf(body: string): string {
  lastTimestamp = String(Math.floor(Date.now() / 1000));
  return h.fake.webhook.signature(body, lastTimestamp);
}
