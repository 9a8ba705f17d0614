import type { Reply } from '../../commands/reply.js';

/** Discord markdown as plain terminal text: no fences, bold or escapes; timestamps as readable times. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^```\w*\n?|```$/gm, '')
    .replace(/\*\*/g, '')
    .replace(/\\([\\`*_~|>#\-.()[\]])/g, '$1')
    .replace(/\u200b/g, '')
    .replace(/<t:(\d+)(?::\w)?>/g, (_, s: string) =>
      new Date(Number(s) * 1000).toISOString().replace('.000Z', 'Z'),
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
export function renderReply(reply: Reply): RenderedReply {
  const lines: string[] = [];
  if (reply.content) lines.push(plainText(reply.content));
  for (const embed of reply.embeds ?? []) {
    if (embed.title) lines.push(`== ${plainText(embed.title)} ==`);
    if (embed.description) lines.push(plainText(embed.description));
    for (const field of embed.fields ?? []) {
      lines.push(`${plainText(field.name)}:`);
      lines.push(
        ...plainText(field.value)
          .split('\n')
          .map((l) => `  ${l}`),
      );
    }
    if (embed.footer) lines.push(`-- ${plainText(embed.footer)}`);
  }
  const buttons = (reply.buttons ?? []).flat().filter((b) => !b.disabled);
  if (buttons.length)
    lines.push(`[buttons: ${buttons.map((b) => `${b.label} = /press ${b.customId}`).join(' | ')}]`);
  return { text: lines.join('\n'), files: reply.files ?? [] };
}
