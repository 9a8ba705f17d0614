import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/commands/dispatch.js';
import { createRateLimiter } from '../../src/commands/rate-limit.js';
import type { Command, CommandContext } from '../../src/commands/types.js';
import { userError } from '../../src/engine/errors.js';
import { createLogger } from '../../src/util/logger.js';

const logged: string[] = [];
const ctx = (overrides: Partial<CommandContext> = {}): CommandContext =>
  ({
    guild: { id: 'g', name: 'G' },
    user: { userId: 'u', displayName: 'u' },
    channelId: 'c',
    isAdmin: false,
    engine: {} as never,
    logger: createLogger({ write: (line) => logged.push(line) }),
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  }) as CommandContext;

const commands: Command[] = [
  { name: 'ok', description: 'd', handle: async () => ({ content: 'fine' }) },
  { name: 'oops', description: 'd', handle: async () => userError('no-bot', 'You have no bot.') },
  {
    name: 'boom',
    description: 'd',
    handle: async () => {
      throw new Error('kaput');
    },
  },
  { name: 'secret', description: 'd', adminOnly: true, handle: async () => ({ content: 'admin stuff' }) },
  { name: 'pricey', description: 'd', rateLimit: 'challenge', handle: async () => ({ content: 'played' }) },
  {
    name: 'pages',
    description: 'd',
    handle: async () => ({ content: 'x' }),
    handleComponent: async (_ctx, args) => ({ content: `page ${args[1]}` }),
  },
];
const dispatcher = createDispatcher(commands, createRateLimiter({ submit: 1, challenge: 2 }));

describe('the dispatcher: the one place errors become replies', () => {
  it('passes replies through', async () => {
    expect(await dispatcher.run(ctx(), 'ok', { options: {} })).toEqual({ content: 'fine' });
  });

  it('turns a UserError into an ephemeral message in its own words', async () => {
    const reply = await dispatcher.run(ctx(), 'oops', { options: {} });
    expect(reply.ephemeral).toBe(true);
    expect(reply.embeds?.[0]?.description).toBe('You have no bot.');
  });

  it('logs an exception with an id and shows the user only the id', async () => {
    const reply = await dispatcher.run(ctx(), 'boom', { options: {} });
    const id = /`([0-9a-f]{8})`/.exec(reply.embeds?.[0]?.description ?? '')?.[1];
    expect(id).toBeDefined();
    expect(reply.embeds?.[0]?.description).not.toMatch(/kaput/);
    expect(logged.some((line) => line.includes(`errorId=${id}`) && line.includes('kaput'))).toBe(true);
  });

  it('keeps admin commands for admins', async () => {
    expect((await dispatcher.run(ctx(), 'secret', { options: {} })).embeds?.[0]?.description).toMatch(
      /Manage Server/,
    );
    expect(await dispatcher.run(ctx({ isAdmin: true }), 'secret', { options: {} })).toEqual({
      content: 'admin stuff',
    });
  });

  it('rate-limits expensive commands per user and says when to retry', async () => {
    const me = ctx({ user: { userId: 'hasty', displayName: 'hasty' } });
    expect(await dispatcher.run(me, 'pricey', { options: {} })).toEqual({ content: 'played' });
    expect(await dispatcher.run(me, 'pricey', { options: {} })).toEqual({ content: 'played' });
    const third = await dispatcher.run(me, 'pricey', { options: {} });
    expect(third.ephemeral).toBe(true);
    // The exact moment the oldest attempt leaves the hour, as Discord timestamps (each reader's
    // own timezone): 2026-01-01 00:00 UTC plus an hour.
    const at = Date.UTC(2026, 0, 1, 1) / 1000;
    expect(third.embeds?.[0]?.description).toBe(
      `You are going a bit fast: try /pricey again <t:${at}:R> (at <t:${at}:t>).`,
    );
    // Another user is not affected.
    expect(
      await dispatcher.run(ctx({ user: { userId: 'calm', displayName: 'calm' } }), 'pricey', { options: {} }),
    ).toEqual({
      content: 'played',
    });
  });

  it('routes button presses by the command named in the custom id', async () => {
    expect(await dispatcher.press(ctx(), 'pages:page:3')).toEqual({ content: 'page 3' });
    expect((await dispatcher.press(ctx(), 'gone:1')).embeds?.[0]?.description).toMatch(
      /no longer does anything/,
    );
  });

  it('answers an unknown command plainly', async () => {
    expect((await dispatcher.run(ctx(), 'dance', { options: {} })).embeds?.[0]?.description).toBe(
      'There is no /dance command.',
    );
  });
});

describe('rate limits count only attempts that cost something', () => {
  it('gives the token back when the command fails for free, but not once it said work began', async () => {
    let outcome: 'free' | 'rejected' = 'free';
    const d = createDispatcher(
      [
        {
          name: 'try',
          description: 'd',
          rateLimit: 'submit',
          handle: async (c) => {
            if (outcome === 'free') return userError('no-bot', 'You have no bot.');
            // A download and a validation happened before this refusal: it counts.
            c.costly?.();
            return userError('rejected', 'Not wasm.');
          },
        },
      ],
      createRateLimiter({ submit: 1, challenge: 1 }),
    );
    const me = ctx({ user: { userId: 'tries', displayName: 'tries' } });
    for (let i = 0; i < 3; i++)
      expect((await d.run(me, 'try', { options: {} })).embeds?.[0]?.description).toBe('You have no bot.');
    outcome = 'rejected';
    expect((await d.run(me, 'try', { options: {} })).embeds?.[0]?.description).toBe('Not wasm.');
    expect((await d.run(me, 'try', { options: {} })).embeds?.[0]?.description).toMatch(/going a bit fast/);
  });

  it('admit refuses before any work, so a transport can answer privately first', () => {
    const d = createDispatcher(commands, createRateLimiter({ submit: 1, challenge: 1 }));
    expect(d.admit(ctx(), 'secret')?.ephemeral).toBe(true);
    expect(d.admit(ctx({ isAdmin: true }), 'secret')).toBeNull();
  });

  it('keeps admin-only subcommands for admins while the rest of the command is for everyone', async () => {
    const d = createDispatcher(
      [
        {
          name: 'cup',
          description: 'd',
          subcommands: [
            { name: 'view', description: 'd' },
            { name: 'start', description: 'd', adminOnly: true },
          ],
          handle: async (_ctx, input) => ({ content: `did ${input.subcommand}` }),
        },
      ],
      createRateLimiter({ submit: 1, challenge: 1 }),
    );
    expect(await d.run(ctx(), 'cup', { subcommand: 'view', options: {} })).toEqual({ content: 'did view' });
    const refused = await d.run(ctx(), 'cup', { subcommand: 'start', options: {} });
    expect(refused.embeds?.[0]?.description).toBe(
      '/cup start is for server managers (the Manage Server permission).',
    );
    expect(await d.run(ctx({ isAdmin: true }), 'cup', { subcommand: 'start', options: {} })).toEqual({
      content: 'did start',
    });
  });

  it('a refusal by the cheap checks costs no rate-limit token and runs no handler', async () => {
    let handled = 0;
    const d = createDispatcher(
      [
        {
          name: 'duel',
          description: 'd',
          options: [{ name: 'ok', description: 'o', type: 'boolean' }],
          rateLimit: 'challenge',
          precheck: async (_ctx, input) => (input.options.ok ? null : userError('no-bot', 'No bot.')),
          handle: async () => {
            handled++;
            return { content: 'played' };
          },
        },
      ],
      createRateLimiter({ submit: 1, challenge: 1 }),
    );
    const me = ctx({ user: { userId: 'checker', displayName: 'checker' } });
    for (let i = 0; i < 3; i++)
      expect((await d.run(me, 'duel', { options: {} })).embeds?.[0]?.description).toBe('No bot.');
    expect(handled).toBe(0);
    expect(await d.run(me, 'duel', { options: { ok: true } })).toEqual({ content: 'played' });
    expect((await d.run(me, 'duel', { options: { ok: true } })).embeds?.[0]?.description).toMatch(
      /going a bit fast/,
    );
  });
});
