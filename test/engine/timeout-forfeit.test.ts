import { describe, expect, it } from 'vitest';
import { submitBot } from '../../src/engine/submit.js';
import { createTournamentService, MemoryAnnouncer } from '../../src/engine/tournaments/index.js';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.js';
import { useTestDatabase } from '../support/database.js';
import { botBytes, hostileBytes, useSandbox } from '../support/sandbox.js';
import { engineDeps } from '../support/tournaments.js';

const { db } = await useTestDatabase();
const sandbox = useSandbox();
// Fuel out of the way (as if metering were defeated): only the move deadline stops loop-late,
// which plays rock for 20 rounds (so it passes the upload's smoke match) and then spins forever.
const deps = engineDeps(db, sandbox, {
  limits: { ...DEFAULT_LIMITS, fuelPerMove: 1e15, fuelPerMatch: 1e15, wallNsPerFuel: 1e-9 },
  defaultRounds: 100,
});
const guild = { id: '100000000000000077', name: 'Deadline guild' };
const eve = { userId: '200000000000000077', displayName: 'eve' };
const bob = { userId: '200000000000000078', displayName: 'bob' };

async function upload(player: typeof eve, name: string, bytes: Uint8Array) {
  const done = await submitBot(deps, { guild, player, name, bytes });
  if (!done.ok) throw new Error(done.error.message);
  return done.value;
}

describe('a bot whose move never returns', () => {
  it('loses a challenge by timeout (rated, not a draw, not "could not be played"), and a tournament pairing too', async () => {
    await upload(eve, 'spinner', hostileBytes('loop-late.component.wasm'));
    await upload(bob, 'rocky', botBytes('rock.component'));
    const { challenge } = await import('../../src/engine/challenge.js');
    const played = await challenge(deps, { guild, challenger: eve, opponent: bob });
    expect(played.ok).toBe(true);
    if (!played.ok) return;
    expect(played.value.record.faults).toEqual([
      expect.objectContaining({ seat: 0, round: 21, kind: 'timeout' }),
    ]);
    expect(played.value.record.outcome.winner).toBe(1);
    expect(played.value.ratingChanges).not.toBeNull();

    const service = createTournamentService({
      deps,
      announcer: new MemoryAnnouncer(),
      concurrency: 1,
      progressIntervalMs: 0,
    });
    try {
      const started = await service.startNow({
        guildId: guild.id,
        channelId: 'c',
        startedBy: 'admin',
        rounds: 100,
      });
      if (!started.ok) throw new Error(started.error.message);
      expect(await service.waitFor(started.value.id)).toBe('finished');
      const stored = await deps.repos.tournaments.get(started.value.id);
      const spinner = stored?.standings?.find((s) => s.wins === 0 && s.losses === 1);
      const rocky = stored?.standings?.find((s) => s.wins === 1);
      expect(spinner && rocky).toBeTruthy();
      expect(stored?.standings?.every((s) => s.draws === 0)).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
