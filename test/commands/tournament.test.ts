import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/commands/dispatch.js';
import { createCommands } from '../../src/commands/index.js';
import { createRateLimiter } from '../../src/commands/rate-limit.js';
import type { Reply } from '../../src/commands/reply.js';
import { tournamentCommand } from '../../src/commands/tournament.js';
import type { CommandContext, CommandInput } from '../../src/commands/types.js';
import { commandProblems } from '../../src/discord/command-rules.js';
import { commandsJson } from '../../src/discord/commands-json.js';
import { createEngine } from '../../src/engine/index.js';
import { createTournamentService, MemoryAnnouncer } from '../../src/engine/tournaments/index.js';
import { createScheduler } from '../../src/engine/tournaments/scheduler.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { silentLogger } from '../../src/util/logger.js';
import { useTestDatabase } from '../support/database.js';
import { FakeClock } from '../support/fake-clock.js';
import { expectFitsPhone } from '../support/phone-width.js';
import { useSandbox } from '../support/sandbox.js';
import { engineDeps, guildWithBots } from '../support/tournaments.js';

// /tournament through the transport-neutral dispatcher, as Discord and the console call it.
const { db } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
const engine = createEngine(deps);
// Every match takes at least 200 ms, so /tournament status and cancel find it still running.
const slowSandbox: Sandbox = {
  ...sandbox,
  play: async (request) => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return sandbox.play(request);
  },
};
const service = createTournamentService({
  deps: { ...deps, sandbox: slowSandbox },
  announcer: new MemoryAnnouncer(),
  concurrency: 2,
  progressIntervalMs: 0,
});
const clock = new FakeClock('2026-05-04T10:00:00Z');
const scheduler = createScheduler({
  schedules: deps.repos.schedules,
  clock,
  logger: silentLogger,
  defaultTimezone: 'Europe/Berlin',
  defaultRounds: 1000,
  fire: (row) => service.startScheduled(row),
});
const dispatcher = createDispatcher(
  createCommands({ docsUrl: null, extra: [tournamentCommand({ service, scheduler })] }),
  createRateLimiter({ submit: 10, challenge: 10 }),
);
afterAll(async () => {
  scheduler.stop();
  await service.stop();
});

const { guild } = await guildWithBots(deps, ['rock.component', 'cycle.component', 'frequency.command']);

function ctx(isAdmin = true): CommandContext {
  return {
    guild,
    user: { userId: '111122223333444455', displayName: 'Admin' },
    channelId: '900000000000000001',
    isAdmin,
    engine,
    logger: silentLogger,
    now: () => new Date(),
  };
}

const run = (subcommand: string, options: CommandInput['options'] = {}, admin = true) =>
  dispatcher.run(ctx(admin), 'tournament', { subcommand, options });
const text = (reply: Reply) =>
  reply.embeds?.map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n') ?? '';

describe('/tournament', () => {
  it('is a valid Discord command, visible to everyone, even without a running service', async () => {
    const definition = tournamentCommand(null);
    for (const scope of ['guild', 'global'] as const) {
      const json = commandsJson([definition], scope);
      expect(commandProblems(json)).toEqual([]);
      // Players see status, history and standings; managing is refused per subcommand.
      expect(json[0]?.default_member_permissions).toBeNull();
    }
    const idle = await createDispatcher([definition], createRateLimiter({ submit: 1, challenge: 1 })).run(
      ctx(),
      'tournament',
      { subcommand: 'status', options: {} },
    );
    expect(text(idle)).toMatch(/not running in this process/);
  });

  it('lets players look (status, history, standings) and only managers schedule, start and cancel', async () => {
    for (const sub of ['schedule', 'run-now', 'cancel']) {
      const reply = await run(sub, sub === 'schedule' ? { cron: '0 20 * * 5' } : {}, false);
      expect(text(reply)).toContain(`/tournament ${sub} is for server managers`);
    }
    const status = text(await run('status', {}, false));
    expect(status).toMatch(/^Tournaments\n/);
    // Notices for managers stay with managers.
    expect(status).not.toMatch(/\/tournament (schedule|cancel)/);
    expect(text(await run('history', {}, false))).toMatch(/Tournament history/);
    expect(dispatcher.find('tournament')?.adminOnly).toBeFalsy();
  });

  it('schedule: refuses a bad expression in words, stores a good one and shows the next run as a Discord timestamp', async () => {
    const bad = await run('schedule', { cron: '0 20 * * funday' });
    expect(bad.ephemeral).toBe(true);
    expect(text(bad)).toMatch(/The day-of-week field `funday` is not valid.*0 20 \* \* 5/s);

    const good = await run('schedule', {
      cron: '0 20 * * 5',
      channel: { id: '900000000000000002', name: 'tournaments' },
      format: 'swiss',
      rounds: 300,
    });
    // Friday 8 May 2026, 20:00 in Berlin (CEST, UTC+2) is 18:00 UTC.
    const next = Date.UTC(2026, 4, 8, 18) / 1000;
    expect(text(good)).toContain(
      `\`0 20 * * 5\` in Europe/Berlin · swiss · 300 rounds per match · in <#900000000000000002>`,
    );
    expect(text(good)).toContain(`Next: <t:${next}:F> (<t:${next}:R>)`);

    const off = await run('schedule', { cron: 'off' });
    expect(text(off)).toMatch(/Scheduled tournaments are off/);
    expect(text(await run('status'))).toMatch(/Scheduled tournaments are \*\*off\*\*/);
  });

  it('run-now, status, history and cancel', async () => {
    const started = await run('run-now', { rounds: 100 });
    expect(text(started)).toMatch(
      /Round robin tournament #\d+ started <t:\d+:R>: 3 bots, 3 matches of 100 rounds\. Progress and results go to <#900000000000000001>\./,
    );
    const id = Number(/#(\d+)/.exec(text(started))![1]);
    const again = await run('run-now');
    expect(text(again)).toMatch(
      new RegExp(`Tournament #${id} \\(round robin\\) is still (starting|running) here`),
    );
    expect(await service.waitFor(id)).toBe('finished');

    const history = text(await run('history'));
    expect(history).toMatch(
      new RegExp(
        // The owner as labelled, with the tag that tells same-named owners apart (escaped "#").
        `#${id} · Round robin · <t:\\d+:d> · 3 bots · winner \\*\\*player\\d\\\\#[0-9A-Z]{4}/.+ \\(\\d(\\.5)? pts\\)`,
      ),
    );
    expect(text(await run('status'))).toMatch(/No tournament is running/);
    expect(text(await run('cancel'))).toMatch(/No tournament is running here/);

    // Any player sees the finished tournament's standings, by default the latest, or by number.
    for (const options of [{}, { id }]) {
      const standings = await run('standings', options, false);
      expect(standings.embeds?.[0]?.title).toBe(`Round robin tournament #${id}: standings`);
      const lines = expectFitsPhone(standings.embeds?.[0]?.description ?? '');
      expect(lines[0]).toMatch(/^ +# +bot +pts +W-D-L$/);
      expect(lines.filter((l) => /^ +by player\d/.test(l))).toHaveLength(3);
    }
    expect(text(await run('standings', { id: 999_999 }, false))).toMatch(
      /There is no tournament #999999 here/,
    );

    const second = await run('run-now', { format: 'single-elimination', rounds: 1000 });
    const secondId = Number(/#(\d+)/.exec(text(second))![1]);
    const status = text(await run('status'));
    expect(status).toMatch(
      new RegExp(
        `Single elimination tournament #${secondId}\\*\\*, 3 bots, started <t:\\d+:R> in <#900000000000000001>`,
      ),
    );
    expect(status).toMatch(/Single elimination: \d\/2 matches/);
    const cancelled = text(await run('cancel'));
    expect(cancelled).toMatch(new RegExp(`Tournament #${secondId} is cancelled after \\d of 2 matches`));
    expect(await service.waitFor(secondId)).toBe('cancelled');
    expect(text(await run('history'))).toMatch(
      new RegExp(`#${secondId} · Single elimination · .* · cancelled`),
    );
  });
});
