import type { Button, Embed, EmbedField, Reply } from '../commands/reply.js';
import { clip } from '../render/escape.js';

/**
 * Discord's limits on a message (docs: "Message resource", "Embed limits"), and the last line
 * of defence that keeps every message within them. Discord refuses a whole message over any
 * one limit (400, "Invalid Form Body"), so a value a user or a bot controls that grew too long
 * would otherwise lose the answer: a reply is cut to fit instead, code blocks kept closed.
 * Commands should make their text fit on their own; this only guarantees it.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** All embeds' titles, descriptions, field names and values and footers together. */
  embedTotal: 6000,
  buttonLabel: 80,
  customId: 100,
  rows: 5,
  buttonsPerRow: 5,
  fileDescription: 1024,
} as const;

const FENCE = '```';

/**
 * `text` in at most `max` characters: cut with an ellipsis, and a code block opened before the
 * cut closed after it (an unclosed fence would swallow the rest of the message).
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = clip(text, max);
  if (cut.split(FENCE).length % 2 === 0) cut = `${clip(text, max - FENCE.length - 1)}\n${FENCE}`;
  return cut;
}

/** Discord refuses empty field names and values. */
const nonEmpty = (text: string) => (text.trim() === '' ? '-' : text);

function fitField(f: EmbedField): EmbedField {
  return {
    ...f,
    name: nonEmpty(fitText(f.name, DISCORD_LIMITS.fieldName)),
    value: nonEmpty(fitText(f.value, DISCORD_LIMITS.fieldValue)),
  };
}

function fitEmbed(e: Embed): Embed {
  return {
    ...e,
    ...(e.title !== undefined ? { title: fitText(e.title, DISCORD_LIMITS.title) } : {}),
    ...(e.description !== undefined
      ? { description: fitText(e.description, DISCORD_LIMITS.description) }
      : {}),
    ...(e.footer !== undefined ? { footer: fitText(e.footer, DISCORD_LIMITS.footer) } : {}),
    ...(e.fields ? { fields: e.fields.slice(0, DISCORD_LIMITS.fields).map(fitField) } : {}),
  };
}

const embedSize = (e: Embed) =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** Shrinks the embeds until their total is within 6000: last fields first, then descriptions. */
function fitTotal(embeds: Embed[]): Embed[] {
  const out = embeds.map((e) => ({ ...e, fields: e.fields ? [...e.fields] : undefined }));
  let excess = out.reduce((n, e) => n + embedSize(e), 0) - DISCORD_LIMITS.embedTotal;
  for (let i = out.length - 1; i >= 0 && excess > 0; i--) {
    const e = out[i]!;
    while (excess > 0 && e.fields && e.fields.length > 0) {
      const f = e.fields.pop()!;
      excess -= f.name.length + f.value.length;
    }
    if (excess > 0 && e.description) {
      const keep = Math.max(1, e.description.length - excess - 8);
      const before = e.description.length;
      e.description = fitText(e.description, keep);
      excess -= before - e.description.length;
    }
  }
  return out.map((e) => {
    const { fields, ...rest } = e;
    return fields ? { ...rest, fields } : rest;
  });
}

function fitButton(b: Button): Button | null {
  // Our own ids: one too long is a bug, and Discord would refuse the whole message for it.
  if (b.customId.length > DISCORD_LIMITS.customId) return null;
  return { ...b, label: nonEmpty(fitText(b.label, DISCORD_LIMITS.buttonLabel)) };
}

/** The reply cut to Discord's limits (unchanged when it already fits). */
export function fitReply(reply: Reply): Reply {
  const out: Reply = { ...reply };
  if (reply.content !== undefined) out.content = fitText(reply.content, DISCORD_LIMITS.content);
  if (reply.embeds) out.embeds = fitTotal(reply.embeds.slice(0, DISCORD_LIMITS.embeds).map(fitEmbed));
  if (reply.buttons) {
    out.buttons = reply.buttons.slice(0, DISCORD_LIMITS.rows).map((row) =>
      row
        .slice(0, DISCORD_LIMITS.buttonsPerRow)
        .map(fitButton)
        .filter((b): b is Button => b !== null),
    );
  }
  if (reply.files) {
    out.files = reply.files.map((f) =>
      f.description === undefined
        ? f
        : { ...f, description: fitText(f.description, DISCORD_LIMITS.fileDescription) },
    );
  }
  return out;
}
