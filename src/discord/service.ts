import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, Events, type Interaction, RESTEvents } from 'discord.js';
import type { Dispatcher } from '../commands/dispatch.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine/index.js';
import type { Logger } from '../util/logger.js';
import { parseAllowedHosts } from './attachment-hosts.js';
import { createClient, DiscordLoginError, logConnectionEvents, login } from './client.js';
import {
  type InteractionEndpoint,
  type RawInteraction,
  startInteractionEndpoint,
} from './interaction-endpoint.js';
import { type AckSample, interactionHandler } from './interactions.js';
import { interactionPublicKey } from './signature.js';

/**
 * The Discord transport as one service: every interaction routed to the dispatcher, arriving
 * either over the gateway (a client logged in with the token; one process per bot) or, in
 * 'http' mode, as signed POSTs to the interactions endpoint (any number of instances behind a
 * load balancer; docs/discord-at-scale.md). Both feed the same discord.js interaction objects
 * to the same handler, and both reply the same way: the REST callback, then webhook edits and
 * follow-ups with the interaction token. `stop()` refuses new interactions, waits for the ones
 * in flight (a match being played, a reply being sent) and disconnects. Command registration
 * is not done here: that is `npm run deploy-commands` (src/discord/deploy.ts).
 */
export interface DiscordServiceOptions {
  config: Pick<Config, 'discord'>;
  dispatcher: Dispatcher;
  engine: Engine;
  logger: Logger;
  now?: () => Date;
  /** discord.js's client-side cap on REST requests per second (default: Discord's 50). */
  globalRequestsPerSecond?: number;
  /** How long stop() waits for interactions in flight. */
  drainMs?: number;
  /** Each interaction's time to acknowledgement (for the ack benchmark). */
  onAck?: (sample: AckSample) => void;
}

export interface DiscordService {
  /** Logged in on the gateway; in 'http' mode a REST-only client (no gateway, `user` null). */
  client: Client;
  /** The interactions endpoint as bound, in 'http' mode; null on the gateway. */
  endpointUrl: string | null;
  stop(): Promise<void>;
}

/** Discord waits 3 s for the first response; past that the HTTP request is answered anyway. */
const ACK_WAIT_MS = 3_000;

/** discord.js's own builder of interaction objects from raw data (what the gateway uses). */
interface InteractionActions {
  actions: { InteractionCreate: { handle(data: unknown): void } };
}

export async function startDiscord(options: DiscordServiceOptions): Promise<DiscordService> {
  const { config, logger } = options;
  const token = config.discord.token;
  if (!token) throw new DiscordLoginError('DISCORD_TOKEN is not set');
  const log = logger.child({ transport: 'discord' });
  const client = createClient({
    restBaseUrl: config.discord.restBaseUrl,
    ...(options.globalRequestsPerSecond ? { globalRequestsPerSecond: options.globalRequestsPerSecond } : {}),
  });
  if (config.discord.restBaseUrl)
    log.info('using a custom REST base URL', { url: config.discord.restBaseUrl });
  logConnectionEvents(client, log);

  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const handle = interactionHandler({
    dispatcher: options.dispatcher,
    engine: options.engine,
    logger: log,
    now: options.now ?? (() => new Date()),
    attachments: {
      allowed: parseAllowedHosts(config.discord.attachmentHosts),
      timeoutMs: config.discord.attachmentTimeoutMs,
    },
    stopping: () => stopping,
    ...(options.onAck ? { onAck: options.onAck } : {}),
  });
  // In 'http' mode, who waits for an interaction's handler to start (by interaction id).
  const started = new Map<string, (work: Promise<void>) => void>();
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const work = handle(interaction).finally(() => inFlight.delete(work));
    inFlight.add(work);
    started.get(interaction.id)?.(work);
  });

  let endpoint: InteractionEndpoint | null = null;
  if (config.discord.interactions === 'http') {
    endpoint = await startEndpoint(client, token, config, log, () => stopping, started);
  } else {
    await login(client, token, log);
  }

  return {
    client,
    endpointUrl: endpoint?.url ?? null,
    async stop() {
      if (stopping) return;
      stopping = true;
      if (inFlight.size > 0) {
        log.info('waiting for interactions in flight', { count: inFlight.size });
        const drained = Promise.allSettled([...inFlight]).then(() => true);
        const done = await Promise.race([drained, sleep(options.drainMs ?? 30_000, false)]);
        if (!done) log.warn('gave up waiting for interactions in flight', { count: inFlight.size });
      }
      await endpoint?.close();
      await client.destroy();
      log.info('disconnected from Discord');
    },
  };
}

/**
 * 'http' mode: no gateway. The client only talks REST with the bot token; each verified
 * interaction is built into a discord.js object by the client's own InteractionCreate action
 * and emitted as if it came over the gateway, so the handler and its replies are the same.
 * The endpoint answers Discord's request once the handler's first response (the REST
 * callback) went out.
 */
async function startEndpoint(
  client: Client,
  token: string,
  config: Pick<Config, 'discord'>,
  log: Logger,
  stopping: () => boolean,
  started: Map<string, (work: Promise<void>) => void>,
): Promise<InteractionEndpoint> {
  const { publicKey, http } = config.discord;
  if (!publicKey) throw new DiscordLoginError('DISCORD_PUBLIC_KEY is not set');
  client.token = token;
  client.rest.setToken(token);

  // Interaction id -> called when its callback request has been answered by Discord.
  const callbacks = new Map<string, () => void>();
  client.rest.on(RESTEvents.Response, (request) => {
    const match = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(request.path);
    if (match) callbacks.get(match[1]!)?.();
  });

  // Channels are checked against their guild (tournament posts, channel options), and
  // discord.js files a channel only under a guild it knows: without a gateway, a guild is read
  // once over REST when its first interaction arrives.
  const guilds = new Map<string, Promise<unknown>>();
  const knowGuild = (id: string) => {
    if (client.guilds.cache.has(id)) return Promise.resolve();
    let pending = guilds.get(id);
    if (!pending) {
      pending = client.guilds
        .fetch(id)
        .catch((error) => log.warn('could not read the guild', { guild: id, error }))
        .finally(() => guilds.delete(id));
      guilds.set(id, pending);
    }
    return pending;
  };

  async function deliver(raw: RawInteraction): Promise<'acknowledged' | 'unhandled'> {
    if (raw.guild_id) await knowGuild(raw.guild_id);
    let work: Promise<void> | undefined;
    let acked: () => void = () => {};
    const callbackSent = new Promise<void>((resolve) => {
      acked = resolve;
    });
    started.set(raw.id, (w) => {
      work = w;
    });
    callbacks.set(raw.id, acked);
    const timeout = new AbortController();
    try {
      try {
        // Emits InteractionCreate synchronously (or nothing, for kinds discord.js skips).
        (client as unknown as InteractionActions).actions.InteractionCreate.handle(raw);
      } catch (error) {
        log.warn('could not read an interaction', { type: raw.type, error });
        return 'unhandled';
      }
      const running = work as Promise<void> | undefined;
      if (!running) return 'unhandled';
      const late = sleep(ACK_WAIT_MS, undefined, { signal: timeout.signal }).catch(() => {});
      await Promise.race([callbackSent, running, late]);
      return 'acknowledged';
    } finally {
      timeout.abort();
      started.delete(raw.id);
      callbacks.delete(raw.id);
    }
  }

  return startInteractionEndpoint({
    publicKey: interactionPublicKey(publicKey),
    host: http.host,
    port: http.port,
    path: http.path,
    logger: log,
    deliver,
    stopping,
  });
}
