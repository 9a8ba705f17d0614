import { describe, expect, it } from 'vitest';
import { parseLine, tokenize } from '../../../src/cli/console/parse-line.js';
import { createCommands } from '../../../src/commands/index.js';

const commands = createCommands({ docsUrl: null });
const make = { attachment: (path: string) => ({ path }) as never };

describe('console line parsing', () => {
  it('splits on spaces and keeps quoted words together', () => {
    expect(tokenize('/bot info "my bot" x')).toEqual(['/bot', 'info', 'my bot', 'x']);
    expect(tokenize("  /help  ''  ")).toEqual(['/help', '']);
  });

  it('fills required options in order and named ones by name', () => {
    const r = parseLine('/challenge @bob rounds:100 my_bot:rocky', commands, make);
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'challenge',
        input: {
          options: {
            opponent: { id: 'bob', displayName: 'bob', isBot: false },
            rounds: 100,
            my_bot: 'rocky',
          },
        },
      },
    });
    const sub = parseLine('/bot rollback rocky 2', commands, make);
    expect(sub.ok && sub.value.input).toEqual({
      subcommand: 'rollback',
      options: { name: 'rocky', version: 2 },
    });
    const file = parseLine('/submit ./x.wasm name:foo', commands, make);
    expect(file.ok && file.value.input.options).toEqual({ bot: { path: './x.wasm' }, name: 'foo' });
  });

  it('explains what is wrong', () => {
    expect(parseLine('help', commands, make)).toEqual({
      ok: false,
      error: 'Commands start with a slash, like /help.',
    });
    expect(parseLine('/dance', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no \/dance/),
    });
    expect(parseLine('/challenge', commands, make)).toEqual({
      ok: false,
      error: '/challenge needs opponent.',
    });
    expect(parseLine('/challenge @bob rounds:lots', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/whole number/),
    });
    expect(parseLine('/challenge @bob rounds:0', commands, make)).toMatchObject({
      ok: false,
      error: 'rounds must be at least 1',
    });
    expect(parseLine('/bot dance x', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/info, versions/),
    });
    expect(parseLine('/leaderboard 1 2', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Too many values/),
    });
  });
});
