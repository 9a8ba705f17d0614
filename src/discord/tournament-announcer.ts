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

function payload(reply: Reply): MessageCreateOptions {
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
  async function sendable(channelId: string | null): Promise<SendableChannels | null> {
    if (!channelId) return null;
    const c = current();
    if (!c) throw new Error('the Discord client is not connected yet');
    const channel = await c.channels.fetch(channelId);
    return channel?.isSendable() ? channel : null;
  }

  async function inThread(t: AnnouncedTournament, texts: readonly string[]): Promise<void> {
    const thread = await sendable(t.threadId);
    for (const content of texts) await thread?.send({ content, allowedMentions: NO_PINGS });
  }

  async function editProgress(t: AnnouncedTournament, reply: Reply): Promise<void> {
    const channel = await sendable(t.channelId);
    if (!channel || !t.messageId) return;
    await channel.messages.edit(t.messageId, { content: reply.content ?? '', allowedMentions: NO_PINGS });
  }

  return {
    async start(t: AnnouncedTournament): Promise<AnnouncedMessages> {
      const channel = await sendable(t.channelId);
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
        for (const content of entrantsMessages(t)) await thread.send({ content, allowedMentions: NO_PINGS });
        // Now that the thread exists, the progress message can point at it.
        await message.edit({
          content: startMessage({ ...t, messageId: message.id, threadId }).content ?? '',
          allowedMentions: NO_PINGS,
        });
      }
      return { messageId: message.id, threadId };
    },

    progress: (t: AnnouncedTournament, p: TournamentProgress) => editProgress(t, progressMessage(t, p)),

    async results(t: AnnouncedTournament, r: TournamentResults): Promise<void> {
      const channel = await sendable(t.channelId);
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
      const channel = await sendable(info.channelId);
      await channel?.send(payload(skippedMessage(info.reason, info.at)));
    },
  };
}
