import type { Command, CommandInput, OptionSpec, OptionValue } from '../../commands/types.js';
import { err, ok, type Result } from '../../util/result.js';

/**
 * Reads a console line as a slash command, the way Discord users type them:
 *   /challenge @bob rounds:100 my_bot:rocky
 *   /submit ./bots/dist/random.component.wasm name:randy
 *   /bot info rocky
 *   /tournament schedule cron:0 20 * * 5 format:swiss
 * Required options may be given in order without names; any option as `name:value` (or
 * `name=value`, `name: value`; names in any case). Quotes, straight or curly, group words ("my
 * bot"); an option whose value may hold spaces (a cron expression) also takes the words after it
 * up to the next `name:`. Users are `@name`, channels `#name`. Attachments are file paths, turned
 * into values by `toAttachment` (the console reads local files). Every refusal ends with the
 * command's usage, so it says what the command needs.
 */
export interface ParsedLine {
  name: string;
  input: CommandInput;
}

export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote || (quote === '“' && ch === '”') || (quote === '‘' && ch === '’')) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'" || ch === '“' || ch === '‘') {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) tokens.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) tokens.push(current);
  return tokens;
}

export interface ValueMakers {
  attachment(path: string): OptionValue;
}

function convert(spec: OptionSpec, raw: string, make: ValueMakers): Result<OptionValue, string> {
  switch (spec.type) {
    case 'string':
      return ok(raw);
    case 'integer': {
      if (!/^-?\d+$/.test(raw)) return err(`${spec.name} must be a whole number (got "${raw}")`);
      const n = Number(raw);
      if (spec.min !== undefined && n < spec.min) return err(`${spec.name} must be at least ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) return err(`${spec.name} must be at most ${spec.max}`);
      return ok(n);
    }
    case 'boolean': {
      const word = raw.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(word)) return ok(true);
      if (['false', 'no', 'off', '0'].includes(word)) return ok(false);
      return err(`${spec.name} must be true or false`);
    }
    case 'user': {
      const id = raw.replace(/^@/, '');
      if (!id) return err(`${spec.name} must name a user, like @bob`);
      return ok({ id, displayName: id, isBot: false });
    }
    case 'channel': {
      const id = raw.replace(/^#/, '');
      return ok({ id, name: id });
    }
    case 'attachment':
      return ok(make.attachment(raw));
  }
}

/** How an option is written in a usage line: `opponent:@user`, `[rounds:<whole number>]`. */
function optionUsage(spec: OptionSpec): string {
  const value: Record<OptionSpec['type'], string> = {
    string: spec.words ? '<text, spaces allowed>' : '<text>',
    integer: '<whole number>',
    boolean: '<true|false>',
    user: '@user',
    channel: '#channel',
    attachment: '<path to .wasm>',
  };
  const choices = spec.choices?.length ? `<${spec.choices.map((c) => c.value).join('|')}>` : null;
  const text = `${spec.name}:${choices ?? value[spec.type]}`;
  return spec.required ? text : `[${text}]`;
}

/** One usage line per command (or per subcommand): what it needs, named as it is typed. */
export function usage(command: Command, subcommand?: string): string {
  if (command.subcommands?.length) {
    const subs = subcommand ? command.subcommands.filter((s) => s.name === subcommand) : command.subcommands;
    return subs
      .map((s) => [`/${command.name} ${s.name}`, ...(s.options ?? []).map(optionUsage)].join(' '))
      .join('\n');
  }
  return [`/${command.name}`, ...(command.options ?? []).map(optionUsage)].join(' ');
}

/** `name:value`, `name=value` or `name:` (value in the next word), for an option of these specs. */
function named(token: string, specs: readonly OptionSpec[]): { spec: OptionSpec; raw: string } | null {
  const m = /^([A-Za-z_][\w-]*)[:=](.*)$/s.exec(token);
  if (!m) return null;
  const spec = specs.find((s) => s.name.toLowerCase() === m[1]!.toLowerCase());
  return spec ? { spec, raw: m[2]! } : null;
}

export function parseLine(
  line: string,
  commands: readonly Command[],
  make: ValueMakers,
): Result<ParsedLine, string> {
  const tokens = tokenize(line.trim());
  const head = tokens.shift();
  if (!head?.startsWith('/')) return err('Commands start with a slash, like /help.');
  const name = head.slice(1).toLowerCase();
  const command = commands.find((c) => c.name === name);
  if (!command) return err(`There is no /${name} command. Try /help.`);
  let specs = command.options ?? [];
  let subcommand: string | undefined;
  if (command.subcommands?.length) {
    subcommand = tokens.shift()?.toLowerCase();
    const sub = command.subcommands.find((s) => s.name === subcommand);
    if (!sub) {
      const names = command.subcommands.map((s) => s.name).join(', ');
      const said = subcommand ? `/${name} has no "${subcommand}". ` : '';
      return err(`${said}/${name} needs one of: ${names}.\nUsage:\n${usage(command)}`);
    }
    specs = sub.options ?? [];
  }
  const where = `/${name}${subcommand ? ` ${subcommand}` : ''}`;
  const fail = (message: string) => err(`${message}\nUsage: ${usage(command, subcommand)}`);
  const raws = new Map<OptionSpec, string>();
  const positional = specs.filter((s) => s.required);
  let open: OptionSpec | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const byName = named(token, specs);
    let spec: OptionSpec | undefined;
    let raw: string;
    if (byName) {
      spec = byName.spec;
      raw = byName.raw;
      // "name: value": the value is the next word.
      if (raw === '' && i + 1 < tokens.length && !named(tokens[i + 1]!, specs)) raw = tokens[++i]!;
    } else if (open) {
      // More words of a value that may hold spaces: cron:0 20 * * 5
      raws.set(open, `${raws.get(open)} ${token}`);
      continue;
    } else {
      spec = positional.find((s) => !raws.has(s)) ?? specs.find((s) => !raws.has(s));
      raw = token;
    }
    if (!spec) return fail(`Too many values for ${where}: "${token}".`);
    raws.set(spec, raw);
    open = spec.words ? spec : null;
  }
  const options: Record<string, OptionValue> = {};
  for (const [spec, raw] of raws) {
    const value = convert(spec, raw.trim(), make);
    if (!value.ok) return fail(`${value.error}.`);
    options[spec.name] = value.value;
  }
  const missing = specs.filter((s) => s.required && options[s.name] === undefined).map((s) => s.name);
  if (missing.length) return fail(`${where} needs ${missing.join(', ')}.`);
  return ok({ name, input: { ...(subcommand ? { subcommand } : {}), options } });
}
