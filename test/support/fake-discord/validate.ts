// The platform limits a bot most often trips over (see shared/notes/discord-ux.md), enforced the
// way Discord does: a 400 with code 50035 naming the field. A fake that accepted anything would
// let a 2001-character leaderboard pass every test and fail in production.
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { invalidFormBody } from './errors.js';

type FieldError = { path: string; code: string; message: string };
type Json = Record<string, unknown>;

const maxLength = (path: string, value: unknown, max: number, out: FieldError[]) => {
  if (typeof value === 'string' && value.length > max) {
    out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
};
const maxItems = (path: string, value: unknown, max: number, out: FieldError[]) => {
  if (Array.isArray(value) && value.length > max) {
    out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
};
const len = (value: unknown) => (typeof value === 'string' ? value.length : 0);

function embedErrors(embeds: unknown, out: FieldError[]): void {
  if (!Array.isArray(embeds)) return;
  maxItems('embeds', embeds, 10, out);
  let total = 0;
  embeds.forEach((raw, i) => {
    const e = raw as Json;
    const at = `embeds.${i}`;
    const footer = e.footer as Json | undefined;
    const author = e.author as Json | undefined;
    const fields = (e.fields as Json[] | undefined) ?? [];
    maxLength(`${at}.title`, e.title, 256, out);
    maxLength(`${at}.description`, e.description, 4096, out);
    maxLength(`${at}.footer.text`, footer?.text, 2048, out);
    maxLength(`${at}.author.name`, author?.name, 256, out);
    maxItems(`${at}.fields`, fields, 25, out);
    fields.forEach((f, j) => {
      maxLength(`${at}.fields.${j}.name`, f.name, 256, out);
      maxLength(`${at}.fields.${j}.value`, f.value, 1024, out);
      total += len(f.name) + len(f.value);
    });
    total += len(e.title) + len(e.description) + len(footer?.text) + len(author?.name);
  });
  if (total > 6000) {
    out.push({
      path: 'embeds',
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: 'Embed size exceeds maximum size of 6000',
    });
  }
}

function componentErrors(rows: unknown, out: FieldError[]): void {
  if (!Array.isArray(rows)) return;
  rows.forEach((raw, i) => {
    const row = raw as Json;
    maxLength(`components.${i}.custom_id`, row.custom_id, 100, out);
    const children = row.components as Json[] | undefined;
    if (row.type === 1) maxItems(`components.${i}.components`, children, 5, out);
    children?.forEach((c, j) => {
      maxLength(`components.${i}.components.${j}.custom_id`, c.custom_id, 100, out);
    });
  });
}

/** Throws 50035 for a message body (create or edit) that Discord would refuse. */
export function validateMessageBody(body: Json): void {
  const out: FieldError[] = [];
  maxLength('content', body.content, 2000, out);
  embedErrors(body.embeds, out);
  componentErrors(body.components, out);
  if (out.length) throw invalidFormBody(out);
}

/** Autocomplete answers: at most 25 choices, names 1-100 characters. */
export function validateChoices(choices: unknown): void {
  const out: FieldError[] = [];
  maxItems('data.choices', choices, 25, out);
  if (Array.isArray(choices)) {
    choices.forEach((c: Json, i) => {
      maxLength(`data.choices.${i}.name`, c.name, 100, out);
    });
  }
  if (out.length) throw invalidFormBody(out);
}

/** A modal: title up to 45 characters, custom_id up to 100, 1-5 rows. */
export function validateModal(data: Json): void {
  const out: FieldError[] = [];
  maxLength('data.title', data.title, 45, out);
  maxLength('data.custom_id', data.custom_id, 100, out);
  maxItems('data.components', data.components, 5, out);
  if (out.length) throw invalidFormBody(out);
}

// Lower-case letters/digits/-_' in any script (Discord's CHAT_INPUT name rule, simplified).
const COMMAND_NAME = /^[-_'\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

function optionErrors(options: unknown, at: string, out: FieldError[]): void {
  if (!Array.isArray(options)) return;
  maxItems(at, options, 25, out);
  let sawOptional = false;
  options.forEach((raw, i) => {
    const o = raw as Json;
    const path = `${at}.${i}`;
    if (typeof o.name !== 'string' || !COMMAND_NAME.test(o.name)) {
      out.push({
        path: `${path}.name`,
        code: 'APPLICATION_COMMAND_INVALID_NAME',
        message: 'Command name is invalid',
      });
    }
    if (len(o.description) < 1 || len(o.description) > 100) {
      out.push({
        path: `${path}.description`,
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    }
    maxItems(`${path}.choices`, o.choices, 25, out);
    const isSub =
      o.type === ApplicationCommandOptionType.Subcommand ||
      o.type === ApplicationCommandOptionType.SubcommandGroup;
    if (isSub) optionErrors(o.options, `${path}.options`, out);
    else if (o.required) {
      if (sawOptional) {
        out.push({
          path: `${path}.required`,
          code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          message: 'Required options must be placed before non-required options',
        });
      }
    } else sawOptional = true;
  });
}

/** The registration rules that a typo in a command definition breaks. */
export function validateCommand(cmd: Json, at = ''): void {
  const out: FieldError[] = [];
  const type = (cmd.type as number | undefined) ?? ApplicationCommandType.ChatInput;
  if (type === ApplicationCommandType.ChatInput) {
    if (typeof cmd.name !== 'string' || !COMMAND_NAME.test(cmd.name)) {
      out.push({
        path: `${at}name`,
        code: 'APPLICATION_COMMAND_INVALID_NAME',
        message: 'Command name is invalid',
      });
    }
    if (len(cmd.description) < 1 || len(cmd.description) > 100) {
      out.push({
        path: `${at}description`,
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    }
    optionErrors(cmd.options, `${at}options`, out);
  } else {
    maxLength(`${at}name`, cmd.name, 32, out);
  }
  if (out.length) throw invalidFormBody(out);
}
