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
