// The server's own check of every option, whatever a transport or Discord's registration let
// through, and the rule that keeps it complete: every option a command declares is bounded.
import { describe, expect, it } from 'vitest';
import { checkInput, INT4_MAX } from '../../src/commands/check-input.js';
import { createCommands } from '../../src/commands/index.js';
import { tournamentCommand } from '../../src/commands/tournament.js';
import type { Command } from '../../src/commands/types.js';

const commands: Command[] = createCommands({ docsUrl: null, extra: [tournamentCommand(null)] });
const byName = (name: string) => commands.find((c) => c.name === name)!;

describe('checkInput()', () => {
  it('every integer option has a range within int4, every text option a length', () => {
    for (const command of commands) {
      const levels = command.subcommands?.length
        ? command.subcommands.map((s) => s.options ?? [])
        : [command.options ?? []];
      for (const option of levels.flat()) {
        const at = `/${command.name} ${option.name}`;
        if (option.type === 'integer') {
          expect(option.min, at).toBeGreaterThanOrEqual(-(2 ** 31));
          expect(option.max, at).toBeLessThanOrEqual(INT4_MAX);
        }
        if (option.type === 'string' && !option.choices)
          expect(option.maxLength, at).toBeLessThanOrEqual(100);
      }
    }
  });

  it('refuses what a crafted interaction can send, in words', () => {
    const challenge = byName('challenge');
    const user = { id: '1', displayName: 'x', isBot: false };
    const problem = (command: Command, input: Parameters<typeof checkInput>[1]) =>
      checkInput(command, input)?.message;
    expect(problem(challenge, { options: { opponent: user, rounds: 10_001 } })).toBe(
      'The rounds option of /challenge must be from 1 to 10,000.',
    );
    expect(problem(challenge, { options: { opponent: user, rounds: 1.5 } })).toBe(
      'The rounds option of /challenge must be a whole number.',
    );
    expect(problem(challenge, { options: { rounds: 5 } })).toBe('/challenge needs the opponent option.');
    expect(problem(challenge, { options: { opponent: user, my_bot: 'a\u0000b' } })).toBe(
      'The my_bot option of /challenge must be plain text on one line.',
    );
    expect(problem(challenge, { options: { opponent: user, evil: 'x' } })).toBe(
      '/challenge has no option "evil".',
    );
    expect(problem(byName('bot'), { subcommand: 'hack', options: {} })).toMatch(/^\/bot needs one of: info/);
    expect(problem(byName('leaderboard'), { subcommand: 'x', options: {} })).toBe(
      '/leaderboard has no sub-commands.',
    );
    expect(
      problem(byName('admin'), {
        subcommand: 'set-limit',
        options: { limit: 'memory_mib', value: INT4_MAX + 1 },
      }),
    ).toBe('The value option of /admin set-limit must be from 1 to 2,147,483,647.');
    expect(problem(challenge, { options: { opponent: user, rounds: 1000 } })).toBeUndefined();
  });
});
