// Interaction callbacks and the interaction webhook (edits, follow-ups), with Discord's rules:
// one initial response within 3 s, a token that dies after 15 min (50027), the callback types
// each interaction type allows, and a deferred reply that the first edit or follow-up fills in.
import {
  type APIMessage,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
} from 'discord.js';
import {
  alreadyAcknowledged,
  invalidFormBody,
  invalidWebhookToken,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from './errors.js';
import { createMessage, deleteMessage, editMessage } from './messages.js';
import { noContent, ok, type Route, route, type World } from './routes.js';
import type { InteractionRecord, Json } from './store.js';
import { validateChoices, validateModal } from './validate.js';

const R = InteractionResponseType;
const ALLOWED: Record<number, InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [
    R.ChannelMessageWithSource,
    R.DeferredChannelMessageWithSource,
    R.Modal,
  ],
  [InteractionType.MessageComponent]: [
    R.ChannelMessageWithSource,
    R.DeferredChannelMessageWithSource,
    R.DeferredMessageUpdate,
    R.UpdateMessage,
    R.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [R.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    R.ChannelMessageWithSource,
    R.DeferredChannelMessageWithSource,
    R.DeferredMessageUpdate,
    R.UpdateMessage,
  ],
};

/** Fields Discord sets on messages an interaction produced. */
function interactionMessageFields(
  world: World,
  rec: InteractionRecord,
): Partial<APIMessage> & { author: World['bot'] } {
  const data = rec.payload.data as Json | undefined;
  const isCommand = rec.type === InteractionType.ApplicationCommand;
  return {
    author: world.bot,
    webhook_id: world.applicationId,
    application_id: world.applicationId,
    type: isCommand ? MessageType.ChatInputCommand : MessageType.Default,
    interaction_metadata: {
      id: rec.id,
      type: rec.type,
      user: rec.user,
      authorizing_integration_owners: { '0': rec.guildId },
      ...(isCommand ? { name: data?.name as string, command_type: ApplicationCommandType.ChatInput } : {}),
    } as APIMessage['interaction_metadata'],
  };
}

export function interactionRoutes(world: World): Route[] {
  const { store } = world;

  const callback = route(
    [
      'POST',
      '/interactions/:interaction/:token/callback',
      ({ params, query, body, files }) => {
        const rec = store.interactions.get(params.interaction!);
        if (!rec || rec.token !== params.token) throw unknownInteraction();
        if (rec.responseType !== undefined) throw alreadyAcknowledged();
        // Too late: Discord already told the user "The application did not respond".
        if (Date.now() > rec.callbackDeadline) throw unknownInteraction();
        const type = body?.type as InteractionResponseType;
        if (!ALLOWED[rec.type]?.includes(type)) {
          throw invalidFormBody([
            { path: 'type', code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid type' },
          ]);
        }
        const data = body?.data as Json | undefined;
        const component = rec.componentMessageId ? store.messages.get(rec.componentMessageId) : undefined;
        if ((type === R.UpdateMessage || type === R.DeferredMessageUpdate) && !component)
          throw unknownMessage();
        let message: APIMessage | undefined;
        switch (type) {
          case R.ChannelMessageWithSource:
            message = createMessage(world, rec.channelId, data, files, interactionMessageFields(world, rec));
            break;
          case R.DeferredChannelMessageWithSource:
            // The "Bot is thinking..." placeholder; only the ephemeral flag is honoured on a defer.
            message = createMessage(world, rec.channelId, {}, [], {
              ...interactionMessageFields(world, rec),
              flags:
                MessageFlags.Loading | (((data?.flags as number | undefined) ?? 0) & MessageFlags.Ephemeral),
            });
            rec.loading = true;
            break;
          case R.UpdateMessage:
            message = editMessage(world, component!, data, files);
            break;
          case R.DeferredMessageUpdate:
            message = component;
            break;
          case R.ApplicationCommandAutocompleteResult:
            validateChoices(data?.choices);
            break;
          case R.Modal:
            validateModal(data ?? {});
            break;
        }
        rec.responseType = type;
        rec.originalId = message?.id;
        rec.replies.push({ kind: 'callback', type, data, files, ...(message ? { message } : {}) });
        store.changed();
        if (query.get('with_response') !== 'true') return noContent();
        return ok({
          interaction: {
            id: rec.id,
            type: rec.type,
            ...(message
              ? {
                  response_message_id: message.id,
                  response_message_loading: rec.loading,
                  response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
                }
              : {}),
          },
          resource: { type, ...(message && type !== R.DeferredMessageUpdate ? { message } : {}) },
        });
      },
    ],
    { auth: false, rateLimited: false },
  );

  const interactionFor = (params: Record<string, string>): InteractionRecord => {
    if (params.app !== world.applicationId) throw unknownWebhook();
    const rec = store.interactionByToken(params.token!);
    if (!rec) throw unknownWebhook();
    if (Date.now() >= rec.tokenExpiresAt) throw invalidWebhookToken();
    return rec;
  };
  const target = (rec: InteractionRecord, which: string): APIMessage => {
    const id = which === '@original' ? rec.originalId : which;
    const owned = id !== undefined && (id === rec.originalId || rec.followUpIds.includes(id));
    const found = owned ? store.messages.get(id) : undefined;
    if (!found) throw unknownMessage();
    return found;
  };
  /** Editing (or first follow-up to) a deferred reply replaces the placeholder. */
  const fill = (rec: InteractionRecord, message: APIMessage) => {
    if (rec.loading && message.id === rec.originalId) {
      rec.loading = false;
      message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
    }
  };
  const messagePath = '/webhooks/:app/:token/messages/:message';
  const webhook = { auth: false };

  return [
    callback,
    route(['GET', messagePath, ({ params }) => ok(target(interactionFor(params), params.message!))], webhook),
    route(
      [
        'PATCH',
        messagePath,
        ({ params, body, files }) => {
          const rec = interactionFor(params);
          const message = target(rec, params.message!);
          editMessage(world, message, body, files);
          fill(rec, message);
          rec.replies.push({ kind: 'edit', target: params.message!, data: body, files, message });
          store.changed();
          return ok(message);
        },
      ],
      webhook,
    ),
    route(
      [
        'DELETE',
        messagePath,
        ({ params }) => {
          const rec = interactionFor(params);
          deleteMessage(world, target(rec, params.message!));
          rec.replies.push({ kind: 'delete', target: params.message! });
          store.changed();
          return noContent();
        },
      ],
      webhook,
    ),
    route(
      [
        'POST',
        '/webhooks/:app/:token',
        ({ params, query, body, files }) => {
          const rec = interactionFor(params);
          // Follow-ups need an initial response first.
          if (rec.responseType === undefined) throw unknownWebhook();
          const original = rec.originalId ? store.messages.get(rec.originalId) : undefined;
          let message: APIMessage;
          if (rec.loading && original) {
            message = editMessage(world, original, body, files);
            fill(rec, message);
          } else {
            message = createMessage(world, rec.channelId, body, files, interactionMessageFields(world, rec));
            rec.followUpIds.push(message.id);
          }
          rec.replies.push({ kind: 'followup', data: body, files, message });
          store.changed();
          return query.get('wait') === 'true' ? ok(message) : noContent();
        },
      ],
      webhook,
    ),
  ];
}
