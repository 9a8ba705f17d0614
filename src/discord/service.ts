import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, Events, type Interaction } from 'discord.js';
import type { Dispatcher } from '../commands/dispatch.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine/index.js';
import type { Logger } from '../util/logger.js';
import { parseAllowedHosts } from './attachment-hosts.js';
import { createClient, DiscordLoginError, logConnectionEvents, login } from './client.js';
import { type AckSample, interactionHandler } from './interactions.js';

/**
 * The Discord transport as one service: a client logged in with the configured token, every
 * interaction routed to the dispatcher. `stop()` refuses new interactions, waits for the ones
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
  client: Client<true>;
  stop(): Promise<void>;
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
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const work = handle(interaction).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });

  await login(client, token, log);

  return {
    client: client as Client<true>,
    async stop() {
      if (stopping) return;
      stopping = true;
      if (inFlight.size > 0) {
        log.info('waiting for interactions in flight', { count: inFlight.size });
        const drained = Promise.allSettled([...inFlight]).then(() => true);
        const done = await Promise.race([drained, sleep(options.drainMs ?? 30_000, false)]);
        if (!done) log.warn('gave up waiting for interactions in flight', { count: inFlight.size });
      }
      await client.destroy();
      log.info('disconnected from Discord');
    },
  };
}
