// Turning request bodies into stored messages: create, edit, delete, with uploaded files
// becoming CDN attachments (so a bot can re-download what it posted) and gateway events for
// clients that asked for message intents.
import {
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIUser,
  GatewayIntentBits,
  MessageFlags,
} from 'discord.js';
import { addBlob } from './cdn.js';
import { emptyMessage, invalidFormBody, tooLarge } from './errors.js';
import { apiMessage } from './payloads.js';
import { snowflake } from './snowflake.js';
import type { Json, Store, UploadedFile } from './store.js';
import { validateMessageBody } from './validate.js';

export interface MessageDeps {
  store: Store;
  /** `http://host:port` for CDN URLs. */
  cdnOrigin: (host?: string) => string;
  /** Per-file upload limit (Discord's default since 2025: 10 MiB). */
  attachmentSizeLimit: number;
  dispatch: (event: string, data: unknown, intent?: number) => void;
}

// Flags a client may set on a message; the rest are Discord's to set.
const CLIENT_FLAGS =
  MessageFlags.SuppressEmbeds |
  MessageFlags.Ephemeral |
  MessageFlags.SuppressNotifications |
  MessageFlags.IsComponentsV2;
const REQUEST_LIMIT = 25 * 1024 * 1024;

/** Attachments after this request: kept ones (listed by id) plus newly uploaded `files[n]`. */
function attachments(
  deps: MessageDeps,
  channelId: string,
  body: Json | undefined,
  files: UploadedFile[],
  existing: APIAttachment[],
): APIAttachment[] {
  const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
  if (total > REQUEST_LIMIT || files.some((f) => f.bytes.byteLength > deps.attachmentSizeLimit))
    throw tooLarge();
  const uploads = new Map(files.map((f) => [/^files\[(\d+)\]$/.exec(f.field)?.[1] ?? f.field, f]));
  const upload = (file: UploadedFile, meta?: Json) =>
    addBlob(deps.store, deps.cdnOrigin, {
      filename: (meta?.filename as string | undefined) ?? file.filename,
      bytes: file.bytes,
      contentType: file.contentType,
      channelId,
      ...(typeof meta?.description === 'string' ? { description: meta.description } : {}),
    });
  const listed = Array.isArray(body?.attachments) ? (body.attachments as Json[]) : undefined;
  if (!listed) return [...existing, ...[...uploads.values()].map((f) => upload(f))];
  const result: APIAttachment[] = [];
  for (const meta of listed) {
    const key = String(meta.id);
    const file = uploads.get(key);
    const kept = existing.find((a) => a.id === key);
    if (file) {
      result.push(upload(file, meta));
      uploads.delete(key);
    } else if (kept) result.push(kept);
    else
      throw invalidFormBody([
        { path: 'attachments', code: 'ATTACHMENT_NOT_FOUND', message: 'Unknown attachment' },
      ]);
  }
  // Files sent without an `attachments` entry are still attached, as Discord does.
  return [...result, ...[...uploads.values()].map((f) => upload(f))];
}

function mentions(store: Store, content: string): APIUser[] {
  const ids = new Set([...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1]!));
  return [...ids].flatMap((id) => store.users.get(id) ?? []);
}

const embeds = (raw: unknown): APIEmbed[] =>
  Array.isArray(raw) ? raw.map((e: APIEmbed) => ({ type: 'rich' as APIEmbed['type'], ...e })) : [];

function gatewayForm(store: Store, message: APIMessage) {
  const guild = store.guildOf(message.channel_id);
  if (!guild) return message;
  const member = guild.members.get(message.author.id);
  const { user: _user, ...memberWithoutUser } = member ?? { user: undefined };
  return { ...message, guild_id: guild.id, ...(member ? { member: memberWithoutUser } : {}) };
}

function touchChannel(store: Store, channelId: string, messageId: string): void {
  const channel = store.channels.get(channelId);
  if (channel && 'last_message_id' in channel) channel.last_message_id = messageId;
  if (channel && 'message_count' in channel) {
    channel.message_count = (channel.message_count ?? 0) + 1;
    channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
  }
}

export function createMessage(
  deps: MessageDeps,
  channelId: string,
  body: Json | undefined,
  files: UploadedFile[],
  extra: Partial<APIMessage> & { author: APIUser },
): APIMessage {
  validateMessageBody(body ?? {});
  const content = typeof body?.content === 'string' ? body.content : '';
  const att = attachments(deps, channelId, body, files, []);
  const hasSomething =
    content ||
    att.length ||
    (body?.embeds as unknown[] | undefined)?.length ||
    (body?.components as unknown[])?.length;
  const loading = ((extra.flags ?? 0) & MessageFlags.Loading) !== 0;
  if (!hasSomething && !body?.sticker_ids && !body?.poll && !loading) throw emptyMessage();
  const reference = body?.message_reference as { message_id?: string } | undefined;
  const referenced = reference?.message_id ? deps.store.messages.get(reference.message_id) : undefined;
  const message = apiMessage({
    id: snowflake(),
    channel_id: channelId,
    content,
    tts: body?.tts === true,
    mentions: mentions(deps.store, content),
    attachments: att,
    embeds: embeds(body?.embeds),
    components: (body?.components as APIMessage['components']) ?? [],
    flags: ((body?.flags as number | undefined) ?? 0) & CLIENT_FLAGS,
    ...(referenced
      ? {
          message_reference: { type: 0, message_id: referenced.id, channel_id: channelId },
          referenced_message: referenced,
        }
      : {}),
    ...extra,
  });
  deps.store.messages.set(message.id, message);
  touchChannel(deps.store, channelId, message.id);
  if (!(message.flags! & MessageFlags.Ephemeral)) {
    deps.dispatch('MESSAGE_CREATE', gatewayForm(deps.store, message), GatewayIntentBits.GuildMessages);
  }
  deps.store.changed();
  return message;
}

/** Apply a PATCH body: only the fields present change, as with Discord. */
export function editMessage(
  deps: MessageDeps,
  message: APIMessage,
  body: Json | undefined,
  files: UploadedFile[],
): APIMessage {
  validateMessageBody(body ?? {});
  const b = body ?? {};
  if (typeof b.content === 'string' || b.content === null)
    message.content = (b.content as string | null) ?? '';
  if ('content' in b) message.mentions = mentions(deps.store, message.content);
  if (Array.isArray(b.embeds) || b.embeds === null) message.embeds = embeds(b.embeds);
  if (Array.isArray(b.components) || b.components === null) {
    message.components = (b.components as APIMessage['components']) ?? [];
  }
  if (typeof b.flags === 'number') {
    message.flags =
      (message.flags! & ~CLIENT_FLAGS) | (b.flags & CLIENT_FLAGS) | (message.flags! & MessageFlags.Ephemeral);
  }
  if ('attachments' in b || files.length) {
    message.attachments = attachments(deps, message.channel_id, b, files, message.attachments);
  }
  message.edited_timestamp = new Date().toISOString();
  if (!(message.flags! & MessageFlags.Ephemeral)) {
    deps.dispatch('MESSAGE_UPDATE', gatewayForm(deps.store, message), GatewayIntentBits.GuildMessages);
  }
  deps.store.changed();
  return message;
}

export function deleteMessage(deps: MessageDeps, message: APIMessage): void {
  deps.store.messages.delete(message.id);
  deps.store.deletedMessages.add(message.id);
  const guild = deps.store.guildOf(message.channel_id);
  deps.dispatch(
    'MESSAGE_DELETE',
    { id: message.id, channel_id: message.channel_id, ...(guild ? { guild_id: guild.id } : {}) },
    GatewayIntentBits.GuildMessages,
  );
  deps.store.changed();
}
