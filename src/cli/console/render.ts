import type { Reply } from '../../commands/reply.js';
import { formatDuration } from '../../render/time.js';

/**
 * Discord's markup as terminal text: no fences, bold or escapes; mentions as names; timestamps
 * as one readable UTC time (a time followed by its own relative form reads "… (in 3 h)", never
 * the same time twice); quote lines indented rather than starting with ">", which reads as a
 * prompt in a terminal.
 */
export interface PlainOptions {
  /** For relative times ("in 5 min"); default the real clock. */
  now?: Date;
  /** The channel id that means "here" (the console's own), shown as "this console". */
  hereChannelId?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-03-06 20:00 UTC"; with seconds for style T. */
function absolute(ms: number, style: string): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${style === 'T' ? `:${pad(d.getUTCSeconds())}` : ''}`;
  if (style === 'd' || style === 'D') return date;
  if (style === 't' || style === 'T') return `${time} UTC`;
  return `${date} ${time} UTC`;
}

function relative(ms: number, now: number): string {
  const diff = ms - now;
  if (Math.abs(diff) < 1000) return 'now';
  const span = formatDuration(Math.abs(diff), { units: 1 });
  return diff > 0 ? `in ${span}` : `${span} ago`;
}

export function plainText(markdown: string, options: PlainOptions = {}): string {
  const now = (options.now ?? new Date()).getTime();
  const time = (s: string, style = 'f') => {
    const ms = Number(s) * 1000;
    return style === 'R' ? relative(ms, now) : absolute(ms, style);
  };
  return (
    markdown
      .replace(/^```\w*\n?|```$/gm, '')
      .replace(/\*\*/g, '')
      // The same moment twice ("<t:X:F> (<t:X:R>)"): the time once, then how far off it is.
      .replace(
        /<t:(-?\d+)(?::([tTdDfFR]))?> \(<t:\1:R>\)/g,
        (_, s: string, style?: string) => `${time(s, style)} (${time(s, 'R')})`,
      )
      .replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_, s: string, style?: string) => time(s, style))
      .replace(/<#(\w+)>/g, (_, id: string) =>
        id === (options.hereChannelId ?? 'console') ? 'this console' : `#${id}`,
      )
      .replace(/<@[!&]?([\w-]+)>/g, '@$1')
      .replace(/^> ?/gm, '  ')
      .replace(/\\([\\`*_~|>#\-.()[\]<])/g, '$1')
      .replace(/\u200b/g, '')
  );
}

export interface RenderedReply {
  text: string;
  files: Array<{ name: string; data: Uint8Array; description?: string }>;
}

/**
 * A Reply as console text. Buttons are shown with the console command that presses them, so
 * paging works the same way it does in Discord.
 */
export function renderReply(reply: Reply, options: PlainOptions = {}): RenderedReply {
  const plain = (text: string) => plainText(text, options);
  const lines: string[] = [];
  if (reply.content) lines.push(plain(reply.content));
  for (const embed of reply.embeds ?? []) {
    if (embed.title) lines.push(`== ${plain(embed.title)} ==`);
    if (embed.description) lines.push(plain(embed.description));
    for (const field of embed.fields ?? []) {
      lines.push(`${plain(field.name)}:`);
      lines.push(
        ...plain(field.value)
          .split('\n')
          .map((l) => `  ${l}`),
      );
    }
    if (embed.footer) lines.push(`-- ${plain(embed.footer)}`);
  }
  const buttons = (reply.buttons ?? []).flat().filter((b) => !b.disabled);
  if (buttons.length)
    lines.push(`[buttons: ${buttons.map((b) => `${b.label} = /press ${b.customId}`).join(' | ')}]`);
  return { text: lines.join('\n'), files: reply.files ?? [] };
}
