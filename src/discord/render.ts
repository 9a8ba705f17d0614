import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type AttachmentPayload,
  ButtonStyle,
  ComponentType,
  type MessageMentionOptions,
} from 'discord.js';
import type { Button, Embed, Reply } from '../commands/reply.js';
import { fitReply } from './limits.js';

/**
 * A Reply as a discord.js message body. The same body serves a new message, an edit of a
 * deferred reply and a button's update: edits replace everything (content, embeds, buttons and
 * attachments), so a page turned by a button never keeps the previous page's chart. Mentions
 * ping nobody (names in replies are text, not notifications), except the users a reply lists in
 * `pings` (a challenged player who opted in to challenge pings).
 */
export const NO_PINGS: MessageMentionOptions = { parse: [] };

export interface MessageBody {
  content: string;
  embeds: APIEmbed[];
  files: AttachmentPayload[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  /** Which earlier attachments to keep on an edit: none (the new files are added by discord.js). */
  attachments: [];
  allowedMentions: MessageMentionOptions;
}

const STYLES: Record<NonNullable<Button['style']>, APIButtonComponentWithCustomId['style']> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

function embedJson(embed: Embed): APIEmbed {
  return {
    ...(embed.title !== undefined ? { title: embed.title } : {}),
    ...(embed.description !== undefined ? { description: embed.description } : {}),
    ...(embed.color !== undefined ? { color: embed.color } : {}),
    ...(embed.fields?.length
      ? { fields: embed.fields.map((f) => ({ name: f.name, value: f.value, inline: f.inline ?? false })) }
      : {}),
    ...(embed.footer !== undefined ? { footer: { text: embed.footer } } : {}),
    ...(embed.image !== undefined ? { image: { url: `attachment://${embed.image}` } } : {}),
  };
}

function buttonJson(button: Button): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: button.customId,
    label: button.label,
    style: STYLES[button.style ?? 'secondary'],
    disabled: button.disabled ?? false,
  };
}

export function messageBody(original: Reply): MessageBody {
  // Within Discord's limits whatever a name or a bot's output made of it (limits.ts).
  const reply = fitReply(original);
  return {
    content: reply.content ?? '',
    embeds: (reply.embeds ?? []).map(embedJson),
    files: (reply.files ?? []).map((file) => ({
      attachment: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
      name: file.name,
      ...(file.description !== undefined ? { description: file.description } : {}),
    })),
    components: (reply.buttons ?? [])
      .filter((row) => row.length > 0)
      .map((row) => ({ type: ComponentType.ActionRow, components: row.map(buttonJson) })),
    attachments: [],
    allowedMentions: reply.pings?.length
      ? { parse: [], users: [...new Set(reply.pings)].slice(0, 100) }
      : NO_PINGS,
  };
}
