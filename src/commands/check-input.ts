import { type UserError, userError } from '../engine/errors.js';
import type { Command, CommandInput, OptionSpec, OptionValue } from './types.js';

/**
 * The server's own check of a command's input against its option specs, whatever a transport
 * or Discord's registration let through: Discord enforces what was registered only on its
 * clients, a stale registration can send anything, and the console types whatever it is given.
 * Every integer is within PostgreSQL's int4 (and the spec's min/max), every string within its
 * length and free of control characters, every choice one of the choices, every required option
 * there. Runs before the handler, for every transport (the dispatcher calls it).
 */
export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;
/** The length a string option gets when its spec names none. */
export const DEFAULT_MAX_STRING = 100;

/** C0 and C1 controls (newlines included: every option is one line) and DEL. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const refuse = (message: string) => userError('invalid-input', message);

export function optionProblem(spec: OptionSpec, value: OptionValue, where: string): UserError | null {
  const what = `The ${spec.name} option of ${where}`;
  switch (spec.type) {
    case 'integer': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        return refuse(`${what} must be a whole number.`);
      const min = Math.max(spec.min ?? INT4_MIN, INT4_MIN);
      const max = Math.min(spec.max ?? INT4_MAX, INT4_MAX);
      if (value < min || value > max) {
        return refuse(
          `${what} must be from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`,
        );
      }
      return null;
    }
    case 'string': {
      if (typeof value !== 'string') return refuse(`${what} must be text.`);
      const max = spec.maxLength ?? DEFAULT_MAX_STRING;
      if (value.length > max) return refuse(`${what} must be at most ${max} characters.`);
      if (CONTROL.test(value)) return refuse(`${what} must be plain text on one line.`);
      if (spec.choices && !spec.choices.some((c) => c.value === value)) {
        return refuse(`${what} must be one of: ${spec.choices.map((c) => c.value).join(', ')}.`);
      }
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : refuse(`${what} must be true or false.`);
    case 'user':
    case 'channel':
    case 'attachment':
      return typeof value === 'object' && value !== null ? null : refuse(`${what} is missing.`);
  }
}

export function checkInput(command: Command, input: CommandInput): UserError | null {
  let specs = command.options ?? [];
  if (command.subcommands?.length) {
    const sub = command.subcommands.find((s) => s.name === input.subcommand);
    if (!sub)
      return refuse(`/${command.name} needs one of: ${command.subcommands.map((s) => s.name).join(', ')}.`);
    specs = sub.options ?? [];
  } else if (input.subcommand !== undefined) {
    return refuse(`/${command.name} has no sub-commands.`);
  }
  const where = `/${command.name}${input.subcommand ? ` ${input.subcommand}` : ''}`;
  for (const [name, value] of Object.entries(input.options)) {
    if (value === undefined) continue;
    const spec = specs.find((s) => s.name === name);
    if (!spec) return refuse(`${where} has no option "${name.replace(/[^a-z0-9_-]/gi, '').slice(0, 32)}".`);
    const problem = optionProblem(spec, value, where);
    if (problem) return problem;
  }
  const missing = specs.find((s) => s.required && input.options[s.name] === undefined);
  if (missing) return refuse(`${where} needs the ${missing.name} option.`);
  return null;
}
