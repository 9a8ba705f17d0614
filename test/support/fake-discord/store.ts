// Everything the fake remembers: the world (guilds, channels, users, messages), what the client
// did (requests, registered commands, interaction replies) and the bytes the CDN serves.
// Plain maps plus a change signal; HTTP, gateway and the test API read and write it.
import type {
  APIApplicationCommand,
  APIChannel,
  APIGuildMember,
  APIInteraction,
  APIMessage,
  APIRole,
  APIUser,
  InteractionResponseType,
  InteractionType,
} from 'discord.js';
import { ALL_PERMISSIONS } from './payloads.js';

export type Json = Record<string, unknown>;

/** One uploaded file of a multipart body (`files[n]`). */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** A request the client made, as the fake understood it. */
export interface RecordedRequest {
  method: string;
  /** Decoded path below the API version or CDN root, e.g. `/webhooks/1/abc/messages/@original`. */
  path: string;
  /** The matched route template, e.g. `/channels/:channel/messages`; null when nothing matched. */
  route: string | null;
  query: URLSearchParams;
  /** JSON body, or the parsed `payload_json` of a multipart body. */
  body: Json | undefined;
  files: UploadedFile[];
  status: number;
  at: number;
}

/** Bytes behind a CDN URL, and how to (mis)serve them. */
export interface Blob {
  id: string;
  channelId: string;
  filename: string;
  bytes: Uint8Array;
  contentType: string;
  /** Content-Length to send; `false` streams chunked with no length at all. */
  contentLength?: number | false;
  /** Serve in chunks of this size with a pause between them (for timeouts and byte limits). */
  chunkBytes?: number;
  chunkDelayMs?: number;
  /** Bytes written to clients so far (tests check that a download was cut off early). */
  sentBytes?: number;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  roles: APIRole[];
  members: Map<string, APIGuildMember>;
  channelIds: string[];
}

/** Something the client did in answer to one interaction, in arrival order. */
export type InteractionReply =
  | {
      kind: 'callback';
      type: InteractionResponseType;
      data: Json | undefined;
      files: UploadedFile[];
      message?: APIMessage;
    }
  | { kind: 'edit'; target: string; data: Json | undefined; files: UploadedFile[]; message: APIMessage }
  | { kind: 'followup'; data: Json | undefined; files: UploadedFile[]; message: APIMessage }
  | { kind: 'delete'; target: string };

export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  guildId: string;
  channelId: string;
  user: APIUser;
  payload: APIInteraction;
  createdAt: number;
  /** The initial response must arrive before this (Discord: 3 s). */
  callbackDeadline: number;
  /** Edits and follow-ups are refused with 50027 from this moment (Discord: 15 min). */
  tokenExpiresAt: number;
  responseType?: InteractionResponseType;
  /** The message `@original` points at once there is one. */
  originalId?: string;
  /** A deferred reply not yet filled in: the next edit or first follow-up fills it. */
  loading: boolean;
  /** For component interactions: the message the component sits on. */
  componentMessageId?: string;
  followUpIds: string[];
  replies: InteractionReply[];
  /** When sent to an Interactions Endpoint URL (not the gateway): where, and what it answered. */
  delivery?: { url: string; status: number; body: string };
}

export class Store {
  readonly users = new Map<string, APIUser>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, APIChannel>();
  readonly messages = new Map<string, APIMessage>();
  readonly deletedMessages = new Set<string>();
  readonly blobs = new Map<string, Blob>();
  readonly interactions = new Map<string, InteractionRecord>();
  /** Registered commands; the key is a guild id or `global`. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly requests: RecordedRequest[] = [];
  /** Channels where the bot may not post (Discord answers 403 Missing Permissions). */
  readonly sendDenied = new Set<string>();
  private readonly listeners = new Set<() => void>();

  /** Wakes every `waitFor`; call after any change a test might be waiting on. */
  changed(): void {
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  guildOf(channelId: string): GuildRecord | undefined {
    const channel = this.channels.get(channelId);
    const guildId = channel && 'guild_id' in channel ? channel.guild_id : undefined;
    return guildId ? this.guilds.get(guildId) : undefined;
  }

  /** Guild-level permissions: owner and Administrator get everything, else the union of roles. */
  permissions(guild: GuildRecord, userId: string): bigint {
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    const member = guild.members.get(userId);
    const roleIds = new Set([guild.id, ...(member?.roles ?? [])]);
    let bits = 0n;
    for (const role of guild.roles) if (roleIds.has(role.id)) bits |= BigInt(role.permissions);
    return bits & 8n ? ALL_PERMISSIONS : bits;
  }

  /** Messages in creation order with their current content; deleted ones are gone. */
  channelMessages(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    for (const rec of this.interactions.values()) if (rec.token === token) return rec;
    return undefined;
  }
}
