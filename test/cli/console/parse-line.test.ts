import { describe, expect, it } from 'vitest';
import { parseLine, tokenize } from '../../../src/cli/console/parse-line.js';
import { createCommands } from '../../../src/commands/index.js';
import { tournamentCommand } from '../../../src/commands/tournament.js';

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
      error:
        '/challenge needs opponent.\nUsage: /challenge opponent:@user [rounds:<whole number>] [my_bot:<text>] [their_bot:<text>]',
    });
    expect(parseLine('/challenge @bob rounds:lots', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/whole number/),
    });
    expect(parseLine('/challenge @bob rounds:0', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^rounds must be at least 1\.\nUsage: \/challenge opponent:@user/),
    });
    expect(parseLine('/bot dance x', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/info, list, head-to-head, versions/),
    });
    expect(parseLine('/leaderboard 1 2', commands, make)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Too many values/),
    });
  });

  it('ends every refusal with what the command needs', () => {
    const all = createCommands({ docsUrl: null, extra: [tournamentCommand(null)] });
    for (const line of [
      '/challenge',
      '/bot',
      '/bot info',
      '/tournament',
      '/tournament schedule',
      '/submit',
      '/leaderboard x',
    ]) {
      const r = parseLine(line, all, make);
      expect(r.ok, line).toBe(false);
      expect(!r.ok && r.error, line).toMatch(/\nUsage:( |\n)\//);
    }
    const sub = parseLine('/tournament', all, make);
    expect(!sub.ok && sub.error).toContain('/tournament schedule cron:<text, spaces allowed>');
    expect(!sub.ok && sub.error).toContain('/tournament standings [id:<whole number>]');
  });

  it('reads options forgivingly: unquoted words of a cron, name=value, any case, curly quotes', () => {
    const all = createCommands({ docsUrl: null, extra: [tournamentCommand(null)] });
    const expected = { subcommand: 'schedule', options: { cron: '0 20 * * 5', format: 'swiss' } };
    for (const line of [
      '/tournament schedule cron:0 20 * * 5 format:swiss',
      '/tournament schedule cron:"0 20 * * 5" format:swiss',
      '/tournament schedule cron: 0 20 * * 5 format=swiss',
      '/tournament schedule CRON:“0 20 * * 5” Format:swiss',
      '/tournament schedule 0 20 * * 5 format:swiss',
    ]) {
      const r = parseLine(line, all, make);
      expect(r.ok && r.value.input, line).toEqual(expected);
    }
    expect(parseLine('/settings on', all, make)).toMatchObject({
      ok: true,
      value: { input: { options: { challenge_pings: true } } },
    });
    expect(parseLine('/settings challenge_pings:No', all, make)).toMatchObject({
      ok: true,
      value: { input: { options: { challenge_pings: false } } },
    });
  });
});
