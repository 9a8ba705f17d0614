import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { root } from '../support/shell.js';

/** docs/cli.md documents every subcommand of the real program, with every option it takes. */
const doc = await readFile(path.join(root, 'docs/cli.md'), 'utf8');
const unused = () => {
  throw new Error('not called by this test');
};
const program = buildProgram(
  { config: unused, openEngine: unused, serve: unused, worker: unused, debug: false },
  { out: () => {} },
);

describe('docs/cli.md', () => {
  it.each(program.commands.map((c) => [c.name(), c] as const))(
    'documents `throwdown %s` and each of its options',
    (name, command) => {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`throwdown ${name}`));
      expect(row, `a table row for throwdown ${name}`).toBeDefined();
      for (const option of command.options) expect(row, `${name} ${option.long}`).toContain(option.long);
    },
  );
});
