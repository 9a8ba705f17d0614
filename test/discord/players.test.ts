// Discord for players, not only admins, on a phone, without waiting: the views of issue 13
// end to end through the real client, the fake Discord, PostgreSQL and the sandbox. Widths are
// measured by the independent checker in test/support/phone-width.ts; acknowledgement times are
// recorded (printed), never asserted: `npm run bench` measures them under load.
import {
  type APIUser,
  ApplicationCommandOptionType,
  ChannelType,
  InteractionResponseType,
  MessageFlags,
} from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import type { GuildRecord, InteractionHandle } from '../support/fake-discord/index.js';
import { expectFitsPhone } from '../support/phone-width.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { answered, embedText, expectUserError, makeManager, run } from './harness.js';
import { startTournamentHarness } from './tournament-harness.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
const { h, service, deps, clock } = await startTournamentHarness({
  db,
  sandbox,
  concurrency: 2,
  scheduledRounds: 100,
});

const R = InteractionResponseType;
/** Every interaction's time to acknowledgement, as the fake saw it; printed at the end. */
const ackTimes: Array<{ what: string; ms: number }> = [];

function recordAck(handle: InteractionHandle, what: string): void {
  const callback = h.fake.requests.find(
    (r) => r.route === '/interactions/:interaction/:token/callback' && r.path.includes(`/${handle.id}/`),
  );
  if (callback) ackTimes.push({ what, ms: callback.at - handle.record.createdAt });
}

afterAll(() => {
  if (ackTimes.length === 0) return;
  const sorted = ackTimes.map((a) => a.ms).sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.info(
    `acknowledgements: ${sorted.length} interactions, p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms, max ${sorted.at(-1)} ms`,
  );
});

async function ask(input: Parameters<typeof run>[1]) {
  const answer = await run(h.fake, input, 60_000);
  recordAck(answer.handle, `/${input.name}${input.subcommand ? ` ${input.subcommand}` : ''}`);
  return answer;
}

async function press(input: Parameters<typeof h.fake.sendButton>[0]) {
  const handle = h.fake.sendButton(input);
  const answer = await answered(h.fake, handle);
  recordAck(handle, `button ${input.customId}`);
  return answer;
}

const challenge = (guild: GuildRecord, user: APIUser, opponent: APIUser, extra = {}) =>
  ask({ name: 'challenge', guildId: guild.id, user, options: { opponent, ...extra } });

describe('standings fit a phone', () => {
  it('leaderboard, /bot list and /bot versions: every table line within 40 columns, wide names too', async () => {
    const { guild, users } = await h.guild('Phone widths', ['ann', 'ben']);
    // Owners' display names are free text: CJK (two columns a character), fullwidth, and names
    // ending in the marks ("*" now, ">" before). Bot names are long.
    const as = (user: APIUser, displayName: string, name: string) =>
      h.engine.submit({
        guild: { id: guild.id, name: guild.name },
        player: { userId: user.id, displayName },
        name,
        bytes: botBytes('rock.component'),
      });
    await as(users.ben!, '太郎のボット太郎のボット太郎のボット', 'a-very-long-bot-name-indeed-xyz');
    await as(users.ben!, '太郎のボット太郎のボット太郎のボット', 'sneaky');
    await as(users.ann!, 'Ann *>', 'plain');
    await as(users.ann!, 'Ann *>', 'another-long-name-for-a-bot');

    const board = await ask({ name: 'leaderboard', guildId: guild.id, user: users.ann });
    const lines = expectFitsPhone(board.message);
    // The owner is on a deliberate second line, the record is W-D-L, and the marker column is
    // Ann's alone, whatever the names end in.
    expect(lines[0]).toMatch(/^ +# +bot +rating +W-D-L$/);
    expect(lines.filter((l) => /^ +by /.test(l))).toHaveLength(4);
    expect(lines.some((l) => /^ +by \?{5}/.test(l))).toBe(true);
    const marked = lines.filter((l) => l.startsWith('*')).map((l) => l.slice(1).trim().split(/ +/)[1]);
    expect(marked.sort()).toEqual([expect.stringMatching(/^another-long-name-.*…$/), 'plain']);
    expect(lines.filter((l) => l.startsWith('>'))).toEqual([]);
    expect(embedText(board.message)).toContain("`*` Ann's bots");
    // Bots with few games are provisional.
    expect(embedText(board.message)).toMatch(/\d\? +\d+-\d+-\d+/);
    expect(embedText(board.message)).toContain('`?` provisional: under 5 games');

    const list = await ask({ name: 'bot', subcommand: 'list', guildId: guild.id, user: users.ben });
    expect(list.message.embeds[0]?.title).toBe('Your bots');
    expect(expectFitsPhone(list.message).some((l) => l.includes('sneaky'))).toBe(true);
    const versions = await ask({
      name: 'bot',
      subcommand: 'versions',
      guildId: guild.id,
      user: users.ann,
      options: { name: 'plain' },
    });
    expectFitsPhone(versions.message);
  });
});

describe('players see tournaments', () => {
  it('a player learns the next run (a Discord timestamp), the history and a past tournament’s standings', async () => {
    const { guild, users } = await h.guild('Player views', ['org', 'pia', 'quin']);
    await h.seed(guild, users.org!, 'rock', botBytes('rock.component'));
    await h.seed(guild, users.pia!, 'cycle', botBytes('cycle.component'));
    await h.seed(guild, users.quin!, 'beatlast', botBytes('beatlast.component'));
    const channel = guild.channelIds[0]!;
    // Org owns the guild (a manager); Pia is a player.
    const refused = await ask({
      name: 'tournament',
      subcommand: 'schedule',
      guildId: guild.id,
      user: users.pia,
      options: { cron: '0 20 * * 5' },
    });
    expectUserError(refused, /^\/tournament schedule is for server managers/);
    expect(refused.replies.map((r) => r.kind)).toEqual(['callback']);
    await ask({
      name: 'tournament',
      subcommand: 'schedule',
      guildId: guild.id,
      user: users.org,
      options: { cron: '0 20 * * 5' },
    });
    const status = await ask({
      name: 'tournament',
      subcommand: 'status',
      guildId: guild.id,
      user: users.pia,
    });
    const slot = Date.UTC(2026, 2, 6, 20) / 1000;
    expect(embedText(status.message)).toContain(`Next: <t:${slot}:F> (<t:${slot}:R>)`);
    // Managers' notices stay with managers.
    expect(embedText(status.message)).not.toMatch(/\/tournament (schedule|cancel)/);
    await ask({
      name: 'tournament',
      subcommand: 'schedule',
      guildId: guild.id,
      user: users.org,
      options: { cron: 'off' },
    });

    const started = await ask({
      name: 'tournament',
      subcommand: 'run-now',
      guildId: guild.id,
      user: users.org,
      options: { rounds: 50 },
    });
    const id = Number(/#(\d+)/.exec(embedText(started.message))![1]);
    expect(await service.waitFor(id)).toBe('finished');

    // The results post and the thread's tables fit a phone; the two records agree in format.
    const results = await h.fake.waitFor(
      () => h.fake.channelMessages(channel).find((m) => !m.webhook_id && m.embeds.length > 0),
      30_000,
      'the results post',
    );
    const [standings, board] = results.embeds;
    const heads = expectFitsPhone({ content: '', embeds: [standings!] }).filter((l) => /^ +#/.test(l));
    for (const head of heads) expect(head).toMatch(/W-D-L/);
    expect(expectFitsPhone({ content: '', embeds: [board!] })[0]).toMatch(/W-D-L$/);
    expect(results.attachments[0]?.description).toMatch(/^Rating chart of 3 bots, highest rating first/);
    // The thread (on the progress message) holds the entrants and the full standings.
    const progress = h.fake.channelMessages(channel).find((m) => !m.webhook_id)!;
    const tables = await h.fake.waitFor(
      () => {
        const texts = h.fake.channelMessages(progress.id).map((m) => m.content);
        return texts.filter((t) => t.includes('```')).length >= 2 ? texts : undefined;
      },
      10_000,
      'the thread tables',
    );
    for (const text of tables.filter((t) => t.includes('```'))) {
      expect(expectFitsPhone(text).filter((l) => /^ *by /.test(l))).toHaveLength(3);
    }

    let history = '';
    for (let i = 0; i < 50 && !/winner/.test(history); i++) {
      if (i) await new Promise((resolve) => setTimeout(resolve, 100));
      history = embedText(
        (await ask({ name: 'tournament', subcommand: 'history', guildId: guild.id, user: users.quin }))
          .message,
      );
    }
    expect(history).toMatch(new RegExp(`#${id} · Round robin · <t:\\d+:d> · 3 bots · winner`));
    const past = await ask({
      name: 'tournament',
      subcommand: 'standings',
      guildId: guild.id,
      user: users.quin,
      options: { id },
    });
    expect(past.ephemeral).toBe(true);
    expect(past.message.embeds[0]?.title).toBe(`Round robin tournament #${id}: standings`);
    const rows = expectFitsPhone(past.message);
    expect(rows.filter((l) => l.startsWith('*'))).toEqual([expect.stringMatching(/^\*\s*\d+ +beatlast /)]);
    expect(rows.filter((l) => /^ +by /.test(l))).toHaveLength(3);
  });

  it('the channel option takes text channels only, and the organiser hears when posting fails', async () => {
    const { guild, users } = await h.guild('Channels', ['org', 'pia']);
    await h.seed(guild, users.org!, 'rock', botBytes('rock.component'));
    await h.seed(guild, users.pia!, 'cycle', botBytes('cycle.component'));
    // Registered so Discord's picker offers text and announcement channels only.
    const registered = h.fake.registeredCommands().find((c) => c.name === 'tournament')!;
    const runNow = registered.options?.find((o) => o.name === 'run-now') as {
      options: Array<{ name: string; type: number; channel_types?: number[] }>;
    };
    expect(
      runNow.options.find((o) => o.type === ApplicationCommandOptionType.Channel)?.channel_types,
    ).toEqual([ChannelType.GuildText, ChannelType.GuildAnnouncement]);
    // A crafted (or stale) request naming a category is still refused, before any tournament.
    const category = h.fake.addOtherChannel('Tournaments', ChannelType.GuildCategory, guild.id);
    const refused = await ask({
      name: 'tournament',
      subcommand: 'run-now',
      guildId: guild.id,
      user: users.org,
      options: { channel: category },
    });
    expectUserError(refused, /#Tournaments is not a text channel/);
    expect(await deps.repos.tournaments.activeFor(guild.id)).toBeNull();

    // A text channel the bot may not post in: the tournament runs, and the organiser is told.
    const closed = h.fake.addChannel('closed', guild.id);
    h.fake.denySend(closed.id);
    const started = await ask({
      name: 'tournament',
      subcommand: 'run-now',
      guildId: guild.id,
      user: users.org,
      options: { channel: closed, rounds: 20 },
    });
    expect(started.ephemeral).toBe(true);
    expect(embedText(started.message)).toContain(`I could not post in <#${closed.id}>`);
    const id = Number(/#(\d+)/.exec(embedText(started.message))![1]);
    // The runner may already be done (a short tournament): then the stored state says how it ended.
    const ended = (await service.waitFor(id)) ?? (await deps.repos.tournaments.get(id))?.status;
    expect(ended).toBe('finished');
  });
});

describe("anyone's bots", () => {
  it('/bot info shows public facts of anyone’s bot; logs stay with the owner; head-to-head', async () => {
    const { guild, users } = await h.guild('Bot facts', ['ann', 'ben']);
    await h.seed(guild, users.ann!, 'rocky', botBytes('rock.component'));
    await h.seed(guild, users.ben!, 'beater', botBytes('beatlast.component'));
    for (let i = 0; i < 2; i++) await challenge(guild, users.ann!, users.ben!);

    const info = await ask({
      name: 'bot',
      subcommand: 'info',
      guildId: guild.id,
      user: users.ann,
      options: { name: 'beater' },
    });
    const text = embedText(info.message);
    expect(text).toContain('**Owner:** Ben');
    expect(text).toMatch(/\*\*Current version:\*\* 1 of 1/);
    expect(text).toMatch(/\*\*Rating:\*\* \d+\? \(provisional\) \(#\d of 2\)/);
    expect(text).toMatch(/\*\*Record \(W-D-L\):\*\* 2-0-0 in 2 games/);
    expect(info.message.embeds[0]?.footer?.text).toBe('Logs and stderr are shown to the owner only.');
    const log = await ask({
      name: 'bot',
      subcommand: 'log',
      guildId: guild.id,
      user: users.ann,
      options: { name: 'beater' },
    });
    expectUserError(log, /You have no bot called "beater"/);

    const h2h = await ask({
      name: 'bot',
      subcommand: 'head-to-head',
      guildId: guild.id,
      user: users.ben,
      options: { name: 'rocky', other: 'beater' },
    });
    expect(embedText(h2h.message)).toContain("Record (W-D-L) from rocky's side: **0-0-2**");

    // Autocomplete offers any owner's bots, saying whose.
    const suggested = await h.fake
      .sendAutocomplete({
        name: 'bot',
        subcommand: 'info',
        guildId: guild.id,
        user: users.ann,
        options: { name: '' },
        focused: 'name',
      })
      .response();
    expect(suggested.data?.choices).toEqual([
      { name: 'beater (Ben)', value: 'beater' },
      { name: 'rocky (Ann)', value: 'rocky' },
    ]);
  });
});

describe('every tap answers at once', () => {
  it('paging is per viewer: a press opens the presser’s own copy, later presses update it in place', async () => {
    const { guild, users } = await h.guild('Paging', ['ann', 'ben', 'cat']);
    const owners = [users.ann!, users.ben!, users.cat!];
    for (let i = 0; i < 24; i++)
      await h.seed(guild, owners[i % 3]!, `p${String(i).padStart(2, '0')}`, botBytes('rock.component'));
    const board = await ask({ name: 'leaderboard', guildId: guild.id, user: users.ann });
    const publicText = embedText(board.message);
    expect(publicText).toContain('page 1/3');

    const bens = await press({
      customId: 'leaderboard:page:2',
      messageId: board.message.id,
      user: users.ben,
      guildId: guild.id,
    });
    // Acknowledged first (private "thinking…"), then filled in: Ben's own copy of page 2.
    expect(bens.replies.map((r) => r.kind)).toEqual(['callback', 'edit']);
    expect(bens.ephemeral).toBe(true);
    expect(embedText(bens.message)).toContain('page 2/3');
    // His rows are marked for him; the legend says they are his.
    const benRows = expectFitsPhone(bens.message).filter((l) => l.startsWith('*'));
    expect(benRows.length).toBeGreaterThan(0);
    expect(embedText(bens.message)).toContain('`*` your bots');

    // Cat pages on the public message too: her own copy; Ben's and the public one do not move.
    const cats = await press({
      customId: 'leaderboard:page:3',
      messageId: board.message.id,
      user: users.cat,
      guildId: guild.id,
    });
    expect(embedText(cats.message)).toContain('page 3/3');
    expect(embedText(h.fake.message(board.message.id)!)).toBe(publicText);
    expect(embedText(h.fake.message(bens.message.id)!)).toContain('page 2/3');

    // Ben pages on his copy: deferred update, then edited in place.
    const again = await press({
      customId: 'leaderboard:page:3',
      messageId: bens.message.id,
      user: users.ben,
      guildId: guild.id,
    });
    expect(again.replies[0]).toMatchObject({ kind: 'callback', type: R.DeferredMessageUpdate });
    expect(again.message.id).toBe(bens.message.id);
    expect(embedText(h.fake.message(bens.message.id)!)).toContain('page 3/3');
    expect(embedText(h.fake.message(board.message.id)!)).toBe(publicText);
  });

  it('refusals come before any public "thinking…"; the challenged player is named, pinged only by opt-in', async () => {
    const { guild, users } = await h.guild('Refusals', ['ann', 'ben']);
    await h.seed(guild, users.ann!, 'rock', botBytes('rock.component'));
    const privately = async (options: Record<string, unknown>, pattern: RegExp) => {
      const answer = await ask({
        name: 'challenge',
        guildId: guild.id,
        user: users.ann,
        options: options as never,
      });
      expectUserError(answer, pattern);
      expect(answer.replies.map((r) => r.kind)).toEqual(['callback']);
      expect(answer.replies[0]).toMatchObject({
        type: R.ChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral },
      });
    };
    await privately({ opponent: h.fake.bot }, /is a Discord bot, not a player/);
    await privately({ opponent: users.ann }, /A bot cannot play itself/);
    await privately({ opponent: users.ben }, /^Ben#[0-9A-Z]{4} has no active bot to play\.$/);
    await h.seed(guild, users.ben!, 'paper', botBytes('cycle.component'));
    await privately({ opponent: users.ben, their_bot: 'ghost' }, /Ben#[0-9A-Z]{4} has no bot called "ghost"/);

    // Named, but not pinged: Ben has not opted in.
    const quiet = await challenge(guild, users.ann!, users.ben!);
    expect(quiet.message.content).toBe(`<@${users.ben!.id}>, Ann challenged you.`);
    const quietBody = quiet.replies.find((r) => r.kind === 'edit')?.data as { allowed_mentions?: unknown };
    expect(quietBody.allowed_mentions).toEqual({ parse: [] });

    const opt = await ask({
      name: 'settings',
      guildId: guild.id,
      user: users.ben,
      options: { challenge_pings: true },
    });
    expect(embedText(opt.message)).toMatch(/Challenge pings: \*\*on\*\*/);
    const loud = await challenge(guild, users.ann!, users.ben!);
    const loudBody = loud.replies.find((r) => r.kind === 'edit')?.data as { allowed_mentions?: unknown };
    expect(loudBody.allowed_mentions).toEqual({ parse: [], users: [users.ben!.id] });
    // Only Ben: Ann is never pinged by her own challenge.
    expect(JSON.stringify(loudBody.allowed_mentions)).not.toContain(users.ann!.id);
  });

  it('a skipped scheduled run tells the channel why without managers’ advice', async () => {
    const { guild, users } = await h.guild('Skipped', ['org', 'pia']);
    makeManager(h.fake, guild.id, users.pia!);
    await h.seed(guild, users.org!, 'only', botBytes('rock.component'));
    await ask({
      name: 'tournament',
      subcommand: 'schedule',
      guildId: guild.id,
      user: users.pia,
      options: { cron: '0 21 * * 5' },
    });
    clock.advanceTo(new Date(Date.UTC(2026, 2, 6, 21)));
    const notice = await h.fake.waitFor(
      () => h.fake.channelMessages(guild.channelIds[0]).find((m) => /did not start/.test(m.content)),
      10_000,
      'the skipped notice',
    );
    expect(notice.content).toMatch(/A tournament needs at least 2 active bots/);
    expect(notice.content).not.toMatch(/\/tournament/);
  });
});
