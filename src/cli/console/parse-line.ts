import type { Command, CommandInput, OptionSpec, OptionValue } from '../../commands/types.js';
import { err, ok, type Result } from '../../util/result.js';

/**
 * Reads a console line as a slash command, the way Discord users type them:
 *   /challenge @bob rounds:100 my_bot:rocky
 *   /submit ./bots/dist/random.component.wasm name:randy
 *   /bot info rocky
 * Required options may be given in order without names; any option as `name:value`. Quotes
 * group words ("my bot"). Users are `@name`, channels `#name`. Attachments are file paths,
 * turned into values by `toAttachment` (the console reads local files).
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
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
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
    case 'boolean':
      if (raw === 'true' || raw === 'false') return ok(raw === 'true');
      return err(`${spec.name} must be true or false`);
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

export function parseLine(
  line: string,
  commands: readonly Command[],
  make: ValueMakers,
): Result<ParsedLine, string> {
  const tokens = tokenize(line.trim());
  const head = tokens.shift();
  if (!head?.startsWith('/')) return err('Commands start with a slash, like /help.');
  const name = head.slice(1);
  const command = commands.find((c) => c.name === name);
  if (!command) return err(`There is no /${name} command. Try /help.`);
  let specs = command.options ?? [];
  let subcommand: string | undefined;
  if (command.subcommands?.length) {
    subcommand = tokens.shift();
    const sub = command.subcommands.find((s) => s.name === subcommand);
    if (!sub) {
      return err(`/${name} needs one of: ${command.subcommands.map((s) => s.name).join(', ')}.`);
    }
    specs = sub.options ?? [];
  }
  const options: Record<string, OptionValue> = {};
  const positional = specs.filter((s) => s.required);
  for (const token of tokens) {
    const colon = token.indexOf(':');
    let spec: OptionSpec | undefined;
    let raw: string;
    if (colon > 0 && specs.some((s) => s.name === token.slice(0, colon))) {
      spec = specs.find((s) => s.name === token.slice(0, colon));
      raw = token.slice(colon + 1);
    } else {
      spec =
        positional.find((s) => options[s.name] === undefined) ??
        specs.find((s) => options[s.name] === undefined);
      raw = token;
    }
    if (!spec) return err(`Too many values for /${name}${subcommand ? ` ${subcommand}` : ''}: "${token}".`);
    const value = convert(spec, raw, make);
    if (!value.ok) return err(value.error);
    options[spec.name] = value.value;
  }
  const missing = specs.filter((s) => s.required && options[s.name] === undefined).map((s) => s.name);
  if (missing.length)
    return err(`/${name}${subcommand ? ` ${subcommand}` : ''} needs ${missing.join(', ')}.`);
  return ok({ name, input: { ...(subcommand ? { subcommand } : {}), options } });
}
