// Every command end to end: the real discord.js client started by startDiscord(), the fake
// Discord, a real PostgreSQL database, the real sandbox and real bots. Assertions are on what
// the fake received (callbacks, edits, uploads), not on what our code believes it sent.
import { type APIUser, ComponentType, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import type { GuildRecord } from '../support/fake-discord/index.js';
import { expectFitsPhone } from '../support/phone-width.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { answered, embedText, type Harness, run, startHarness } from './harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
// Roomy quotas: one test uploads 30 bots for one member.
const h = await startHarness({
  db,
  sandbox,
  quota: { botsPerUser: 100, versionsPerBot: 100, bytesPerUser: 1024 * 1024 * 1024 },
});
afterAll(() => h.close());

const R = InteractionResponseType;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Stores a bot straight through the engine (what /submit does), to set a scene quickly. */
async function seedBot(harness: Harness, guild: GuildRecord, user: APIUser, name: string, file: string) {
  const result = await harness.engine.submit({
    guild: { id: guild.id, name: guild.name },
    player: { userId: user.id, displayName: user.global_name ?? user.username },
    name,
    filename: `${file}.wasm`,
    bytes: botBytes(file),
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function wasm(file: string, filename = `${file.split('.')[0]}.wasm`) {
  return h.fake.addAttachment({ filename, bytes: botBytes(file), contentType: 'application/wasm' });
}

describe('/submit', () => {
  it('downloads the .wasm from the CDN, checks it in the sandbox and answers privately', async () => {
    const { guild, users } = await h.guild('Submit server');
    const file = wasm('rock.component');
    const first = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: file },
    });

    // Acknowledged at once, privately ("thinking…" only the uploader sees), then filled in.
    expect(first.replies[0]).toMatchObject({
      kind: 'callback',
      type: R.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(first.replies.map((r) => r.kind)).toEqual(['callback', 'edit']);
    expect(first.ephemeral).toBe(true);
    expect(first.message.embeds[0]?.title).toBe('Accepted: rock');
    expect(embedText(first.message)).toMatch(/\*\*rock\*\* is registered \(version 1\)/);
    expect(embedText(first.message)).toMatch(/Test match:\*\* 20 rounds/);
    const downloads = h.fake.requests.filter((r) => r.path.includes(`/${file.id}/`));
    expect(downloads.map((r) => [r.method, r.status])).toEqual([['GET', 200]]);

    // New bytes under the same name: a second version, current at once.
    const second = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: users.ann,
      options: { bot: wasm('cycle.component'), name: 'rock' },
    });
    expect(embedText(second.message)).toMatch(/\*\*rock\*\* version 2 is now current/);
    const info = await h.engine.botInfo({
      guild: { id: guild.id, name: guild.name },
      owner: { userId: users.ann!.id, displayName: 'Ann' },
      name: 'rock',
    });
    expect(info.ok && info.value.versions).toBe(2);
  });

  it('accepts a 1.6 MB JavaScript (QuickJS) component', async () => {
    const { guild, users } = await h.guild('Big bot server');
    const file = wasm('frequency.js', 'frequency.wasm');
    expect(file.size).toBeGreaterThan(1_500_000);
    const answer = await run(
      h.fake,
      { name: 'submit', guildId: guild.id, user: users.ben, options: { bot: file } },
      60_000,
    );
    expect(answer.message.embeds[0]?.title).toBe('Accepted: frequency');
  });
});

describe('/challenge', () => {
  it("plays the two players' bots in the sandbox and posts the result publicly", async () => {
    const { guild, users } = await h.guild('Challenge server');
    // Both bots arrive the way players send them: /submit with the .wasm attached.
    for (const [user, name, file] of [
      [users.ann!, 'rocky', 'rock.component'],
      [users.ben!, 'beater', 'beatlast.component'],
    ] as const) {
      const sent = await run(h.fake, {
        name: 'submit',
        guildId: guild.id,
        user,
        options: { bot: wasm(file), name },
      });
      expect(sent.message.embeds[0]?.title).toBe(`Accepted: ${name}`);
    }
    const answer = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: users.ann,
      // The standard length: rated (any other length is practice).
      options: { opponent: users.ben! },
    });
    expect(answer.replies[0]).toMatchObject({ kind: 'callback', type: R.DeferredChannelMessageWithSource });
    expect((answer.replies[0] as { data?: { flags?: number } }).data?.flags ?? 0).toBe(0);
    expect(answer.ephemeral).toBe(false);
    const embed = answer.message.embeds[0]!;
    // Owners carry their tag (two members with one nickname never look alike); "#" is escaped.
    expect(embed.title).toMatch(/^Ann\\#[0-9A-Z]{4}\/rocky vs Ben\\#[0-9A-Z]{4}\/beater$/);
    // beatlast plays paper after seeing rock: it wins nearly every round.
    expect(embed.description).toMatch(/Ben\\#[0-9A-Z]{4}\/beater/);
    expect(embed.description).toMatch(/1,000 rounds/);
    expect(embed.fields?.[0]?.name).toBe('Ratings');
    expect(embed.footer?.text).toMatch(/^Match #\d+ · seed \w+/);
    // Public, in the channel where it was asked.
    expect(h.fake.channelMessages(guild.channelIds[0]).map((m) => m.id)).toContain(answer.message.id);
  });
});

describe('/leaderboard', () => {
  it('pages with buttons (also after the interaction token expired) and attaches a described chart', async () => {
    const { guild, users } = await h.guild('Ladder server', ['ann', 'ben', 'cat']);
    const owners = Object.values(users);
    for (let i = 0; i < 12; i++) {
      await seedBot(h, guild, owners[i % 3]!, `bot-${String(i).padStart(2, '0')}`, 'rock.component');
    }
    const first = await run(h.fake, { name: 'leaderboard', guildId: guild.id, user: users.ann });
    expect(first.ephemeral).toBe(false);
    expect(embedText(first.message)).toContain('page 1/2');
    expect(embedText(first.message)).toContain('12 bots');
    const row = first.message.components?.[0] as { components: Array<Record<string, unknown>> } | undefined;
    expect(row?.components.map((b) => [b.type, b.custom_id, b.label, b.disabled])).toEqual([
      [ComponentType.Button, 'leaderboard:page:0', '◀ Previous', true],
      [ComponentType.Button, 'leaderboard:page:1:label', '1 / 2', true],
      [ComponentType.Button, 'leaderboard:page:2', 'Next ▶', false],
    ]);
    // The chart went up as a real PNG, with alt text for screen readers.
    const upload = first.replies.find((r) => r.kind === 'edit')!;
    expect(
      upload.kind === 'edit' &&
        upload.files.map((f) => [f.filename, f.bytes.subarray(0, 8).equals(PNG_MAGIC)]),
    ).toEqual([['ratings.png', true]]);
    expect(first.message.attachments).toHaveLength(1);
    expect(first.message.attachments[0]?.description).toMatch(/^Rating chart of 10 bots/);

    // Next page, pressed by someone else: acknowledged at once with a private "thinking…", then
    // Ben gets his own copy of page 2; the public message stays on page 1 for everyone.
    const next = await answered(
      h.fake,
      h.fake.sendButton({
        customId: 'leaderboard:page:2',
        messageId: first.message.id,
        user: users.ben,
        guildId: guild.id,
      }),
    );
    expect(next.replies[0]).toMatchObject({
      kind: 'callback',
      type: R.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(next.ephemeral).toBe(true);
    expect(next.message.id).not.toBe(first.message.id);
    expect(embedText(next.message)).toContain('page 2/2');
    expect(embedText(h.fake.message(first.message.id)!)).toContain('page 1/2');
    expect(next.message.attachments.map((a) => a.description)).toEqual([
      expect.stringMatching(/^Rating chart of 2 bots/),
    ]);

    // Fifteen minutes later the command's token is dead; the buttons still work.
    first.handle.expire();
    const back = await answered(
      h.fake,
      h.fake.sendButton({
        customId: 'leaderboard:page:1',
        messageId: first.message.id,
        user: users.cat,
        guildId: guild.id,
      }),
    );
    expect(back.replies[0]).toMatchObject({ kind: 'callback', type: R.DeferredChannelMessageWithSource });
    expect(embedText(back.message)).toContain('page 1/2');
  });

  it('an empty board answers without buttons or chart', async () => {
    const { guild, users } = await h.guild('Empty server');
    const answer = await run(h.fake, { name: 'leaderboard', guildId: guild.id, user: users.ann });
    expect(answer.message.components).toEqual([]);
    expect(answer.message.attachments).toEqual([]);
    expect(answer.message.embeds).toHaveLength(1);
  });
});

describe('/bot', () => {
  it('info, versions, rollback, retire, activate and log (private, with the CSV)', async () => {
    const { guild, users } = await h.guild('Bot server');
    const ann = users.ann!;
    await seedBot(h, guild, ann, 'rock', 'rock.component');
    await seedBot(h, guild, ann, 'rock', 'cycle.component');
    await seedBot(h, guild, users.ben!, 'paper', 'beatlast.component');
    const played = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: ann,
      options: { opponent: users.ben!, rounds: 50 },
    });
    const matchId = /Match #(\d+)/.exec(played.message.embeds[0]!.footer!.text)![1];
    const bot = (subcommand: string, options: Record<string, string | number> = {}) =>
      run(h.fake, {
        name: 'bot',
        subcommand,
        guildId: guild.id,
        user: ann,
        options: { name: 'rock', ...options },
      });

    const info = await bot('info');
    expect(info.ephemeral).toBe(true);
    expect(info.replies[0]).toMatchObject({
      type: R.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(embedText(info.message)).toMatch(/Current version:\*\* 2 of 2/);
    // The opponent with its owner's tag: which "paper" it was is never in doubt.
    expect(embedText(info.message)).toMatch(new RegExp(`#${matchId} vs \\S+\\\\#[0-9A-Z]{4}/paper`));

    const versions = await bot('versions');
    expect(embedText(versions.message)).toMatch(/^\*v2 /m);
    expect(embedText(versions.message)).toMatch(/^ v1 /m);
    expectFitsPhone(versions.message);

    const rollback = await bot('rollback', { version: 1 });
    expect(embedText(rollback.message)).toBe('**rock** now plays version 1.');
    expect(embedText((await bot('versions')).message)).toMatch(/^\*v1 /m);

    const retire = await bot('retire');
    expect(embedText(retire.message)).toMatch(/\*\*rock\*\* is retired/);
    const activate = await bot('activate');
    expect(embedText(activate.message)).toMatch(/\*\*rock\*\* is active again/);

    const log = await bot('log');
    expect(log.ephemeral).toBe(true);
    expect(log.message.embeds[0]?.title).toBe(`Match #${matchId}: your bot's log`);
    const edit = log.replies.find((r) => r.kind === 'edit')!;
    const csv = edit.kind === 'edit' ? edit.files[0] : undefined;
    expect(csv?.filename).toBe(`match-${matchId}-seat0.csv`);
    const lines = csv!.bytes.toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('round,my_move,their_move,my_fuel,my_micros');
    expect(lines).toHaveLength(51);
    expect(lines[1]).toMatch(/^1,(rock|paper|scissors),(rock|paper|scissors),\d+,\d*$/);
    expect(log.message.attachments[0]?.filename).toBe(`match-${matchId}-seat0.csv`);
  });
});

describe('/help', () => {
  it('answers privately with the limits of this server and links to the docs', async () => {
    const answer = await run(h.fake, { name: 'help' });
    expect(answer.ephemeral).toBe(true);
    const text = embedText(answer.message);
    expect(text).toContain(
      '[docs/bot-interface.md](https://example.test/throwdown/blob/main/docs/bot-interface.md)',
    );
    expect(text).toMatch(/Upload: at most 10.0 MiB/);
    expect(text).toContain('/challenge @user');
  });
});

describe('autocomplete', () => {
  it("suggests the caller's own bots (retired ones marked) and the chosen opponent's", async () => {
    const { guild, users } = await h.guild('Autocomplete server');
    await seedBot(h, guild, users.ann!, 'rock', 'rock.component');
    await seedBot(h, guild, users.ann!, 'rocket', 'cycle.component');
    await seedBot(h, guild, users.ann!, 'paper', 'beatlast.component');
    await seedBot(h, guild, users.ben!, 'rolling', 'frequency.component');
    await seedBot(h, guild, users.ben!, 'random', 'random.component');
    await run(h.fake, {
      name: 'bot',
      subcommand: 'retire',
      guildId: guild.id,
      user: users.ann,
      options: { name: 'rocket' },
    });

    const t0 = performance.now();
    const own = await h.fake
      .sendAutocomplete({
        name: 'bot',
        subcommand: 'versions',
        guildId: guild.id,
        user: users.ann,
        options: { name: 'ro' },
        focused: 'name',
      })
      .response();
    const ms = performance.now() - t0;
    expect(own.type).toBe(R.ApplicationCommandAutocompleteResult);
    expect(own.data?.choices).toEqual([
      { name: 'rock', value: 'rock' },
      { name: 'rocket (retired)', value: 'rocket' },
    ]);
    expect(ms).toBeLessThan(3000);

    const theirs = await h.fake
      .sendAutocomplete({
        name: 'challenge',
        guildId: guild.id,
        user: users.ann,
        options: { opponent: users.ben!, rounds: 100, their_bot: 'r' },
        focused: 'their_bot',
      })
      .response();
    expect(theirs.data?.choices).toEqual([
      { name: 'random', value: 'random' },
      { name: 'rolling', value: 'rolling' },
    ]);
    // No opponent chosen yet: nothing to suggest.
    const none = await h.fake
      .sendAutocomplete({
        name: 'challenge',
        guildId: guild.id,
        user: users.ann,
        options: { their_bot: '' },
        focused: 'their_bot',
      })
      .response();
    expect(none.data?.choices).toEqual([]);
  });

  it('offers at most 25', async () => {
    const { guild, users } = await h.guild('Many bots server');
    for (let i = 0; i < 27; i++)
      await seedBot(h, guild, users.ann!, `b${String(i).padStart(2, '0')}`, 'rock.component');
    const answer = await h.fake
      .sendAutocomplete({
        name: 'bot',
        subcommand: 'info',
        guildId: guild.id,
        user: users.ann,
        options: { name: 'b' },
        focused: 'name',
      })
      .response();
    expect(answer.data?.choices).toHaveLength(25);
  });
});

describe('every message the bot sent', () => {
  it('pings nobody (allowed_mentions parse: [])', () => {
    const bodies = h.fake.requests
      .filter(
        (r) => r.route?.startsWith('/webhooks/') || r.route === '/interactions/:interaction/:token/callback',
      )
      .filter((r) => r.method !== 'DELETE' && r.method !== 'GET')
      .map((r) => (r.route?.endsWith('/callback') ? (r.body?.data as Record<string, unknown>) : r.body))
      .filter((b) => b && ('content' in b || 'embeds' in b));
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body?.allowed_mentions).toEqual({ parse: [] });
  });
});
