import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TournamentSchedule } from '../../../src/db/repos/tournament-schedules.js';
import { createTournamentService, MemoryAnnouncer } from '../../../src/engine/tournaments/index.js';
import { createScheduler, type SchedulerOptions } from '../../../src/engine/tournaments/scheduler.js';
import { silentLogger } from '../../../src/util/logger.js';
import { useTestDatabase } from '../../support/database.js';
import { uid } from '../../support/db-fixtures.js';
import { FakeClock } from '../../support/fake-clock.js';
import { useSandbox } from '../../support/sandbox.js';
import { engineDeps, guildWithBots, memoryLogger } from '../../support/tournaments.js';

const { db, driver } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
const { repos } = deps;
const stops: (() => unknown)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function scheduler(clock: FakeClock, fire: SchedulerOptions['fire'], extra: Partial<SchedulerOptions> = {}) {
  const s = createScheduler({
    schedules: repos.schedules,
    clock,
    logger: silentLogger,
    defaultTimezone: 'UTC',
    defaultRounds: 100,
    fire,
    ...extra,
  });
  stops.push(() => s.stop());
  return s;
}

async function emptyGuild(): Promise<string> {
  return (await repos.guilds.upsert({ id: uid('guild'), name: 'Scheduled' })).id;
}

describe('scheduler', () => {
  it('fires a schedule at its slot in its timezone under a fake clock, and the tournament runs', async () => {
    const announcer = new MemoryAnnouncer();
    const service = createTournamentService({ deps, announcer, concurrency: 2, progressIntervalMs: 0 });
    stops.push(() => service.stop());
    const { guild } = await guildWithBots(deps, ['rock.component', 'cycle.component', 'beatlast.command']);
    // Monday 2 March 2026, noon UTC. New York is on EST (UTC-5) until Sunday 8 March.
    const clock = new FakeClock('2026-03-02T12:00:00Z');
    const s = scheduler(clock, (row) => service.startScheduled(row), { refreshMs: 30 * 86_400_000 });
    await s.start();
    const set = await s.set({
      guildId: guild.id,
      cron: '30 9 * * wed',
      timezone: 'America/New_York',
      channelId: 'channel-7',
      format: 'swiss',
      rounds: 50,
      updatedBy: 'admin',
    });
    if (!set.ok) throw new Error(set.error.message);
    const slot = new Date('2026-03-04T14:30:00Z');
    expect(set.value.nextRunAt).toEqual(slot);
    expect(clock.pending()[0]).toEqual(slot);

    clock.advanceTo(new Date(slot.getTime() - 1000));
    await new Promise((r) => setTimeout(r, 50));
    expect(await repos.tournaments.recent(guild.id)).toEqual([]);

    clock.advanceTo(slot);
    const [t] = await vi.waitFor(async () => {
      const rows = await repos.tournaments.recent(guild.id);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(t).toMatchObject({
      scheduleId: set.value.id,
      startedBy: 'schedule',
      channelId: 'channel-7',
      format: 'swiss',
      rounds: 50,
    });
    expect(
      await vi.waitFor(
        async () => (await service.waitFor(t!.id)) ?? Promise.reject(new Error('not running')),
      ),
    ).toBe('finished');
    expect(announcer.of('results').map((e) => e.tournament.id)).toEqual([t!.id]);
    // The next slot is a week later, 09:30 New York time, which is now EDT (UTC-4).
    const after = await vi.waitFor(async () => {
      const row = (await repos.schedules.get(guild.id))!;
      expect(row.nextRunAt).toEqual(new Date('2026-03-11T13:30:00Z'));
      return row;
    });
    expect(clock.pending()).toContainEqual(after.nextRunAt);
  });

  it('survives restarts: a slot missed briefly fires at start-up, one missed for hours is skipped', async () => {
    const guildId = await emptyGuild();
    const fired: TournamentSchedule[] = [];
    const fire = async (row: TournamentSchedule) => void fired.push(row);
    const first = scheduler(new FakeClock('2026-06-01T08:00:00Z'), fire);
    const set = await first.set({
      guildId,
      cron: '0 18 * * *',
      timezone: 'Europe/Berlin',
      channelId: 'c',
      updatedBy: 'a',
    });
    if (!set.ok) throw new Error(set.error.message);
    expect(set.value.nextRunAt).toEqual(new Date('2026-06-01T16:00:00Z'));
    first.stop();

    // Back up ten minutes after the slot: it fires now.
    const second = scheduler(new FakeClock('2026-06-01T16:10:00Z'), fire);
    await second.start();
    await vi.waitFor(() => expect(fired).toHaveLength(1));
    expect(fired[0]?.guildId).toBe(guildId);
    await vi.waitFor(async () =>
      expect((await repos.schedules.get(guildId))?.nextRunAt).toEqual(new Date('2026-06-02T16:00:00Z')),
    );
    second.stop();

    // Down over the next slot by three hours: skipped, and the one after is armed.
    const logger = memoryLogger();
    const third = scheduler(new FakeClock('2026-06-02T19:00:00Z'), fire, { logger });
    await third.start();
    await vi.waitFor(async () =>
      expect((await repos.schedules.get(guildId))?.nextRunAt).toEqual(new Date('2026-06-03T16:00:00Z')),
    );
    expect(fired).toHaveLength(1);
    expect(logger.lines.some((l) => l.level === 'warn' && /missed/.test(l.message))).toBe(true);
  });

  it.skipIf(driver !== 'postgres')('two instances on one database fire a slot once', async () => {
    const guildId = await emptyGuild();
    const fired: string[] = [];
    const clocks = [new FakeClock('2026-01-05T00:00:00Z'), new FakeClock('2026-01-05T00:00:00Z')];
    // The worst interleaving, made certain: B reads the due slot before A claims it, and B
    // claims it only after A has claimed and fired it.
    let bHasRead = false;
    const a = scheduler(clocks[0]!, async () => void fired.push('a'), {
      refreshMs: 3 * 86_400_000,
      schedules: {
        ...repos.schedules,
        claimSlot: async (...args) => {
          await vi.waitFor(() => expect(bHasRead).toBe(true));
          return repos.schedules.claimSlot(...args);
        },
      },
    });
    const b = scheduler(clocks[1]!, async () => void fired.push('b'), {
      refreshMs: 3 * 86_400_000,
      schedules: {
        ...repos.schedules,
        getById: async (id) => {
          const row = await repos.schedules.getById(id);
          bHasRead = true;
          return row;
        },
        claimSlot: async (...args) => {
          await vi.waitFor(() => expect(fired).toEqual(['a']));
          return repos.schedules.claimSlot(...args);
        },
      },
    });
    const set = await a.set({ guildId, cron: '0 12 * * *', channelId: 'c', updatedBy: 'x' });
    if (!set.ok) throw new Error(set.error.message);
    await b.start();
    expect(b.tracked()).toContain(set.value.id);
    for (const clock of clocks) clock.advanceTo(new Date('2026-01-05T12:00:00Z'));
    await vi.waitFor(async () =>
      expect((await repos.schedules.get(guildId))?.nextRunAt).toEqual(new Date('2026-01-06T12:00:00Z')),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toEqual(['a']);
    // B follows the stored schedule afterwards: its next timer is the next slot.
    expect(clocks[1]!.pending()).toContainEqual(new Date('2026-01-06T12:00:00Z'));
  });

  it('a slot with too few bots is skipped with a message in the channel', async () => {
    const announcer = new MemoryAnnouncer();
    const service = createTournamentService({ deps, announcer, concurrency: 1 });
    stops.push(() => service.stop());
    const { guild } = await guildWithBots(deps, ['rock.component']);
    const clock = new FakeClock('2026-01-05T00:00:00Z');
    const s = scheduler(clock, (row) => service.startScheduled(row));
    const set = await s.set({ guildId: guild.id, cron: '0 1 * * *', channelId: 'chan', updatedBy: 'x' });
    if (!set.ok) throw new Error(set.error.message);
    clock.advance(3_600_000);
    await vi.waitFor(() => expect(announcer.of('skipped')).toHaveLength(1));
    expect(announcer.of('skipped')[0]).toMatchObject({ guildId: guild.id, channelId: 'chan' });
    expect(announcer.of('skipped')[0]?.reason).toMatch(/at least 2 active bots/);
  });

  it('refuses invalid expressions, unknown timezones and schedules tighter than 15 minutes, in words', async () => {
    const guildId = await emptyGuild();
    const s = scheduler(new FakeClock('2026-01-05T00:00:00Z'), async () => {});
    const attempt = (cron: string, timezone?: string) =>
      s.set({ guildId, cron, timezone: timezone ?? null, channelId: 'c', updatedBy: 'x' });
    const messages = await Promise.all([
      attempt('every friday'),
      attempt('0 25 * * *'),
      attempt('0 20 * * 5', 'Mars/Olympus'),
      attempt('*/5 * * * *'),
    ]);
    expect(messages.map((m) => (m.ok ? 'ok' : m.error.code))).toEqual([
      'invalid-schedule',
      'invalid-schedule',
      'invalid-schedule',
      'invalid-schedule',
    ]);
    const text = messages.map((m) => (m.ok ? '' : m.error.message));
    expect(text[0]).toMatch(
      /^`every friday` is not a schedule I can read: it has 2 fields\. Use five fields/,
    );
    expect(text[1]).toMatch(/^The hour field `25` is not valid: hours go from 0 to 23/);
    expect(text[2]).toMatch(/Mars\/Olympus.*IANA/);
    expect(text[3]).toMatch(
      /would start tournaments 5 minutes apart .*the least time between two is 15 minutes/,
    );
    for (const t of text) expect(t).not.toMatch(/is a invalid expression/);
    expect(await repos.schedules.get(guildId)).toBeNull();
  });

  it('a disabled schedule does not fire', async () => {
    const guildId = await emptyGuild();
    const fired: unknown[] = [];
    const clock = new FakeClock('2026-01-05T00:00:00Z');
    const s = scheduler(clock, async (row) => void fired.push(row));
    const set = await s.set({ guildId, cron: '0 1 * * *', channelId: 'c', updatedBy: 'x' });
    expect(set.ok).toBe(true);
    expect((await s.disable(guildId, 'x')).ok).toBe(true);
    expect(s.tracked()).toEqual([]);
    clock.advance(2 * 3_600_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toEqual([]);
  });
});
