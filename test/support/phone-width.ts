// The width checker for everything meant to be read on a phone: Discord on a phone wraps a code
// block at about 40 columns, and a wrapped table row breaks every column under it. Columns are
// measured with `string-width` (an independent implementation of terminal column widths: East
// Asian wide and fullwidth characters and emoji count two, marks and zero-width characters none),
// not with the renderer's own text-width.ts, so a mistake there cannot hide itself.
import type { APIEmbed, APIMessage } from 'discord.js';
import stringWidth from 'string-width';
import { expect } from 'vitest';

export const PHONE_COLUMNS = 40;

/** Columns a line takes in a monospace font. */
export function renderedColumns(line: string): number {
  return stringWidth(line, { ambiguousIsNarrow: true, countAnsiEscapeCodes: false });
}

/** Every line inside a ``` fence of the text. */
export function codeBlockLines(text: string): string[] {
  const parts = text.split('```');
  const lines: string[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i]!.replace(/^\w*\n/, '').replace(/\n$/, '');
    lines.push(...body.split('\n'));
  }
  return lines;
}

/** The text of a message (content, every embed's description and fields) or of a string. */
export function allText(
  message: string | Pick<APIMessage, 'content' | 'embeds'> | { content?: string; embeds?: APIEmbed[] },
): string {
  if (typeof message === 'string') return message;
  const embeds = (message.embeds ?? []) as Array<{ description?: string; fields?: Array<{ value: string }> }>;
  return [
    message.content ?? '',
    ...embeds.flatMap((e) => [e.description ?? '', ...(e.fields ?? []).map((f) => f.value)]),
  ].join('\n');
}

/**
 * Asserts every code-block line of the message fits `max` columns, and returns the lines (at
 * least one: a message with no table is not what the caller meant to check).
 */
export function expectFitsPhone(message: Parameters<typeof allText>[0], max = PHONE_COLUMNS): string[] {
  const lines = codeBlockLines(allText(message));
  expect(lines.length, 'a table to measure').toBeGreaterThan(0);
  const over = lines.filter((line) => renderedColumns(line) > max);
  expect(over, `lines wider than ${max} columns`).toEqual([]);
  return lines;
}
