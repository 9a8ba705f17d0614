// Every way a user can go wrong through Discord, and the ways our side can: each is answered
// privately in plain words (or with an error id), and nothing is left "thinking".
import { setTimeout as sleep } from 'node:timers/promises';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/commands/types.js';
import { useTestDatabase } from '../support/database.js';
import type { GuildRecord } from '../support/fake-discord/index.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { answered, embedText, expectUserError, run, startHarness } from './harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();

const KiB = 1024;
const R = InteractionResponseType;

const extra: Command[] = [
  {
    name: 'explode',
    description: 'A handler with a bug',
    defer: 'public',
    handle: async () => {
      throw new Error('kaboom');
    },
  },
  {
    name: 'ramble',
    // Over-long text is cut to fit (src/discord/limits.ts); a file over the upload limit is not.
    description: 'A reply Discord refuses (a file over its 10 MiB upload limit)',
    defer: 'ephemeral',
    handle: async () => ({
      ephemeral: true,
      content: 'here',
      files: [{ name: 'big.bin', data: new Uint8Array(10 * 1024 * 1024 + 1) }],
    }),
  },
  {
    name: 'ponder',
    description: 'No defer, but slow: must be acknowledged before the 3 s are up',
    async handle() {
      await sleep(2300);
      return { content: 'pondered', buttons: [[{ customId: 'ponder:again', label: 'Again' }]] };
    },
    async handleComponent() {
      await sleep(2300);
      return { content: 'pondered again' };
    },
  },
];

const h = await startHarness({
  db,
  sandbox,
  extra,
  rateLimits: { submit: 1000, challenge: 3 },
  env: { DISCORD_ATTACHMENT_TIMEOUT_MS: '500' },
});
afterAll(() => h.close());

/** A guild whose upload limit is 64 KiB, so oversize files stay small in tests. */
async function smallUploadGuild(name: string) {
  const scene = await h.guild(name);
  await h.engine.deps.repos.guilds.upsert({ id: scene.guild.id, name });
  await h.engine.deps.repos.guilds.setLimits(scene.guild.id, { moduleBytes: 64 * KiB });
  return scene;
}

const cdnHits = (id: string) => h.fake.requests.filter((r) => r.path.includes(`/${id}/`));

async function seedBot(guild: GuildRecord, userId: string, name: string, file: string) {
  const result = await h.engine.submit({
    guild: { id: guild.id, name: guild.name },
    player: { userId, displayName: userId },
    name,
    bytes: botBytes(file),
  });
  if (!result.ok) throw new Error(result.error.message);
}

describe('/submit refusals', () => {
  it('refuses an oversize file from its metadata, without downloading it', async () => {
    const { guild, users } = await smallUploadGuild('Oversize metadata');
    const file = h.fake.addAttachment({ filename: 'huge.wasm', bytes: 'tiny', advertisedSize: 200 * KiB });
    const answer = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: file },
    });
    expectUserError(answer, /^That file is 200\.0 KiB; bots may be at most 64\.0 KiB\.$/);
    expect(cdnHits(file.id)).toEqual([]);
  });

  it('stops a download whose Content-Length is over the limit, though the metadata was small', async () => {
    const { guild, users } = await smallUploadGuild('Oversize header');
    const file = h.fake.addAttachment({
      filename: 'liar.wasm',
      bytes: new Uint8Array(100 * KiB),
      advertisedSize: 1000,
    });
    const answer = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: file },
    });
    expectUserError(answer, /^liar\.wasm is 100\.0 KiB; bots may be at most 64\.0 KiB\.$/);
    expect(cdnHits(file.id).map((r) => r.status)).toEqual([200]);
  });

  it('cuts off a CDN that lies about the size while streaming (no Content-Length)', async () => {
    const { guild, users } = await smallUploadGuild('Oversize stream');
    const file = h.fake.addAttachment({
      filename: 'stream.wasm',
      bytes: new Uint8Array(1024 * KiB),
      advertisedSize: 1000,
      contentLength: false,
      chunkBytes: 16 * KiB,
      chunkDelayMs: 5,
    });
    const answer = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: file },
    });
    expectUserError(answer, /^stream\.wasm is larger than 64\.0 KiB; bots may be at most 64\.0 KiB\.$/);
    // Cut off after about 64 KiB, not after the whole megabyte: counted in bytes the CDN sent
    // (a duration would depend on the machine's load). A few chunks may be in flight at the cut.
    expect(h.fake.cdnBytesSent(file.id)).toBeLessThan(256 * KiB);
    expect(
      h.logs.some((l) => l.includes('attachment larger than announced') && l.includes('announced=1000')),
    ).toBe(true);
  });

  it('gives up on a download that takes too long', async () => {
    const { guild, users } = await h.guild('Slow CDN');
    const file = h.fake.addAttachment({
      filename: 'slow.wasm',
      bytes: botBytes('rock.component'),
      chunkBytes: 64,
      chunkDelayMs: 200,
    });
    const answer = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: file },
    });
    expectUserError(answer, /^Downloading slow\.wasm took longer than 500 ms\. Please try \/submit again\.$/);
  });

  it('refuses an attachment URL outside the allowed hosts, without fetching it', async () => {
    const { guild, users } = await h.guild('Foreign host');
    const file = h.fake.addAttachment({
      filename: 'elsewhere.wasm',
      bytes: botBytes('rock.component'),
      host: 'localhost',
    });
    const answer = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: file },
    });
    expectUserError(
      answer,
      /^elsewhere\.wasm is not stored on Discord \(localhost:\d+\), so it was not downloaded\./,
    );
    expect(cdnHits(file.id)).toEqual([]);
  });

  it('refuses bytes that are not WebAssembly, saying what they look like', async () => {
    const { guild, users } = await h.guild('Not wasm');
    const file = h.fake.addAttachment({ filename: 'bot.wasm', bytes: '(module (func))' });
    const answer = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: file },
    });
    expectUserError(answer, /This is not a WebAssembly binary \(it looks like WebAssembly text \(WAT\)/);
    expect(await h.engine.botChoices(guild.id, '', users.ann!.id, true)).toEqual([]);
  });
});

describe('/challenge refusals', () => {
  it('you without a bot: answered privately before any public "thinking…"', async () => {
    const { guild, users } = await h.guild('No bot');
    const answer = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: users.ann,
      options: { opponent: users.ben! },
    });
    expectUserError(answer, /^You have no active bot yet\. Upload one with \/submit/);
    // Decided before acknowledging: one private answer, nothing deferred in public to flicker.
    expect(answer.replies.map((r) => r.kind)).toEqual(['callback']);
    expect(answer.replies[0]).toMatchObject({
      type: R.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    // Nothing public is left in the channel.
    expect(
      h.fake.channelMessages(guild.channelIds[0]).filter((m) => !((m.flags ?? 0) & MessageFlags.Ephemeral)),
    ).toEqual([]);
  });

  it('an opponent without a bot, an opponent who is a Discord bot, a retired bot', async () => {
    const { guild, users } = await h.guild('Opponents');
    await seedBot(guild, users.ann!.id, 'rock', 'rock.component');
    const noBot = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: users.ann,
      options: { opponent: users.ben! },
    });
    expectUserError(noBot, /^Ben#[0-9A-Z]{4} has no active bot to play\.$/);
    const botOpponent = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: users.ann,
      options: { opponent: h.fake.bot },
    });
    expectUserError(botOpponent, /is a Discord bot, not a player/);
    await seedBot(guild, users.ben!.id, 'paper', 'cycle.component');
    await run(h.fake, {
      name: 'bot',
      subcommand: 'retire',
      guildId: guild.id,
      user: users.ann,
      options: { name: 'rock' },
    });
    const retired = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: users.ann,
      options: { opponent: users.ben!, my_bot: 'rock' },
    });
    expectUserError(retired, /Your bot "rock" is retired; bring it back with \/bot activate/);
  });

  it('the rate limit: the fourth challenge within the hour is refused', async () => {
    const { guild, users } = await h.guild('Rate limit');
    await seedBot(guild, users.ann!.id, 'rock', 'rock.component');
    await seedBot(guild, users.ben!.id, 'cycle', 'cycle.component');
    const challenge = () =>
      run(h.fake, {
        name: 'challenge',
        guildId: guild.id,
        user: users.ann,
        options: { opponent: users.ben!, rounds: 10 },
      });
    for (let i = 0; i < 3; i++) expect((await challenge()).ephemeral).toBe(false);
    const before = Date.now();
    const refused = await challenge();
    // The exact moment, as Discord timestamps each reader sees in their own timezone.
    expectUserError(
      refused,
      /^You are going a bit fast: try \/challenge again <t:(\d+):R> \(at <t:\1:t>\)\.$/,
    );
    const at = Number(/<t:(\d+):R>/.exec(embedText(refused.message))![1]) * 1000;
    expect(at).toBeGreaterThan(before + 3_500_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 3_601_000);
    // Ben's own limit is untouched.
    const ben = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: users.ben,
      options: { opponent: users.ann!, rounds: 10 },
    });
    expect(ben.ephemeral).toBe(false);
  });
});

describe('malformed or stale input', () => {
  it('unknown commands, options and subcommands get a plain answer, at once', async () => {
    const unknown = await run(h.fake, { name: 'dance' });
    expectUserError(unknown, /^There is no \/dance command\.$/);
    // Answered directly: nothing to defer for.
    expect(unknown.replies[0]).toMatchObject({ kind: 'callback', type: R.ChannelMessageWithSource });

    const option = await run(h.fake, { name: 'help', options: { verbose: true } });
    expectUserError(option, /^\/help has no option "verbose"/);

    const sub = await run(h.fake, { name: 'bot', subcommand: 'explode', options: { name: 'x' } });
    expectUserError(sub, /^\/bot has no "explode"/);

    const missing = await run(h.fake, { name: 'bot', subcommand: 'info' });
    expectUserError(missing, /^\/bot info needs the name option\.$/);

    const wrongType = await run(h.fake, { name: 'challenge', options: { opponent: 'not a user' } });
    expectUserError(wrongType, /^The opponent option of \/challenge must be a member\.$/);
  });

  it('no bot by that name, a button that no longer does anything', async () => {
    const { guild, users } = await h.guild('Lookups');
    const missing = await run(h.fake, {
      name: 'bot',
      subcommand: 'info',
      guildId: guild.id,
      user: users.ann,
      options: { name: 'ghost' },
    });
    expectUserError(missing, /No bot here is called "ghost"/);

    const board = await run(h.fake, { name: 'leaderboard', guildId: guild.id, user: users.ann });
    const press = await answered(
      h.fake,
      h.fake.sendButton({
        customId: 'tournament:join:7',
        messageId: board.message.id,
        guildId: guild.id,
        user: users.ben,
      }),
    );
    expectUserError(press, /^That button no longer does anything\.$/);
    // Only the presser was told; the board itself is untouched.
    expect(press.replies[0]).toMatchObject({ type: R.ChannelMessageWithSource });
    expect(h.fake.message(board.message.id)?.embeds).toEqual(board.message.embeds);
  });
});

describe('failures on our side', () => {
  it('a handler that throws: the user gets an error id, the log has it with the stack', async () => {
    const answer = await run(h.fake, { name: 'explode' });
    expectUserError(answer, /Something went wrong on our side\. .* this id: `([0-9a-f]{8})`/);
    const id = /`([0-9a-f]{8})`/.exec(embedText(answer.message))![1]!;
    const line = h.logs.find((l) => l.includes('command failed') && l.includes(`errorId=${id}`));
    expect(line).toMatch(/kaboom/);
  });

  it('a reply Discord refuses: logged with an id, and the user is told instead of left waiting', async () => {
    const answer = await run(h.fake, { name: 'ramble' });
    expectUserError(answer, /Something went wrong on our side/);
    const id = /`([0-9a-f]{8})`/.exec(embedText(answer.message))![1]!;
    expect(h.logs.find((l) => l.includes('interaction failed') && l.includes(`errorId=${id}`))).toMatch(
      /40005/,
    );
  });

  it('slow answers without a defer are acknowledged in time: commands and buttons', async () => {
    const handle = h.fake.sendChatInput({ name: 'ponder' });
    const answer = await answered(h.fake, handle);
    expect(answer.replies.map((r) => r.kind)).toEqual(['callback', 'edit']);
    expect(answer.replies[0]).toMatchObject({ type: R.DeferredChannelMessageWithSource });
    expect(answer.message.content).toBe('pondered');
    const again = await answered(
      h.fake,
      h.fake.sendButton({ customId: 'ponder:again', messageId: answer.message.id }),
    );
    expect(again.replies[0]).toMatchObject({ kind: 'callback', type: R.DeferredMessageUpdate });
    expect(h.fake.message(answer.message.id)?.content).toBe('pondered again');
  });
});
