// Hostile members and managers through the real Discord transport (issue 16): crafted option
// values the registration would not allow, a bot whose output is made to break stores and
// messages, look-alike members, forged buttons and DMs. The fake Discord validates every message
// the way Discord does (lengths, 50035), answers "Unknown interaction" after 3 s, and types
// options from the registration but, like Discord for a crafted request, enforces no min/max.
import type { APIMessage } from 'discord.js';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { guilds, matches, players } from '../../src/db/schema.js';
import { useTestDatabase } from '../support/database.js';
import { botBytes, hostileBytes, useSandbox } from '../support/sandbox.js';
import { answered, embedText, expectUserError, makeManager, run } from './harness.js';
import { startTournamentHarness } from './tournament-harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const { h, deps } = await startTournamentHarness({
  db,
  sandbox,
  concurrency: 2,
  scheduledRounds: 1000,
});

const ZWSP = '\u200b';

/** Every text Discord would render from a message: content and every embed part. */
function allText(message: APIMessage): string {
  return [message.content, ...message.embeds.map(() => embedText(message))].join('\n');
}

const attach = (filename: string, bytes: Uint8Array) => h.fake.addAttachment({ filename, bytes });

describe('a bot whose output is made to break things (item 1)', () => {
  it('NUL in stderr: its matches are stored, and /bot log shows stderr in a block it cannot close', async () => {
    const [eve, bob] = [h.fake.addUser('eve'), h.fake.addUser('bob')];
    const guild = await h.guildWith('NUL stderr', [eve, bob]);
    const sent = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: eve,
      options: { bot: attach('nul.wasm', hostileBytes('stderr-nul.command.wasm')), name: 'nul' },
    });
    expect(sent.message.embeds[0]?.title).toBe('Accepted: nul');
    await h.seed(guild, bob, 'rock', botBytes('rock.component'));

    const match = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: eve,
      options: { opponent: bob },
    });
    expect(match.ephemeral).toBe(false);
    expect(match.message.embeds[0]?.fields?.[0]?.name).toBe('Ratings');

    const log = await run(h.fake, {
      name: 'bot',
      subcommand: 'log',
      guildId: guild.id,
      user: eve,
      options: { name: 'nul' },
    });
    expect(log.ephemeral).toBe(true);
    const stderr = log.message.embeds[0]!.fields!.find((f) => f.name.startsWith('stderr'))!.value;
    // One code block from start to end: no run of three backticks inside it.
    expect(stderr.startsWith('```\n')).toBe(true);
    expect(stderr.endsWith('\n```')).toBe(true);
    expect(stderr.slice(4, -4)).not.toContain('```');
    // What the bot wrote is visible (NUL as U+FFFD), pings neutralised, no bidi override.
    expect(stderr).toContain('\uFFFD`');
    expect(stderr).toContain(`@${ZWSP}everyone`);
    expect(stderr).toContain(`<@${ZWSP}&123>`);
    expect(stderr).not.toContain('\u202e');
    // The CSV is attached and nothing asked anyone to be pinged.
    expect(log.message.attachments).toHaveLength(1);
    expect(log.message.mentions).toEqual([]);
  });

  it('a fault message naming a function called "evil\\0name```@everyone": stored, escaped, one line', async () => {
    const [eve, bob] = [h.fake.addUser('eve'), h.fake.addUser('bob')];
    const guild = await h.guildWith('NUL fault', [eve, bob]);
    await h.seed(guild, eve, 'trap', hostileBytes('trap-nul-name.command.wasm'));
    await h.seed(guild, bob, 'rock', botBytes('rock.component'));
    const match = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: eve,
      options: { opponent: bob },
    });
    expect(embedText(match.message)).toMatch(/wins by forfeit/);
    const log = await run(h.fake, {
      name: 'bot',
      subcommand: 'log',
      guildId: guild.id,
      user: eve,
      options: { name: 'trap' },
    });
    const description = log.message.embeds[0]!.description!;
    const fault = description.split('\n').find((l) => l.startsWith('**Fault**'))!;
    expect(fault).toMatch(/round 100/);
    expect(fault).toContain('evil\uFFFDname');
    expect(fault).not.toMatch(/```/);
    expect(fault).not.toMatch(/@everyone/);
    const [stored] = await db.select().from(matches).where(eq(matches.guildId, guild.id));
    expect(stored!.faults[0]!.message).toContain('evil\uFFFDname```@everyone');
  });

  it('a tournament with that bot is played to the end and announced, whatever it writes', async () => {
    const [eve, ann, ben] = [h.fake.addUser('eve'), h.fake.addUser('ann'), h.fake.addUser('ben')];
    const guild = await h.guildWith('NUL tournament', [eve, ann, ben]);
    await h.seed(guild, eve, 'nul', hostileBytes('stderr-nul.command.wasm'));
    await h.seed(guild, ann, 'trap', hostileBytes('trap-nul-name.command.wasm'));
    await h.seed(guild, ben, 'cycle', botBytes('cycle.component'));
    const channel = guild.channelIds[0]!;
    const started = await run(h.fake, {
      name: 'tournament',
      subcommand: 'run-now',
      guildId: guild.id,
      user: eve,
      options: { rounds: 300 },
    });
    expect(embedText(started.message)).toMatch(/tournament #\d+ started/);
    const posted = await h.fake.waitFor(
      () => {
        const messages = h.fake.channelMessages(channel).filter((m) => !m.webhook_id);
        return messages.length >= 2 && messages[1]!.embeds.length > 0 ? messages : undefined;
      },
      60_000,
      'the results post',
    );
    expect(embedText(posted[1]!)).toMatch(/Winner/);
    expect(await db.select().from(matches).where(eq(matches.guildId, guild.id))).toHaveLength(3);
  });
});

describe('bounds the server enforces itself (item 3)', () => {
  it('integers beyond the registered range, beyond int4, and strings of 4,100 characters', async () => {
    const [ann, ben] = [h.fake.addUser('ann'), h.fake.addUser('ben')];
    const guild = await h.guildWith('Crafted values', [ann, ben]);
    await h.seed(guild, ann, 'rock', botBytes('rock.component'));
    await h.seed(guild, ben, 'cycle', botBytes('cycle.component'));
    const cases: Array<[Parameters<typeof run>[1], RegExp]> = [
      [
        { name: 'challenge', options: { opponent: ben, rounds: 100_000 } },
        /rounds option of \/challenge must be from 1 to 10,000/,
      ],
      [{ name: 'challenge', options: { opponent: ben, rounds: 0 } }, /must be from 1 to 10,000/],
      [
        { name: 'bot', subcommand: 'log', options: { name: 'rock', match: 3_000_000_000 } },
        /match option of \/bot log must be from 1 to 2,147,483,647/,
      ],
      [
        { name: 'bot', subcommand: 'rollback', options: { name: 'rock', version: 2 ** 40 } },
        /version option of \/bot rollback must be from 1 to 2,147,483,647/,
      ],
      [{ name: 'leaderboard', options: { page: -5 } }, /page option of \/leaderboard must be from 1/],
      [
        { name: 'bot', subcommand: 'info', options: { name: 'x'.repeat(4100) } },
        /must be at most 32 characters/,
      ],
      [
        { name: 'challenge', options: { opponent: ben, my_bot: 'y'.repeat(4100) } },
        /must be at most 32 characters/,
      ],
      [{ name: 'bot', subcommand: 'info', options: { name: 'ro\nck' } }, /must be plain text on one line/],
      [
        { name: 'tournament', subcommand: 'schedule', options: { cron: '0 20 * * 5', rounds: 100_000 } },
        /rounds option of \/tournament schedule must be from 1 to 10,000/,
      ],
      [
        { name: 'tournament', subcommand: 'schedule', options: { cron: `0 20 * * 5 ${'#'.repeat(200)}` } },
        /cron option of \/tournament schedule must be at most 100 characters/,
      ],
      [
        { name: 'admin', subcommand: 'set-limit', options: { limit: 'everything', value: 1 } },
        /limit option of \/admin set-limit must be one of: fuel_per_move/,
      ],
    ];
    for (const [input, pattern] of cases) {
      const answer = await run(h.fake, { ...input, guildId: guild.id, user: ann });
      expectUserError(answer, pattern);
    }
    // Nothing was played or stored by any of them.
    expect(await db.select().from(matches).where(eq(matches.guildId, guild.id))).toEqual([]);
  });

  it('a member with a hostile, maximal name: every reply fits Discord and pings nobody', async () => {
    // Discord allows 32 characters in a global name: all of them markup.
    const mallory = h.fake.addUser('mallory');
    mallory.global_name = '**```@everyone<@&1>||x||```**'.padEnd(32, '_');
    const ben = h.fake.addUser('ben');
    const guild = await h.guildWith(`${'G'.repeat(99)}!`, [mallory, ben]);
    await h.seed(guild, mallory, 'rock', botBytes('rock.component'));
    await h.seed(guild, ben, 'cycle', botBytes('cycle.component'));
    const match = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: mallory,
      options: { opponent: ben },
    });
    const board = await run(h.fake, { name: 'leaderboard', guildId: guild.id, user: ben });
    const info = await run(h.fake, {
      name: 'bot',
      subcommand: 'info',
      guildId: guild.id,
      user: ben,
      options: { name: 'cycle' },
    });
    for (const answer of [match, board, info]) {
      const text = allText(answer.message);
      expect(text).not.toMatch(/(?<!\\)@everyone/);
      // Named is not pinged: every request lets Discord ping no one (Ben did not opt in).
      for (const reply of answer.handle.replies()) {
        const body = (reply.kind === 'delete' ? undefined : reply.data) as
          | {
              content?: string;
              embeds?: unknown[];
              allowed_mentions?: { parse?: string[]; users?: string[] };
            }
          | undefined;
        if (!body?.content && !body?.embeds) continue; // an acknowledgement carries no message
        const allowed = body.allowed_mentions;
        expect(allowed, reply.kind).toBeDefined();
        expect(allowed?.parse ?? [], reply.kind).toEqual([]);
        expect(allowed?.users ?? [], reply.kind).toEqual([]);
      }
    }
    // The prose escapes the markup: the title shows the name, not bold or code.
    expect(match.message.embeds[0]!.title).toContain('\\*\\*\\`\\`\\`');
  });

  it('a channel of another server is refused as the tournament channel', async () => {
    const ann = h.fake.addUser('ann');
    const home = await h.guildWith('Home', [ann]);
    const elsewhere = await h.guildWith('Elsewhere', [h.fake.addUser('zed')]);
    const foreign = h.fake.store.channels.get(elsewhere.channelIds[0]!)!;
    for (const subcommand of ['run-now', 'schedule']) {
      const answer = await run(h.fake, {
        name: 'tournament',
        subcommand,
        guildId: home.id,
        user: ann,
        options: { ...(subcommand === 'schedule' ? { cron: '0 20 * * 5' } : {}), channel: foreign as never },
      });
      expectUserError(answer, /^The channel option must be a channel of this server\.$/);
    }
    expect(await deps.repos.schedules.get(home.id)).toBeNull();
    expect(h.fake.channelMessages(elsewhere.channelIds[0]!)).toEqual([]);
  });

  it("a guild's stored override above the operator's limit is shown and applied as the operator's", async () => {
    const ann = h.fake.addUser('ann');
    const guild = await h.guildWith('Old override', [ann]);
    await h.engine.deps.repos.guilds.upsert({ id: guild.id, name: guild.name });
    await h.engine.deps.repos.guilds.setLimits(guild.id, {
      fuelPerMove: 9_000_000_000,
      stderrBytes: 10 ** 9,
    });
    const help = await run(h.fake, { name: 'help', guildId: guild.id, user: ann });
    const limits = help.message.embeds[0]!.fields!.find((f) => f.name === 'Limits on this server')!.value;
    expect(limits).toContain('Fuel: 20,000,000 instructions per move');
    expect(limits).toContain('100.0 KiB stderr per move');
  });
});

describe('members who look alike (item 6)', () => {
  it('two "Alice"s with a bot called "frequency" each are told apart in the standings and the result', async () => {
    const [alice1, alice2] = [h.fake.addUser('alice'), h.fake.addUser('alice')];
    const guild = await h.guildWith('Look-alikes', [alice1, alice2]);
    await h.seed(guild, alice1, 'frequency', botBytes('frequency.component'));
    await h.seed(guild, alice2, 'frequency', botBytes('rock.component'));
    const match = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: alice1,
      options: { opponent: alice2 },
    });
    const [left, right] = match.message.embeds[0]!.title!.split(' vs ');
    expect(left).toMatch(/^Alice\\#[0-9A-Z]{4}\/frequency$/);
    expect(right).toMatch(/^Alice\\#[0-9A-Z]{4}\/frequency$/);
    expect(left).not.toBe(right);
    const board = embedText(
      (await run(h.fake, { name: 'leaderboard', guildId: guild.id, user: alice1 })).message,
    );
    const tags = [...board.matchAll(/Alice#([0-9A-Z]{4})/g)].map((m) => m[1]);
    expect(new Set(tags).size).toBe(2);
    const info = await run(h.fake, {
      name: 'bot',
      subcommand: 'info',
      guildId: guild.id,
      user: alice1,
      options: { name: 'frequency' },
    });
    // Alice 1's bot played Alice 2's: the opponent is shown with Alice 2's tag.
    expect(embedText(info.message)).toContain(`vs ${right}`);
    // A tournament's entrants, in its thread: both, each with its own tag.
    await run(h.fake, {
      name: 'tournament',
      subcommand: 'run-now',
      guildId: guild.id,
      user: alice1,
      options: { rounds: 50 },
    });
    const thread = await h.fake.waitFor(
      () =>
        [...h.fake.store.channels.values()].find(
          (c) => c.type === 11 && (c as { guild_id?: string }).guild_id === guild.id,
        ),
      30_000,
      'the tournament thread',
    );
    const entrants = await h.fake.waitFor(
      () =>
        h.fake
          .channelMessages(thread.id)
          .map((m) => m.content)
          .join('\n') || undefined,
      30_000,
      'the entrants message',
    );
    expect(new Set([...entrants.matchAll(/Alice#([0-9A-Z]{4})/g)].map((m) => m[1])).size).toBe(2);
  });
});

describe('forged buttons and direct messages (item 8)', () => {
  it('buttons with forged ids are answered plainly; a page beyond the end is the last page', async () => {
    const [ann, ben] = [h.fake.addUser('ann'), h.fake.addUser('ben')];
    const guild = await h.guildWith('Forged buttons', [ann, ben]);
    await h.seed(guild, ann, 'rock', botBytes('rock.component'));
    const board = await run(h.fake, { name: 'leaderboard', guildId: guild.id, user: ann });
    const press = (customId: string) =>
      answered(
        h.fake,
        h.fake.sendButton({ customId, messageId: board.message.id, user: ben, guildId: guild.id }),
      );
    for (const id of [
      'leaderboard:page:99999999999999999999999',
      'leaderboard:page:-1',
      'leaderboard:page:1e400',
      'leaderboard:x',
    ]) {
      const answer = await press(id);
      expect(embedText(answer.message), id).toMatch(/leaderboard/);
      expect(embedText(answer.message), id).not.toMatch(/Something went wrong/);
    }
    for (const id of ['admin:retire-bot:123', 'tournament:cancel', 'x'.repeat(100), ':::']) {
      expectUserError(await press(id), /^That button no longer does anything\.$/);
    }
  });

  it('commands, autocomplete and buttons in a DM are told the commands work in servers; nothing is stored', async () => {
    const eve = h.fake.addUser('eve');
    const before = (await db.select().from(guilds)).length;
    const inputs: Array<{ name: string; subcommand?: string; options?: Record<string, string | number> }> = [
      { name: 'leaderboard' },
      { name: 'challenge', options: { rounds: 5 } },
      { name: 'tournament', subcommand: 'schedule', options: { cron: '* * * * * *' } },
      { name: 'admin', subcommand: 'reset-limits' },
    ];
    for (const input of inputs) {
      const answer = await answered(h.fake, h.fake.sendDirectChatInput({ ...input, user: eve }));
      expectUserError(answer, /commands work in servers/);
    }
    const suggestions = await h.fake
      .sendDirectAutocomplete({
        name: 'bot',
        subcommand: 'info',
        user: eve,
        options: { name: 'r' },
        focused: 'name',
      })
      .response();
    expect(suggestions.data?.choices).toEqual([]);
    const dmReply = await answered(h.fake, h.fake.sendDirectChatInput({ name: 'help', user: eve }));
    const pressed = await answered(
      h.fake,
      h.fake.sendDirectButton({ user: eve, customId: 'leaderboard:page:2', messageId: dmReply.message.id }),
    );
    expectUserError(pressed, /commands work in servers/);
    expect((await db.select().from(guilds)).length).toBe(before);
    expect(await db.select().from(players).where(eq(players.userId, eve.id))).toEqual([]);
  });

  it('a manager of one server cannot touch another: admin commands act on the server they are sent in', async () => {
    const [owner, member] = [h.fake.addUser('owner'), h.fake.addUser('member')];
    const mine = await h.guildWith('Mine', [owner, member]);
    const theirs = await h.guildWith('Theirs', [h.fake.addUser('them'), member]);
    makeManager(h.fake, mine.id, member);
    await h.seed(theirs, member, 'rock', botBytes('rock.component'));
    // A manager in "Mine" retiring a bot that exists only in "Theirs": not found.
    const answer = await run(h.fake, {
      name: 'admin',
      subcommand: 'retire-bot',
      guildId: mine.id,
      user: member,
      options: { owner: member, name: 'rock' },
    });
    expectUserError(answer, /has no bot called "rock"/);
    const bot = (await deps.repos.bots.listActive(theirs.id))[0]!;
    expect(bot.bot.retiredAt).toBeNull();
  });
});
