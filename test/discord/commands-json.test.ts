import { ApplicationCommandOptionType as O } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createCommands } from '../../src/commands/index.js';
import type { Command } from '../../src/commands/types.js';
import { commandProblems } from '../../src/discord/command-rules.js';
import { commandJson, commandsJson } from '../../src/discord/commands-json.js';

const commands = createCommands({ docsUrl: null });
const byName = (name: string) => commands.find((c) => c.name === name)!;

const adminCommand: Command = {
  name: 'season',
  description: 'Start a new season',
  adminOnly: true,
  options: [{ name: 'name', description: 'Season name', type: 'string', required: true, maxLength: 40 }],
  handle: async () => ({ content: 'ok' }),
};

describe('commandsJson()', () => {
  it('registers every command, valid by Discord rules, in /help order', () => {
    const json = commandsJson(commands, 'guild');
    expect(json.map((c) => c.name)).toEqual([
      'submit',
      'challenge',
      'leaderboard',
      'bot',
      'settings',
      'help',
      'admin',
    ]);
    expect(json.find((c) => c.name === 'admin')?.default_member_permissions).toBe('32');
    expect(commandProblems(json)).toEqual([]);
    expect(commandProblems(commandsJson(commands, 'global'))).toEqual([]);
  });

  it('maps option types, required, min/max, max_length and autocomplete', () => {
    expect(commandJson(byName('submit'), 'guild').options).toEqual([
      { type: O.Attachment, name: 'bot', description: expect.any(String), required: true },
      { type: O.String, name: 'name', description: expect.any(String), max_length: 32, autocomplete: true },
    ]);
    expect(commandJson(byName('challenge'), 'guild').options).toEqual([
      { type: O.User, name: 'opponent', description: expect.any(String), required: true },
      { type: O.Integer, name: 'rounds', description: expect.any(String), min_value: 1, max_value: 10_000 },
      {
        type: O.String,
        name: 'my_bot',
        description: expect.any(String),
        max_length: 32,
        autocomplete: true,
      },
      {
        type: O.String,
        name: 'their_bot',
        description: expect.any(String),
        max_length: 32,
        autocomplete: true,
      },
    ]);
  });

  it('turns subcommands into Subcommand options with their own options', () => {
    const bot = commandJson(byName('bot'), 'guild');
    expect(bot.options?.map((o) => [o.type, o.name])).toEqual(
      ['info', 'list', 'head-to-head', 'versions', 'retire', 'activate', 'rollback', 'log'].map((n) => [
        O.Subcommand,
        n,
      ]),
    );
    const rollback = bot.options?.find((o) => o.name === 'rollback');
    expect(rollback).toMatchObject({
      options: [
        { name: 'name', type: O.String, required: true, autocomplete: true },
        { name: 'version', type: O.Integer, required: true, min_value: 1, max_value: 2_147_483_647 },
      ],
    });
  });

  it('limits admin-only commands to Manage Server ("32"); others to nobody in particular', () => {
    expect(commandJson(adminCommand, 'guild').default_member_permissions).toBe('32');
    expect(commandJson(byName('help'), 'guild').default_member_permissions).toBeNull();
  });

  it('makes global commands guild-only; guild registrations carry no contexts', () => {
    expect(commandJson(byName('help'), 'global')).toMatchObject({ contexts: [0], integration_types: [0] });
    expect(commandJson(byName('help'), 'guild')).not.toHaveProperty('contexts');
    expect(commandJson(byName('help'), 'guild')).not.toHaveProperty('integration_types');
  });
});

describe('commandProblems()', () => {
  it('names each broken rule', () => {
    const broken: Command = {
      name: 'Bad Name',
      description: 'x'.repeat(101),
      options: [
        { name: 'later', description: 'optional first', type: 'string' },
        { name: 'first', description: 'required after an optional', type: 'string', required: true },
        { name: 'later', description: 'a duplicate', type: 'integer', min: 5, max: 1 },
      ],
      handle: async () => ({}),
    };
    expect(
      commandProblems([
        commandJson(broken, 'guild'),
        commandJson(byName('help'), 'guild'),
        commandJson(byName('help'), 'guild'),
      ]),
    ).toEqual([
      '/Bad Name: name "Bad Name" must be 1-32 lower-case letters, digits, - or _',
      '/Bad Name: description must be 1-100 characters (has 101)',
      '/Bad Name first: required options must come first',
      '/Bad Name later: duplicate option name',
      '/Bad Name later: min_value is above max_value',
      '/help: registered twice',
    ]);
  });
});
