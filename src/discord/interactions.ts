import { randomBytes } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Interaction,
  MessageFlags,
  RESTJSONErrorCodes,
} from 'discord.js';
import { type Dispatcher, errorReply, unexpectedReply } from '../commands/dispatch.js';
import { autocomplete } from '../commands/index.js';
import type { Reply } from '../commands/reply.js';
import type { Choice, Command } from '../commands/types.js';
import { userError } from '../engine/errors.js';
import type { LogFields, Logger } from '../util/logger.js';
import { type AttachmentPolicy, attachmentValue } from './attachment.js';
import { foreignChannel } from './channels.js';
import { type ContextDeps, commandContext } from './context.js';
import { LATE, within } from './deadline.js';
import { commandInput } from './input.js';
import { messageBody } from './render.js';

/**
 * Routes interactions to the dispatcher and renders its replies: slash commands, button
 * presses and autocomplete. No command logic lives here; this file only decides how to talk
 * to Discord in time: acknowledge at once (deferring as the command asks, or when a reply is
 * not ready within `ackAfterMs`), answer refusals privately before anything public is shown,
 * and send a button's answer where the command wants it (the shared message, or the presser's
 * own private copy).
 */
export interface InteractionDeps extends ContextDeps {
  dispatcher: Dispatcher;
  attachments: Omit<AttachmentPolicy, 'logger'>;
  /** True once the service is stopping: new interactions get a polite refusal. */
  stopping: () => boolean;
  /** Answer directly if the reply is ready this soon, else acknowledge first (Discord allows 3 s). */
  ackAfterMs?: number;
  /** How long a command's cheap checks may hold up a public acknowledgement (then it defers anyway). */
  precheckMs?: number;
  /** Called with each interaction's time to acknowledgement (the ack benchmark records them). */
  onAck?: (sample: AckSample) => void;
  /** Autocomplete has no deferred form: give up and offer nothing after this long. */
  autocompleteMs?: number;
}

const EPHEMERAL = { flags: MessageFlags.Ephemeral } as const;

const guildOnly = errorReply(
  userError('invalid-input', "Throwdown's commands work in servers, where the bots and standings live."),
);
const restarting = errorReply(
  userError('unavailable', 'Throwdown is restarting. Please try again in a minute.'),
);

type Deferred = 'public' | 'ephemeral' | null;

export interface AckSample {
  kind: 'command' | 'button' | 'autocomplete';
  name: string;
  /** From the interaction reaching the handler to Discord accepting the first response. */
  ms: number;
}

export function interactionHandler(deps: InteractionDeps): (interaction: Interaction) => Promise<void> {
  // Discord shows "thinking…" only once acknowledged: do it at once rather than near the 3 s.
  const ackAfterMs = deps.ackAfterMs ?? 100;
  const precheckMs = deps.precheckMs ?? 150;
  const autocompleteMs = deps.autocompleteMs ?? 2500;

  const policy = (logger: Logger): AttachmentPolicy => ({ ...deps.attachments, logger });

  /** Sends a finished reply the way the interaction's state allows. */
  async function send(i: ChatInputCommandInteraction, reply: Reply, deferred: Deferred): Promise<void> {
    const body = messageBody(reply);
    if (!deferred) {
      await i.reply({ ...body, ...(reply.ephemeral ? EPHEMERAL : {}) });
    } else if (reply.ephemeral && deferred === 'public') {
      // A public "thinking…" cannot turn private: remove it and answer privately instead.
      await i.deleteReply();
      await i.followUp({ ...body, ...EPHEMERAL });
    } else {
      await i.editReply(body);
    }
  }

  async function chatInput(
    i: ChatInputCommandInteraction,
    log: Logger,
    acked: () => void,
  ): Promise<LogFields> {
    const what = { command: `/${i.commandName}`, user: i.user.id };
    const ctx = commandContext(i, deps);
    if (!ctx) {
      await send(i, guildOnly, null);
      acked();
      return { ...what, refused: 'not in a server' };
    }
    const command: Command | undefined = deps.dispatcher.find(i.commandName);
    if (!command) {
      await send(i, await deps.dispatcher.run(ctx, i.commandName, { options: {} }), null);
      acked();
      return { ...what, refused: 'unknown command' };
    }
    const input = commandInput(command, i.options.data, {
      attachment: (meta) => attachmentValue(meta, policy(log)),
    });
    if (!input.ok) {
      await send(i, errorReply(input.error), null);
      acked();
      return { ...what, refused: input.error.message };
    }
    // Refusals (permissions, rate limit, the command's own cheap checks) are private and come
    // before any public "thinking...": a refusal must not flicker in the channel.
    const refusal = deps.dispatcher.admit(ctx, command.name, input.value.subcommand);
    if (refusal) {
      await send(i, refusal, null);
      acked();
      return { ...what, refused: 'not admitted' };
    }
    // A channel of another server is refused before anything is acknowledged or done.
    const foreign = await foreignChannel(i, command, input.value);
    if (foreign) {
      await send(i, errorReply(foreign), null);
      acked();
      return { ...what, refused: foreign.message };
    }
    // Bounds of every option, then the command's own checks, before a public "thinking...".
    if (command.defer !== 'ephemeral') {
      const checked = deps.dispatcher.precheck(ctx, command.name, input.value);
      const early = await within(checked, precheckMs);
      // Too slow: acknowledge anyway; the handler repeats the checks and a refusal is then
      // replaced privately (the rare flicker is better than "did not respond").
      if (early !== LATE && early) {
        await send(i, early, null);
        acked();
        return { ...what, refused: 'precheck' };
      }
      if (early === LATE) log.warn('checks too slow; acknowledged publicly first', what);
    }
    let deferred: Deferred = null;
    if (command.defer) {
      // Acknowledge before doing anything: if this fails, the command must not run unseen.
      await i.deferReply(command.defer === 'ephemeral' ? EPHEMERAL : {});
      acked();
      deferred = command.defer;
    }
    const pending = deps.dispatcher.execute(ctx, command.name, input.value);
    if (!deferred && (await within(pending, ackAfterMs)) === LATE) {
      await i.deferReply();
      acked();
      deferred = 'public';
    }
    const reply = await pending;
    await send(i, reply, deferred);
    acked();
    return {
      ...what,
      command: `/${command.name}${input.value.subcommand ? ` ${input.value.subcommand}` : ''}`,
      ephemeral: reply.ephemeral ?? false,
    };
  }

  /**
   * A button: acknowledged at once, then answered. A shared view (the default) is deferred as
   * an update of the message the button sits on and then edited; a per-viewer view (paging)
   * answers the presser with their own private copy, which later presses on it update in place.
   */
  async function button(i: ButtonInteraction, acked: () => void): Promise<LogFields> {
    const what = { button: i.customId, user: i.user.id };
    const ctx = commandContext(i, deps);
    if (!ctx) {
      await i.reply({ ...messageBody(guildOnly), ...EPHEMERAL });
      acked();
      return { ...what, refused: 'not in a server' };
    }
    const command = deps.dispatcher.pressable(i.customId);
    if (!command) {
      // Known at once: the presser alone is told; the message everyone sees stays as it was.
      await i.reply({ ...messageBody(await deps.dispatcher.press(ctx, i.customId)), ...EPHEMERAL });
      acked();
      return { ...what, refused: 'no handler' };
    }
    const onPrivateCopy = i.message.flags.has(MessageFlags.Ephemeral);
    const fresh = command.componentView === 'per-viewer' && !onPrivateCopy;
    if (fresh) await i.deferReply(EPHEMERAL);
    else await i.deferUpdate();
    acked();
    const reply = await deps.dispatcher.press(ctx, i.customId);
    if (fresh) await i.editReply(messageBody(reply));
    // A refusal goes to the presser alone; the message it was pressed on stays as it was.
    else if (reply.ephemeral) await i.followUp({ ...messageBody(reply), ...EPHEMERAL });
    else await i.editReply(messageBody(reply));
    return { ...what, view: fresh ? 'new private copy' : onPrivateCopy ? 'private copy' : 'shared' };
  }

  async function suggest(i: AutocompleteInteraction, log: Logger): Promise<void> {
    const command = deps.dispatcher.find(i.commandName);
    const ctx = commandContext(i, deps);
    let choices: Choice[] = [];
    if (command && ctx) {
      const input = commandInput(command, i.options.data, {
        attachment: (meta) => attachmentValue(meta, policy(log)),
        partial: true,
      });
      const focused = i.options.getFocused(true);
      if (input.ok) {
        const pending = autocomplete(ctx, command, input.value, {
          name: focused.name,
          value: String(focused.value),
        });
        pending.catch((error) => log.error('autocomplete failed', { command: command.name, error }));
        const found = await within(pending, autocompleteMs).catch(() => []);
        if (found === LATE) log.warn('autocomplete too slow; offered nothing', { command: command.name });
        else choices = found;
      }
    }
    // Discord's limits: 25 choices, names and values 1-100 characters.
    await i.respond(
      choices.slice(0, 25).map((c) => ({ name: c.name.slice(0, 100), value: c.value.slice(0, 100) })),
    );
  }

  /** Tells the user something broke on our side, if the interaction still allows it. */
  async function apologise(i: Interaction, errorId: string): Promise<void> {
    if (!i.isRepliable()) return;
    const body = { ...messageBody(unexpectedReply(errorId)), ...EPHEMERAL };
    if (i.deferred || i.replied) await i.followUp(body);
    else await i.reply(body);
  }

  return async (i) => {
    const log = deps.logger.child({ interaction: i.id, guild: i.guildId ?? undefined });
    const started = performance.now();
    let ackMs: number | null = null;
    const acked = () => {
      ackMs ??= performance.now() - started;
    };
    try {
      if (deps.stopping()) {
        if (i.isAutocomplete()) await i.respond([]);
        else if (i.isRepliable()) await i.reply({ ...messageBody(restarting), ...EPHEMERAL });
        return;
      }
      let answered: LogFields | undefined;
      if (i.isChatInputCommand()) answered = await chatInput(i, log, acked);
      else if (i.isButton()) answered = await button(i, acked);
      else if (i.isAutocomplete()) {
        await suggest(i, log);
        acked();
      } else log.debug('interaction ignored', { type: i.type });
      if (ackMs !== null) {
        deps.onAck?.({
          kind: i.isChatInputCommand() ? 'command' : i.isButton() ? 'button' : 'autocomplete',
          name: i.isButton()
            ? i.customId.split(':')[0]!
            : i.isCommand() || i.isAutocomplete()
              ? i.commandName
              : '?',
          ms: ackMs,
        });
      }
      if (answered) {
        log.info('answered', {
          ...answered,
          ackMs: Math.round(ackMs ?? 0),
          ms: Math.round(performance.now() - started),
        });
      }
    } catch (error) {
      if (isGone(error)) {
        // Too late to answer (over 3 s to acknowledge, or 15 min to edit): nobody to tell.
        log.warn('interaction expired before we answered', { code: (error as DiscordAPIError).code });
        return;
      }
      const errorId = randomBytes(4).toString('hex');
      log.error('interaction failed', { errorId, error });
      await apologise(i, errorId).catch((again) =>
        log.warn('could not tell the user about the failure', { errorId, error: again }),
      );
    }
  };
}

function isGone(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.UnknownInteraction ||
      error.code === RESTJSONErrorCodes.InvalidWebhookToken)
  );
}
