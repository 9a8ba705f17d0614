import type { UserError } from '../engine/errors.js';
import type { Engine } from '../engine/index.js';
import type { Logger } from '../util/logger.js';
import type { Result } from '../util/result.js';
import type { Reply } from './reply.js';

/**
 * A command is data (its name, options and who may run it) plus handlers, with no knowledge of
 * Discord or the console: each transport builds a CommandContext and CommandInput from what it
 * received and renders the Reply. One file per command in this folder.
 */
export type OptionType = 'string' | 'integer' | 'boolean' | 'user' | 'channel' | 'attachment';

/**
 * Where an option's autocomplete suggestions come from: the caller's bots, the chosen
 * opponent's, or any bot of the server (narrowed to one owner by the user option `ownerOption`).
 */
export type AutocompleteSource = 'own-bots' | 'opponent-bots' | 'guild-bots';

export interface OptionSpec {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: Array<{ name: string; value: string }>;
  autocomplete?: AutocompleteSource;
  /** The value may hold spaces (a cron expression): typed consoles take the following words too. */
  words?: boolean;
  /** For 'guild-bots': the user option whose value narrows the suggestions to that owner's bots. */
  ownerOption?: string;
  /**
   * Channel options: the kinds of channel accepted (default text and announcement channels,
   * where messages and threads can be posted; never categories, forums or voice).
   */
  channelKinds?: ChannelKind[];
}

/** Channels a command may name: where Throwdown can post messages and open threads. */
export type ChannelKind = 'text' | 'announcement';

export interface SubcommandSpec {
  name: string;
  description: string;
  options?: OptionSpec[];
  /** Refused to members without Manage Server, though the command itself is for everyone. */
  adminOnly?: boolean;
}

export interface UserValue {
  id: string;
  displayName: string;
  isBot: boolean;
}

export interface ChannelValue {
  id: string;
  name: string;
  /** What kind of channel it is; null when the transport cannot tell (the console). */
  kind?: ChannelKind | 'other' | null;
}

/** An uploaded file: metadata first, bytes only when asked for (with a size cap). */
export interface AttachmentValue {
  filename: string;
  /** Size the transport was told, in bytes (Discord's metadata); checked again while reading. */
  size: number;
  contentType: string | null;
  download(maxBytes: number): Promise<Result<Uint8Array, UserError>>;
}

export type OptionValue = string | number | boolean | UserValue | ChannelValue | AttachmentValue;

export interface CommandInput {
  subcommand?: string;
  options: Record<string, OptionValue | undefined>;
}

export interface CommandContext {
  guild: { id: string; name: string };
  user: { userId: string; displayName: string };
  channelId: string | null;
  /** The user may manage the server (Discord's Manage Server permission; the console's local user). */
  isAdmin: boolean;
  engine: Engine;
  logger: Logger;
  now(): Date;
  /**
   * Says the command has started work that costs the server (a download, a match in the
   * sandbox): from then on a refusal still counts against the user's rate limit. The dispatcher
   * provides it; handlers call it right before the costly step.
   */
  costly?(): void;
}

export type HandlerResult = Reply | UserError;

export interface Command {
  name: string;
  description: string;
  options?: OptionSpec[];
  subcommands?: SubcommandSpec[];
  /** Hidden from and refused to members without Manage Server. */
  adminOnly?: boolean;
  /** Acknowledge at once and answer later (Discord drops interactions not answered in 3 s). */
  defer?: 'public' | 'ephemeral';
  /**
   * Cheap checks (lookups, no match) run before a public "thinking…", so a refusal can be
   * answered privately instead of flickering in the channel. The handler checks again anyway:
   * a transport may skip this when it is slow.
   */
  precheck?(ctx: CommandContext, input: CommandInput): Promise<UserError | null>;
  /** Counted against the per-user rate limit of this kind. */
  rateLimit?: RateLimitKind;
  handle(ctx: CommandContext, input: CommandInput): Promise<HandlerResult>;
  /** Button presses whose customId starts with `${name}:`. */
  handleComponent?(ctx: CommandContext, args: string[]): Promise<HandlerResult>;
  /**
   * What a button press changes: 'shared' (default) updates the message everyone sees;
   * 'per-viewer' answers the presser alone (a private copy they keep paging), so one player's
   * press never turns the page under anyone else and their own marks stay theirs.
   */
  componentView?: 'shared' | 'per-viewer';
}

export type RateLimitKind = 'submit' | 'challenge';

export interface Choice {
  name: string;
  value: string;
}
