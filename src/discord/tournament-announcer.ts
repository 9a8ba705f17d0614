import {
  type APIEmbed,
  ChannelType,
  type Client,
  type MessageCreateOptions,
  type SendableChannels,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { Embed, Reply } from '../commands/reply.js';
import {
  cancelledMessage,
  entrantsMessages,
  fullStandingsMessages,
  progressMessage,
  resultsMessage,
  skippedMessage,
  startMessage,
} from '../commands/tournament-messages.js';
import type {
  AnnouncedMessages,
  AnnouncedTournament,
  TournamentAnnouncer,
  TournamentProgress,
  TournamentResults,
} from '../engine/tournaments/announcer.js';
import { DISCORD_LIMITS, fitReply, fitText } from './limits.js';

/** Nobody is pinged by a tournament, whatever a bot or owner name contains. */
const NO_PINGS = { parse: [] };

function apiEmbed(e: Embed): APIEmbed {
  return {
    ...(e.title ? { title: e.title } : {}),
    ...(e.description ? { description: e.description } : {}),
    ...(e.color !== undefined ? { color: e.color } : {}),
    ...(e.fields?.length ? { fields: e.fields } : {}),
    ...(e.footer ? { footer: { text: e.footer } } : {}),
    ...(e.image ? { image: { url: `attachment://${e.image}` } } : {}),
  };
}

function payload(original: Reply): MessageCreateOptions {
  const reply = fitReply(original);
  return {
    ...(reply.content ? { content: reply.content } : {}),
    embeds: (reply.embeds ?? []).map(apiEmbed),
    files: (reply.files ?? []).map((f) => ({
      attachment: Buffer.from(f.data),
      name: f.name,
      ...(f.description ? { description: f.description } : {}),
    })),
    allowedMentions: NO_PINGS,
  };
}

/**
 * Tournament messages on Discord, sent with the BOT token through the discord.js client
 * (interaction tokens expire after 15 minutes; a tournament can run longer): a progress message
 * in the channel, edited as matches finish; a thread on it for the entrants and the full
 * standings; the results (standings, upsets, biggest wins), the leaderboard and the rating chart
 * (with alt text) in the channel at the end. What is said is built in
 * src/commands/tournament-messages.ts; this file only delivers it. Errors propagate: the runner
 * logs them and carries on.
 */
export function createDiscordTournamentAnnouncer(
  client: Client | (() => Client | null),
): TournamentAnnouncer {
  // A getter lets the service be built (and /tournament registered) before the client exists.
  const current = typeof client === 'function' ? client : () => client;
  // Channels (and threads) checked to be in the tournament's guild: id -> that guild's id.
  const checked = new Map<string, string>();

  /**
   * The channel to post in, only if it really is in `guildId`. The id came from a manager's
   * option: a channel of another server must never receive this guild's messages. The first
   * time, the channel is read from Discord itself (`force`: the client's cache may hold the
   * interaction's own copy of it, filed under the guild that sent it).
   */
  async function sendable(channelId: string | null, guildId: string): Promise<SendableChannels | null> {
    if (!channelId) return null;
    const c = current();
    if (!c) throw new Error('the Discord client is not connected yet');
    const known = checked.get(channelId);
    // Without a gateway (interactions over HTTP) the client knows a guild only once read; a
    // channel of a guild it does not know would not be filed under it.
    if (!c.guilds.cache.has(guildId)) await c.guilds.fetch(guildId).catch(() => null);
    const channel = await c.channels.fetch(channelId, known === undefined ? { force: true } : {});
    const actual = channel && 'guildId' in channel ? channel.guildId : null;
    if (actual !== guildId) {
      checked.delete(channelId);
      throw new Error(`channel ${channelId} is not in guild ${guildId}; not posting there`);
    }
    if (known === undefined) {
      if (checked.size >= 10_000) checked.clear();
      checked.set(channelId, actual);
    }
    return channel?.isSendable() ? channel : null;
  }

  async function inThread(t: AnnouncedTournament, texts: readonly string[]): Promise<void> {
    const thread = await sendable(t.threadId, t.guildId);
    for (const content of texts) {
      await thread?.send({ content: fitText(content, DISCORD_LIMITS.content), allowedMentions: NO_PINGS });
    }
  }

  async function editProgress(t: AnnouncedTournament, reply: Reply): Promise<void> {
    const channel = await sendable(t.channelId, t.guildId);
    if (!channel || !t.messageId) return;
    await channel.messages.edit(t.messageId, {
      content: fitText(reply.content ?? '', DISCORD_LIMITS.content),
      allowedMentions: NO_PINGS,
    });
  }

  return {
    async start(t: AnnouncedTournament): Promise<AnnouncedMessages> {
      const channel = await sendable(t.channelId, t.guildId);
      if (!channel) return { messageId: null, threadId: null };
      const message = await channel.send(payload(startMessage(t)));
      let threadId: string | null = null;
      if (channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement) {
        const thread = await channel.threads.create({
          name: `Tournament #${t.id}: ${t.formatLabel}`,
          startMessage: message,
          autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
        });
        threadId = thread.id;
        for (const content of entrantsMessages(t)) {
          await thread.send({ content: fitText(content, DISCORD_LIMITS.content), allowedMentions: NO_PINGS });
        }
        // Now that the thread exists, the progress message can point at it.
        checked.set(threadId, t.guildId);
        await message.edit({
          content: fitText(
            startMessage({ ...t, messageId: message.id, threadId }).content ?? '',
            DISCORD_LIMITS.content,
          ),
          allowedMentions: NO_PINGS,
        });
      }
      return { messageId: message.id, threadId };
    },

    progress: (t: AnnouncedTournament, p: TournamentProgress) => editProgress(t, progressMessage(t, p)),

    async results(t: AnnouncedTournament, r: TournamentResults): Promise<void> {
      const channel = await sendable(t.channelId, t.guildId);
      if (!channel) return;
      await channel.send(payload(await resultsMessage(t, r)));
      await inThread(t, fullStandingsMessages(t, r));
    },

    async cancelled(t, info): Promise<void> {
      const reply = cancelledMessage(t, info.reason, info.progress);
      await editProgress(t, reply);
      await inThread(t, [reply.content ?? '']);
    },

    async skipped(info): Promise<void> {
      const channel = await sendable(info.channelId, info.guildId);
      await channel?.send(payload(skippedMessage(info.reason, info.at)));
    },
  };
}
