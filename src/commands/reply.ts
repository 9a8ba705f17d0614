/**
 * What a command answers, independent of the transport: Discord turns it into a message
 * payload, the console into text. Only what both can show lives here.
 */
export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Embed {
  title?: string;
  description?: string;
  /** 0xRRGGBB. */
  color?: number;
  fields?: EmbedField[];
  footer?: string;
  /** Name of an attached file to show as the embed's image. */
  image?: string;
}

export interface ReplyFile {
  name: string;
  data: Uint8Array;
  /** Alt text for screen readers (Discord's attachment description, max 1024 chars). */
  description?: string;
}

export interface Button {
  /** Routed back to the command's component handler; at most 100 chars. */
  customId: string;
  label: string;
  style?: 'primary' | 'secondary' | 'success' | 'danger';
  disabled?: boolean;
}

export interface Reply {
  content?: string;
  embeds?: Embed[];
  files?: ReplyFile[];
  /** Rows of at most 5 buttons. */
  buttons?: Button[][];
  /** Only the invoking user sees it. */
  ephemeral?: boolean;
  /**
   * Users whose mention in `content` may notify them (they opted in). Every other mention is
   * shown as a name and pings nobody.
   */
  pings?: string[];
}

export const COLORS = {
  ok: 0x2ecc71,
  info: 0x5865f2,
  warn: 0xf1c40f,
  error: 0xe74c3c,
} as const;
