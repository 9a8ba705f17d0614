import { once } from 'node:events';
import { Client, DiscordjsErrorCodes, Events, GatewayIntentBits } from 'discord.js';
import type { Logger } from '../util/logger.js';
import { NO_PINGS } from './render.js';

/**
 * The discord.js client: only the Guilds intent (slash commands need no message content or
 * member lists), mentions off by default, and an optional REST base URL (a rate-limit proxy
 * such as nirn-proxy, or the local stand-in in tests; discord.js finds the gateway through it).
 * Connection events are logged; the token never is.
 */
export interface ClientOptions {
  restBaseUrl: string | null;
  /** discord.js's own cap on requests per second (Discord's global limit is 50). */
  globalRequestsPerSecond?: number;
}

export function createClient(options: ClientOptions): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_PINGS,
    rest: {
      ...(options.restBaseUrl ? { api: options.restBaseUrl } : {}),
      ...(options.globalRequestsPerSecond
        ? { globalRequestsPerSecond: options.globalRequestsPerSecond }
        : {}),
    },
  });
}

/** Thrown when Discord will not let us in; `message` says what to do, without the token. */
export class DiscordLoginError extends Error {
  override name = 'DiscordLoginError';
}

export function logConnectionEvents(client: Client, logger: Logger): void {
  client.on(Events.GuildCreate, (guild) => {
    // Also fires for every guild at start-up, before ready; only joins after that are news.
    if (client.isReady()) logger.info('joined a server', { guild: guild.id, name: guild.name });
  });
  client.on(Events.GuildDelete, (guild) => {
    if (guild.available) logger.info('left a server', { guild: guild.id, name: guild.name });
  });
  client.on(Events.ShardDisconnect, (event, shard) =>
    logger.warn('gateway disconnected', { shard, code: event.code }),
  );
  client.on(Events.ShardReconnecting, (shard) => logger.info('gateway reconnecting', { shard }));
  client.on(Events.ShardResume, (shard, replayed) => logger.info('gateway resumed', { shard, replayed }));
  client.on(Events.ShardError, (error, shard) => logger.error('gateway error', { shard, error }));
  client.on(Events.Warn, (message) => logger.warn('discord.js warning', { message }));
  client.on(Events.Error, (error) => logger.error('discord.js error', { error }));
  client.rest.on('rateLimited', (info) =>
    logger.warn('rate limited by Discord', {
      route: info.route,
      method: info.method,
      global: info.global,
      retryAfterMs: info.retryAfter,
    }),
  );
}

/** Logs in and resolves once the client is ready (guilds loaded), or rejects with a plain reason. */
export async function login(
  client: Client,
  token: string,
  logger: Logger,
  timeoutMs = 60_000,
): Promise<void> {
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(timeoutMs) });
  // Listening before login: READY can arrive before login() resolves.
  ready.catch(() => {});
  const started = performance.now();
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === DiscordjsErrorCodes.TokenInvalid
        ? 'Discord refused the token: check DISCORD_TOKEN (reset it in the Developer Portal if it leaked)'
        : code === DiscordjsErrorCodes.DisallowedIntents
          ? 'Discord refused the requested intents'
          : (error as Error)?.name === 'AbortError'
            ? `Discord did not report ready within ${Math.round(timeoutMs / 1000)} s`
            : `could not connect to Discord: ${(error as Error)?.message ?? error}`;
    logger.error('login failed', { reason });
    await client.destroy().catch(() => {});
    throw new DiscordLoginError(reason, { cause: error });
  }
  logger.info('connected to Discord', {
    as: client.user?.tag,
    user: client.user?.id,
    application: client.application?.id,
    guilds: client.guilds.cache.size,
    ms: Math.round(performance.now() - started),
  });
}
