import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArenaImports } from '../../../src/sandbox/host/arena.js';
import {
  createGuestContext,
  type GuestContext,
  OutputLimitExceeded,
} from '../../../src/sandbox/host/context.js';
import { createPreview2Imports } from '../../../src/sandbox/host/preview2/index.js';
import { componentizeJs, type LoadedComponent, loadComponent } from './components.js';

type Hand = 'rock' | 'paper' | 'scissors';
interface RoundState {
  round: number;
  totalRounds: number;
  myLast?: Hand;
  theirLast?: Hand;
}
interface Player {
  play(state: RoundState): Hand;
}

const WIT = new URL('../../../wit/rps.wit', import.meta.url).pathname;
const BOT = readFileSync(new URL('./fixtures/arena-bot.js', import.meta.url), 'utf8');

function context(stderrCap = 4096): GuestContext {
  return createGuestContext({ args: ['alice/beatlast'], stdoutCap: 4096, stderrCap, rng: 'm' });
}

describe('createArenaImports', () => {
  it('debug(): should append a line to stderr under its cap', () => {
    const ctx = context(12);
    const arena = createArenaImports(ctx, { opponentName: 'bob/random' })['throwdown:rps/arena'];
    expect(arena.myName()).toBe('alice/beatlast');
    expect(arena.opponentName()).toBe('bob/random');
    arena.debug('hello');
    expect(ctx.stderr.text()).toBe('hello\n');
    expect(() => arena.debug('too long now')).toThrow(OutputLimitExceeded);
    expect(ctx.stderr.text()).toBe('hello\ntoo lo');
  });

  it('myName: should prefer an explicit name over args[0]', () => {
    const arena = createArenaImports(context(), { opponentName: 'b', myName: 'a' })['throwdown:rps/arena'];
    expect(arena.myName()).toBe('a');
  });
});

describe('arena import, from a QuickJS bot of the player world', () => {
  let player: LoadedComponent<Player>;
  beforeAll(async () => {
    player = await loadComponent<Player>(await componentizeJs(WIT, 'player', BOT), 'player');
  }, 120_000);

  function start(ctx: GuestContext): Player {
    return player.instantiate({
      ...createPreview2Imports(ctx),
      ...createArenaImports(ctx, { opponentName: 'bob/random' }),
    });
  }

  it('should import the arena unversioned and get names and a debug log', () => {
    expect(player.imports).toContain('throwdown:rps/arena');
    const ctx = context();
    const bot = start(ctx);
    expect(bot.play({ round: 1, totalRounds: 3 })).toBe('rock');
    expect(bot.play({ round: 2, totalRounds: 3, myLast: 'rock', theirLast: 'paper' })).toBe('scissors');
    expect(ctx.stderr.text()).toBe(
      'round 1/3: alice/beatlast vs bob/random, they played nothing\n' +
        'round 2/3: alice/beatlast vs bob/random, they played paper\n',
    );
    expect(ctx.stdout.text()).toBe('');
  });

  it('debug past the stderr cap: should throw OutputLimitExceeded out of play()', () => {
    const ctx = context(1000);
    expect(() => start(ctx).play({ round: 99, totalRounds: 100 })).toThrow(
      expect.objectContaining({ name: 'OutputLimitExceeded', stream: 'stderr', cap: 1000 }),
    );
    expect(ctx.stderr.length).toBe(1000);
  });
});
