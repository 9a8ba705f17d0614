// What hostile members and managers can make the service spend (issue 16), through the real
// Discord transport: a schedule that would freeze the event loop while another guild is served,
// rate limits that count what costs (downloads before the name was checked, aborted matches,
// several guilds), the rated-pair cap under concurrent challenges, storage quotas checked before
// downloading, autocomplete for every bot option, and retiring a bot in a running tournament.
import type { APIUser } from 'discord.js';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findOption } from '../../src/commands/index.js';
import type { Command, OptionSpec } from '../../src/commands/types.js';
import { players } from '../../src/db/schema.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { useTestDatabase } from '../support/database.js';
import type { GuildRecord, InteractionHandle } from '../support/fake-discord/index.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { answered, embedText, expectUserError, makeManager, run } from './harness.js';
import { startTournamentHarness } from './tournament-harness.js';

const { db } = await useTestDatabase();
const real = useSandbox();
// The sandbox as tests steer it: a match can be made to abort (as when its worker dies) or to
// take a while (so a tournament has a middle to act in); everything else is the real one.
const steer = { abort: false, delayMs: 0 };
const sandbox: Sandbox & { limits: typeof real.limits } = {
  ...real,
  play: async (request) => {
    if (steer.delayMs) await new Promise((resolve) => setTimeout(resolve, steer.delayMs));
    if (steer.abort) {
      return {
        ok: false,
        error: { code: 'worker-lost', message: 'the sandbox process running the match failed' },
      };
    }
    return real.play(request);
  },
};
const { h, deps } = await startTournamentHarness({
  db,
  sandbox,
  rateLimits: { submit: 3, challenge: 4 },
  quota: { botsPerUser: 3, versionsPerBot: 3, bytesPerUser: 64 * 1024 * 1024 },
  concurrency: 1,
  scheduledRounds: 1000,
});

const cdnHits = (id: string) => h.fake.requests.filter((r) => r.path.includes(`/${id}/`));
const ratedIn = (text: string) => /^Ratings$/m.test(text);

describe('one guild cannot stall the others (item 2)', () => {
  it("a manager's hostile schedules in guild B while guild A's members are answered in time", async () => {
    const [manager, ann] = [h.fake.addUser('manager'), h.fake.addUser('ann')];
    const b = await h.guildWith('Guild B', [manager]);
    const a = await h.guildWith('Guild A', [ann]);
    const hostile = ['* * * * * *', '* * * * *', '0 0 1-99999999 * *', '*/1 * * * *', '0-59 0-23 * * *'];
    // B's schedules and A's commands arrive together; every A interaction must be acknowledged
    // within Discord's 3 s (the fake answers "Unknown interaction" after that) and answered.
    const fromB = hostile.map((cron) =>
      h.fake.sendChatInput({
        name: 'tournament',
        subcommand: 'schedule',
        guildId: b.id,
        user: manager,
        options: { cron },
      }),
    );
    const fromA: InteractionHandle[] = [];
    for (let i = 0; i < 3; i++) {
      fromA.push(h.fake.sendChatInput({ name: 'help', guildId: a.id, user: ann }));
      fromA.push(h.fake.sendChatInput({ name: 'leaderboard', guildId: a.id, user: ann }));
    }
    for (const handle of fromA) {
      const answer = await answered(h.fake, handle);
      expect(embedText(answer.message)).toMatch(/Throwdown|leaderboard/);
    }
    for (const [i, handle] of fromB.entries()) {
      const answer = await answered(h.fake, handle);
      expectUserError(answer, /e\.g\. `0 20 \* \* 5` for Fridays at 20:00|For example `\*\/15 \* \* \* \*`/);
      expect(embedText(answer.message), hostile[i]).not.toMatch(/invalid expression/);
    }
    expect(h.logs.filter((l) => l.includes('interaction expired'))).toEqual([]);
    expect(await deps.repos.schedules.get(b.id)).toBeNull();
  });
});

describe('rate limits count what costs (item 4)', () => {
  it('a bad name is refused before the download, as often as you like: nothing was spent', async () => {
    const eve = h.fake.addUser('eve');
    const guild = await h.guildWith('Bad names', [eve]);
    const file = h.fake.addAttachment({ filename: 'bot.wasm', bytes: new Uint8Array(10 * 1024) });
    for (let i = 0; i < 5; i++) {
      const answer = await run(h.fake, {
        name: 'submit',
        guildId: guild.id,
        user: eve,
        options: { bot: file, name: `bad name ${i}` },
      });
      expectUserError(answer, /^Bot names are 1-32 characters/);
    }
    expect(cdnHits(file.id)).toEqual([]);
  });

  it('a refusal after the download counts: the fourth upload of junk within the hour is refused', async () => {
    const eve = h.fake.addUser('eve');
    const guild = await h.guildWith('Junk uploads', [eve]);
    const file = h.fake.addAttachment({ filename: 'junk.wasm', bytes: 'not a bot at all' });
    for (let i = 0; i < 3; i++) {
      const answer = await run(h.fake, {
        name: 'submit',
        guildId: guild.id,
        user: eve,
        options: { bot: file },
      });
      expectUserError(answer, /not a WebAssembly binary/);
    }
    const fourth = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: eve,
      options: { bot: file },
    });
    expectUserError(fourth, /going a bit fast/);
    expect(cdnHits(file.id)).toHaveLength(3);
    // A refused upload leaves nothing behind, not even the member's row.
    expect(await db.select().from(players).where(eq(players.userId, eve.id))).toEqual([]);
  });

  it('an aborted challenge counts, and the limit is per user across guilds', async () => {
    const [ann, ben] = [h.fake.addUser('ann'), h.fake.addUser('ben')];
    const one = await h.guildWith('First server', [ann, ben]);
    const two = await h.guildWith('Second server', [ann, ben]);
    for (const g of [one, two]) {
      await h.seed(g, ann, 'rock', botBytes('rock.component'));
      await h.seed(g, ben, 'cycle', botBytes('cycle.component'));
    }
    const challenge = (g: GuildRecord) =>
      run(h.fake, { name: 'challenge', guildId: g.id, user: ann, options: { opponent: ben } });
    // Free refusals do not count (no bot of that name: nothing played).
    expectUserError(
      await run(h.fake, {
        name: 'challenge',
        guildId: one.id,
        user: ann,
        options: { opponent: ben, my_bot: 'nope' },
      }),
      /You have no bot called "nope"/,
    );
    steer.abort = true;
    try {
      expectUserError(await challenge(one), /The match could not be played/);
      expectUserError(await challenge(two), /The match could not be played/);
    } finally {
      steer.abort = false;
    }
    expect(embedText((await challenge(one)).message)).toMatch(/rock/);
    expect(embedText((await challenge(two)).message)).toMatch(/rock/);
    // Four in all, two in each server: the fifth is refused in either.
    expectUserError(await challenge(one), /going a bit fast/);
    expectUserError(await challenge(two), /going a bit fast/);
  });

  it('of 8 concurrent challenges between the same two bots, exactly 3 are rated', async () => {
    const [ann, ben] = [h.fake.addUser('ann'), h.fake.addUser('ben')];
    const guild = await h.guildWith('Farming', [ann, ben]);
    await h.seed(guild, ann, 'rock', botBytes('rock.component'));
    await h.seed(guild, ben, 'cycle', botBytes('cycle.component'));
    const handles = Array.from({ length: 8 }, (_, i) =>
      h.fake.sendChatInput({
        name: 'challenge',
        guildId: guild.id,
        user: i % 2 ? ann : ben,
        options: { opponent: i % 2 ? ben : ann },
      }),
    );
    const texts = await Promise.all(
      handles.map(async (handle) => embedText((await answered(h.fake, handle)).message)),
    );
    expect(texts.filter(ratedIn)).toHaveLength(3);
    expect(texts.filter((t) => /already played 3 rated challenges/.test(t))).toHaveLength(5);
  });

  it('a length other than the standard is practice, and the reply says so', async () => {
    const [ann, ben] = [h.fake.addUser('ann'), h.fake.addUser('ben')];
    const guild = await h.guildWith('Practice', [ann, ben]);
    await h.seed(guild, ann, 'rock', botBytes('rock.component'));
    await h.seed(guild, ben, 'cycle', botBytes('cycle.component'));
    const practice = await run(h.fake, {
      name: 'challenge',
      guildId: guild.id,
      user: ann,
      options: { opponent: ben, rounds: 300 },
    });
    expect(practice.message.embeds[0]!.fields).toEqual([
      {
        name: 'Not rated',
        value:
          "Practice: only matches of this server's standard length (1,000 rounds) are rated, so this 300-round match is not.",
        inline: false,
      },
    ]);
  });
});

describe('storage quotas are checked before downloading (item 7)', () => {
  it('a fourth bot and a fourth version are refused from the metadata, and cost nothing', async () => {
    const eve = h.fake.addUser('eve');
    const guild = await h.guildWith('Quotas', [eve]);
    for (const name of ['one', 'two', 'three']) await h.seed(guild, eve, name, botBytes('rock.component'));
    const file = h.fake.addAttachment({ filename: 'four.wasm', bytes: botBytes('cycle.component') });
    const fourth = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: eve,
      options: { bot: file },
    });
    expectUserError(fourth, /You already have 3 bots on this server/);
    await h.seed(guild, eve, 'one', botBytes('cycle.component'));
    await h.seed(guild, eve, 'one', botBytes('beatlast.component'));
    const version = await run(h.fake, {
      name: 'submit',
      guildId: guild.id,
      user: eve,
      options: { bot: file, name: 'one' },
    });
    expectUserError(version, /"one" already has 3 versions/);
    expect(cdnHits(file.id)).toEqual([]);
  });
});

describe('bot options (item 6)', () => {
  it('autocomplete works for every bot option of every command', async () => {
    const [ann, ben] = [h.fake.addUser('ann'), h.fake.addUser('ben')];
    const guild = await h.guildWith('Autocomplete everywhere', [ann, ben]);
    makeManager(h.fake, guild.id, ann);
    await h.seed(guild, ann, 'annbot', botBytes('rock.component'));
    await h.seed(guild, ben, 'benbot', botBytes('cycle.component'));
    const expected = { 'own-bots': 'annbot', 'opponent-bots': 'benbot', 'guild-bots': 'benbot' } as const;
    // The user option that names whose bots are meant (guild-bots: narrowed to that owner's).
    const memberOption = (o: OptionSpec) =>
      o.autocomplete === 'opponent-bots'
        ? 'opponent'
        : o.autocomplete === 'guild-bots'
          ? (o.ownerOption ?? null)
          : null;
    let checked = 0;
    for (const command of h.dispatcher.commands as Command[]) {
      const levels = command.subcommands?.length
        ? command.subcommands.map((s) => ({ sub: s.name as string | undefined, options: s.options ?? [] }))
        : [{ sub: undefined, options: command.options ?? [] }];
      for (const { sub, options } of levels) {
        for (const option of options) {
          if (!option.autocomplete) continue;
          const member = memberOption(option);
          if (member)
            expect(findOption(command, sub, member)?.type, `${command.name} ${sub} ${member}`).toBe('user');
          const response = await h.fake
            .sendAutocomplete({
              name: command.name,
              ...(sub ? { subcommand: sub } : {}),
              guildId: guild.id,
              user: ann,
              options: { ...(member ? { [member]: ben } : {}), [option.name]: '' },
              focused: option.name,
            })
            .response();
          expect(response.data?.choices, `/${command.name} ${sub ?? ''} ${option.name}`).toEqual([
            { name: expected[option.autocomplete], value: expected[option.autocomplete] },
          ]);
          checked++;
        }
      }
    }
    // submit name, challenge my_bot and their_bot, six /bot subcommands, admin retire-bot.
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('/admin retire-bot in a running tournament: the bot forfeits what it had left, and the results say so', async () => {
    const [ann, ben, cat, dan] = ['ann', 'ben', 'cat', 'dan'].map((n) => h.fake.addUser(n)) as [
      APIUser,
      APIUser,
      APIUser,
      APIUser,
    ];
    const guild = await h.guildWith('Retire mid-way', [ann, ben, cat, dan]);
    await h.seed(guild, ann, 'rock', botBytes('rock.component'));
    await h.seed(guild, ben, 'cycle', botBytes('cycle.component'));
    await h.seed(guild, cat, 'beater', botBytes('beatlast.component'));
    await h.seed(guild, dan, 'freq', botBytes('frequency.component'));
    const channel = guild.channelIds[0]!;
    steer.delayMs = 300;
    try {
      const started = await run(h.fake, {
        name: 'tournament',
        subcommand: 'run-now',
        guildId: guild.id,
        user: ann,
        options: { rounds: 100 },
      });
      const id = Number(/tournament #(\d+)/.exec(embedText(started.message))![1]);
      await h.fake.waitFor(
        async () => (await deps.repos.tournaments.resultCount(id)) >= 1,
        30_000,
        'a first result',
      );
      const retired = await run(h.fake, {
        name: 'admin',
        subcommand: 'retire-bot',
        guildId: guild.id,
        user: ann,
        options: { owner: dan, name: 'freq' },
      });
      expect(embedText(retired.message)).toMatch(/forfeits what it had left to play in a running tournament/);
      const posted = await h.fake.waitFor(
        () => {
          const messages = h.fake.channelMessages(channel).filter((m) => !m.webhook_id);
          return messages.length >= 2 && messages[1]!.embeds.length > 0 ? messages : undefined;
        },
        60_000,
        'the results post',
      );
      const results = await deps.repos.tournaments.results(id);
      const forfeits = results.filter((r) => r.unplayedReason?.includes('was retired during the tournament'));
      expect(forfeits.length).toBeGreaterThan(0);
      expect(JSON.stringify(posted[1]!.embeds)).toMatch(/was retired during the tournament/);
    } finally {
      steer.delayMs = 0;
    }
  });
});
