import { describe, expect, it } from 'vitest';
import { carol, guild, useEngine } from '../support/engine.js';
import { botBytes } from '../support/sandbox.js';
import { servicesScenarios } from './services-scenarios.js';

const setup = await useEngine();

describe(`engine services on ${setup.driver}`, () => {
  servicesScenarios(() => setup);
});

describe('concurrent uploads (real server only: PGlite is a single session)', () => {
  it('five different uploads of one bot name at once make one bot with five versions', async () => {
    const { engine } = setup;
    const files = [
      'rock.component',
      'cycle.component',
      'random.component',
      'frequency.component',
      'rock.command',
    ];
    const results = await Promise.all(
      files.map((file) => engine.submit({ guild, player: carol, name: 'racer', bytes: botBytes(file) })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const versions = await engine.botVersions({ guild, owner: carol, name: 'racer' });
    expect(versions.ok && versions.value.versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(results.map((r) => r.ok && r.value.bot.id)).size).toBe(1);
  });
});

describe('guild limits', () => {
  it('admins may lower a limit, which then binds matches, but not raise it above the server', async () => {
    const { engine } = setup;
    const raised = await engine.setGuildLimit({ guild, name: 'fuel_per_move', value: 10_000_000_000 });
    expect(raised).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/may only lower/) },
    });
    const lowered = await engine.setGuildLimit({ guild, name: 'upload_mib', value: 1 });
    expect(lowered.ok && lowered.value.moduleBytes).toBe(1024 * 1024);
    expect((await engine.effectiveLimits(guild.id)).moduleBytes).toBe(1024 * 1024);
    const tooBig = await engine.submit({
      guild,
      player: carol,
      name: 'big',
      bytes: botBytes('frequency.js'),
    });
    expect(tooBig).toMatchObject({
      ok: false,
      // Refused from its size, before the sandbox is asked anything.
      error: { code: 'invalid-input', message: expect.stringMatching(/at most 1\.0 MiB/) },
    });
    await engine.resetGuildLimits(guild);
    expect((await engine.effectiveLimits(guild.id)).moduleBytes).toBe(10 * 1024 * 1024);
  });
});
