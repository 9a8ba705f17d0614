import { expect, it } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import { alice, bob, carol, guild } from '../support/engine.js';
import { botBytes } from '../support/sandbox.js';

/**
 * The engine's services end to end (database + sandbox + real bots), written once and run
 * on PostgreSQL and on PGlite.
 */
export function servicesScenarios(get: () => { engine: Engine; clock: { now: Date } }) {
  it('submit stores a validated bot; the same bytes again are not a new version; new bytes are', async () => {
    const { engine } = get();
    const first = await engine.submit({
      guild,
      player: alice,
      name: 'rocky',
      bytes: botBytes('rock.component'),
    });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value).toMatchObject({ botCreated: true, isNew: true, version: { version: 1 } });
    expect(first.value.report.smoke?.rounds).toBe(20);

    const again = await engine.submit({
      guild,
      player: alice,
      name: 'ROCKY',
      bytes: botBytes('rock.component'),
    });
    expect(again.ok && again.value).toMatchObject({
      botCreated: false,
      isNew: false,
      version: { version: 1 },
    });

    const v2 = await engine.submit({ guild, player: alice, name: 'rocky', bytes: botBytes('rock.command') });
    expect(v2.ok && v2.value).toMatchObject({
      isNew: true,
      version: { version: 2, interfaceKind: 'command' },
    });

    const versions = await engine.botVersions({ guild, owner: alice, name: 'rocky' });
    expect(versions.ok && versions.value.versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('a rejected upload stores nothing and says why', async () => {
    const { engine } = get();
    const rejected = await engine.submit({
      guild,
      player: carol,
      name: 'junk',
      bytes: new TextEncoder().encode('not a bot'),
    });
    expect(rejected).toMatchObject({
      ok: false,
      error: { code: 'rejected', message: expect.stringMatching(/not a WebAssembly/) },
    });
    const info = await engine.botInfo({ guild, owner: carol, name: 'junk' });
    expect(info).toMatchObject({ ok: false, error: { code: 'bot-not-found' } });
    const badName = await engine.submit({
      guild,
      player: carol,
      name: 'no spaces please',
      bytes: botBytes('rock.component'),
    });
    expect(badName).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('a challenge plays the current versions, stores the match and moves both ratings', async () => {
    const { engine } = get();
    await engine.submit({ guild, player: bob, name: 'paper-ish', bytes: botBytes('beatlast.component') });
    // The standard length (this engine's defaultRounds, 200): only that length is rated.
    const result = await engine.challenge({ guild, challenger: bob, opponent: alice });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { record, ratingChanges, seats, match } = result.value;
    // bob's beat-last against alice's current rocky (the rock command): paper every round after the first.
    expect(seats.map((s) => s.bot.name)).toEqual(['paper-ish', 'rocky']);
    expect(seats[1].version.version).toBe(2);
    expect(record.log.moves[0].slice(1)).toBe('P'.repeat(199));
    expect(record.outcome.winner).toBe(0);
    expect(ratingChanges).not.toBeNull();
    expect(ratingChanges![0].after.mu).toBeGreaterThan(ratingChanges![0].before.mu);
    expect(ratingChanges![1].after.mu).toBeLessThan(ratingChanges![1].before.mu);

    const board = await engine.leaderboard({ guildId: guild.id, viewerUserId: alice.userId });
    expect(board.rows.map((r) => r.botName)).toEqual(['paper-ish', 'rocky']);
    expect(board.rows[0]!.wins).toBe(1);

    const log = await engine.matchLog({ guild, owner: alice, name: 'rocky' });
    expect(log.ok && log.value).toMatchObject({ seat: 1, match: { id: match.id } });
  });

  it('replay re-runs a stored match from its seed and versions and finds it identical', async () => {
    const { engine } = get();
    const played = await engine.challenge({ guild, challenger: alice, opponent: bob, rounds: 150 });
    if (!played.ok) throw new Error(played.error.message);
    const replay = await engine.replay({ matchId: played.value.match.id });
    expect(replay.ok && replay.value.differences).toEqual([]);
    expect(replay.ok && replay.value.identical).toBe(true);
  });

  it('names the user problems in plain words', async () => {
    const { engine } = get();
    expect(await engine.challenge({ guild, challenger: carol, opponent: alice })).toMatchObject({
      ok: false,
      error: { code: 'no-bot' },
    });
    expect(await engine.challenge({ guild, challenger: alice, opponent: carol })).toMatchObject({
      ok: false,
      error: {
        code: 'opponent-has-no-bot',
        message: expect.stringMatching(/^carol#[0-9A-Z]{4} has no active bot to play\.$/),
      },
    });
    expect(await engine.challenge({ guild, challenger: alice, opponent: bob, myBot: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'bot-not-found' },
    });
    expect(await engine.challenge({ guild, challenger: alice, opponent: bob, rounds: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('retire takes a bot out of play and activate brings it back; rollback picks an older version', async () => {
    const { engine } = get();
    const retired = await engine.setBotActive({ guild, owner: alice, name: 'rocky', active: false });
    expect(retired.ok && retired.value.changed).toBe(true);
    expect(await engine.challenge({ guild, challenger: bob, opponent: alice })).toMatchObject({
      ok: false,
      error: { code: 'opponent-has-no-bot' },
    });
    expect((await engine.leaderboard({ guildId: guild.id })).rows.map((r) => r.botName)).not.toContain(
      'rocky',
    );
    await engine.setBotActive({ guild, owner: alice, name: 'rocky', active: true });
    const rolled = await engine.rollbackBot({ guild, owner: alice, name: 'rocky', version: 1 });
    expect(rolled.ok && rolled.value.version.version).toBe(1);
    const after = await engine.challenge({ guild, challenger: bob, opponent: alice, rounds: 10 });
    expect(after.ok && after.value.seats[1].version.interfaceKind).toBe('component');
    expect(await engine.rollbackBot({ guild, owner: alice, name: 'rocky', version: 9 })).toMatchObject({
      ok: false,
      error: { code: 'version-not-found' },
    });
  });
}
