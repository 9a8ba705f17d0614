import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reply } from '../../commands/reply.js';
import {
  cancelledMessage,
  entrantsMessages,
  fullStandingsMessages,
  progressMessage,
  resultsMessage,
  skippedMessage,
  startMessage,
} from '../../commands/tournament-messages.js';
import type { TournamentAnnouncer } from '../../engine/tournaments/announcer.js';
import { type PlainOptions, renderReply } from './render.js';

/**
 * Tournaments in the local console: what Discord would show in the channel and the thread,
 * rendered for a terminal (the same messages, src/commands/tournament-messages.ts): the start
 * with the entrants, progress, the results with the standings and the leaderboard, and the full
 * standings. The rating chart is saved under `filesDir`, as reply files are.
 */
export interface ConsoleAnnouncerOptions {
  write: (text: string) => void;
  filesDir: string;
  now?: () => Date;
}

export function createConsoleAnnouncer(options: ConsoleAnnouncerOptions): TournamentAnnouncer {
  const plain = (): PlainOptions => ({ now: options.now?.() ?? new Date() });
  const say = async (reply: Reply) => {
    const rendered = renderReply(reply, plain());
    if (rendered.text) options.write(rendered.text);
    for (const file of rendered.files) {
      await mkdir(options.filesDir, { recursive: true });
      const where = path.join(options.filesDir, file.name);
      await writeFile(where, file.data);
      options.write(`[file saved: ${where}]`);
    }
  };
  const sayAll = (texts: readonly string[]) => say({ content: texts.join('\n') });
  return {
    async start(t) {
      await say(startMessage(t));
      await sayAll(entrantsMessages(t));
      return { messageId: null, threadId: null };
    },
    // The channel's progress message is edited in place; a terminal gets its one changing line.
    progress: async (t, p) => {
      const lines = (progressMessage(t, p).content ?? '').split('\n');
      const bar = lines.find((l) => l.includes(`${p.done}/${p.total} matches`));
      if (bar) await say({ content: bar });
    },
    async results(t, r) {
      await say(await resultsMessage(t, r));
      // The thread's copy of the whole table, when the results post had only the top of it.
      if (r.standings.length > 10) await sayAll(fullStandingsMessages(t, r));
    },
    cancelled: (t, info) => say(cancelledMessage(t, info.reason, info.progress)),
    skipped: (info) => say(skippedMessage(info.reason, info.at)),
  };
}
