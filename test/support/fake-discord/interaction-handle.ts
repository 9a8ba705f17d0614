// What a test holds after playing a user: the interaction as sent, and everything the client
// did in answer (callback, edits, follow-ups, deletes) in arrival order.
import type { APIMessage } from 'discord.js';
import type { InteractionRecord, InteractionReply, Store } from './store.js';
import { waitFor } from './wait-for.js';

export class InteractionHandle {
  constructor(
    private readonly store: Store,
    readonly record: InteractionRecord,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** The INTERACTION_CREATE `d` the client received. */
  get payload(): InteractionRecord['payload'] {
    return this.record.payload;
  }

  /** Everything the client did for this interaction so far: callback, edits, follow-ups. */
  replies(): InteractionReply[] {
    return [...this.record.replies];
  }

  /** The initial response (callback), waiting for it if needed. */
  response(timeoutMs = 5000): Promise<Extract<InteractionReply, { kind: 'callback' }>> {
    return waitFor(
      this.store,
      () => this.record.replies.find((r) => r.kind === 'callback'),
      timeoutMs,
      `a response to interaction ${this.id}`,
    );
  }

  /** Resolves once at least `count` replies arrived. */
  waitForReplies(count: number, timeoutMs = 5000): Promise<InteractionReply[]> {
    return waitFor(
      this.store,
      () => (this.record.replies.length >= count ? this.replies() : undefined),
      timeoutMs,
      `${count} replies to interaction ${this.id}`,
    );
  }

  /** The message `@original` currently points at, with its latest content. */
  original(): APIMessage | undefined {
    return this.record.originalId ? this.store.messages.get(this.record.originalId) : undefined;
  }

  /** What the Interactions Endpoint answered Discord's POST (HTTP mode), waiting for it. */
  delivered(timeoutMs = 5000): Promise<NonNullable<InteractionRecord['delivery']>> {
    return waitFor(this.store, () => this.record.delivery, timeoutMs, `the endpoint's answer to ${this.id}`);
  }

  /** Make the interaction token die now, as it does 15 minutes after the interaction. */
  expire(): void {
    this.record.tokenExpiresAt = Date.now();
  }
}
