import type { TournamentSchedule } from '../db/repos/tournament-schedules.js';
import type { Tournament } from '../db/repos/tournaments.js';
import type { TournamentEntrant } from '../db/schema.js';

import {
  conservative,
  DISPLAY_BASE,
  displayRating,
  POINTS_PER_MU,
  PROVISIONAL_GAMES,
} from '../engine/ratings.js';
import type {
  AnnouncedTournament,
  MatchHighlight,
  ResultStanding,
  TournamentProgress,
  TournamentResults,
} from '../engine/tournaments/announcer.js';
import { FORMAT_LABELS } from '../engine/tournaments/create.js';
import type { TournamentStatus } from '../engine/tournaments/service.js';
import { renderRatingChart } from '../render/chart.js';
import { proseText } from '../render/escape.js';
import { EMBED_DESCRIPTION_LIMIT, renderLeaderboard } from '../render/leaderboard.js';
import { progressBar, progressLine } from '../render/progress.js';
import { formatRecord, RECORD_HEADER } from '../render/record.js';
import { codeBlock, renderTable } from '../render/table.js';
import { discordTimestamp, formatDuration } from '../render/time.js';
import { botLabel } from './format.js';
import { toBoard } from './leaderboard.js';
import { COLORS, type Embed, type Reply } from './reply.js';

/**
 * What tournaments say, as transport-neutral replies: the announcer's channel and thread
 * messages and the /tournament answers. Times are Discord timestamps (each reader sees their
 * own timezone); names go through the escaping helpers; tables are code blocks of at most 40
 * columns (a phone's width), the owner on a second line under each bot.
 */

const MESSAGE_LIMIT = 2000;
/** Standings rows in the results embed; the thread gets the whole table. */
const RESULT_ROWS = 10;

const entrantLabel = (e: TournamentEntrant) => botLabel(e.ownerName, e.botName);
const matchCount = (n: number) => `${n} match${n === 1 ? '' : 'es'}`;

function headline(t: AnnouncedTournament): string {
  return `**${t.formatLabel} tournament #${t.id}** · ${t.entrants.length} bots · ${matchCount(t.totalMatches)} of ${t.rounds} rounds`;
}

/** The channel message progress edits: headline, who started it, and where it stands. */
export function progressMessage(t: AnnouncedTournament, p: TournamentProgress | null): Reply {
  const by = t.startedBy === 'schedule' ? 'on schedule' : `by <@${t.startedBy}>`;
  const lines = [headline(t), `Started ${by} ${discordTimestamp(t.startedAt, 'R')}.`];
  if (p) {
    const fraction = p.total > 0 ? p.done / p.total : 1;
    lines.push(
      `${progressBar(fraction)} ${progressLine({ label: t.formatLabel, done: p.done, total: p.total, elapsedMs: p.elapsedMs, unit: 'matches' })}`,
    );
    if (p.resumed && p.done < p.total)
      lines.push('_Resumed after a restart; nothing played before was lost._');
  }
  if (t.threadId) lines.push(`Details in <#${t.threadId}>.`);
  return { content: lines.join('\n') };
}

export function startMessage(t: AnnouncedTournament): Reply {
  return progressMessage(t, { done: 0, total: t.totalMatches, elapsedMs: 0, resumed: false });
}

const byOwner = (ownerName: string) => `by ${ownerName}`;

/** The thread's first messages: every entrant with the version it plays and its rating. */
export function entrantsMessages(t: AnnouncedTournament): string[] {
  const rows = [...t.entrants].sort((a, b) => ratingOf(b) - ratingOf(a) || a.botId - b.botId);
  const table = renderTable(
    [
      { header: 'bot', cell: (e: TournamentEntrant) => e.botName, flexible: true, minWidth: 6 },
      { header: 'ver', align: 'right', cell: (e) => `v${e.version}` },
      { header: 'rating', align: 'right', cell: (e) => (e.rating ? String(displayRating(e.rating)) : 'new') },
    ],
    rows,
    { detail: { cell: (e) => byOwner(e.ownerName), under: 0 } },
  );
  return chunkCodeBlock(`Entrants (each plays the version shown to the end):`, table);
}

const ratingOf = (e: TournamentEntrant) => (e.rating ? displayRating(e.rating) : -1);

/**
 * The standings: place, bot, points (or the round reached), the record in this tournament and
 * the rating after it with its change; the owner on the line under the bot.
 */
export function standingsTable(rows: readonly ResultStanding[], elimination: boolean): string {
  return renderTable(
    [
      { header: '#', align: 'right', cell: (s: ResultStanding) => String(s.rank) },
      { header: 'bot', cell: (s) => s.entrant.botName, flexible: true, minWidth: 6 },
      elimination
        ? { header: 'rd', align: 'right', cell: (s) => `r${s.roundReached ?? 0}` }
        : { header: 'pts', align: 'right', cell: (s) => formatPoints(s.points) },
      { header: RECORD_HEADER, align: 'right', cell: (s) => formatRecord(s) },
      { header: 'rating', align: 'right', cell: ratingCell },
    ],
    rows,
    { detail: { cell: (s) => byOwner(s.entrant.ownerName) } },
  );
}

function ratingCell(s: ResultStanding): string {
  if (s.ratingAfter === null) return '-';
  if (s.ratingBefore === null) return `${s.ratingAfter} new`;
  const delta = s.ratingAfter - s.ratingBefore;
  return `${s.ratingAfter} ${delta >= 0 ? '+' : ''}${delta}`;
}

const formatPoints = (p: number) => (Number.isInteger(p) ? String(p) : p.toFixed(1));

function highlightLine(h: MatchHighlight, kind: 'upset' | 'win'): string {
  const who = `**${entrantLabel(h.winner)}** beat **${entrantLabel(h.loser)}** by ${h.margin}`;
  return kind === 'upset' ? `${who} (rated ${-h.ratingGap} lower)` : who;
}

/**
 * The results post: an embed with the top of the standings, upsets, biggest wins and pairings
 * that could not be played; a second embed with the updated leaderboard; and the rating chart
 * attached with alt text (an extra: the tables are the readable form).
 */
export async function resultsMessage(t: AnnouncedTournament, r: TournamentResults): Promise<Reply> {
  const elimination = t.format === 'single-elimination';
  const winner = r.standings[0];
  const top = standingsTable(r.standings.slice(0, RESULT_ROWS), elimination);
  const more = r.standings.length > RESULT_ROWS ? `\nFull standings in the thread.` : '';
  const fields = [];
  if (r.upsets.length) {
    fields.push({
      name: 'Upsets',
      value: clip(r.upsets.map((h) => highlightLine(h, 'upset')).join('\n'), 1024),
    });
  }
  if (r.biggestWins.length) {
    fields.push({
      name: 'Biggest wins',
      value: clip(r.biggestWins.map((h) => highlightLine(h, 'win')).join('\n'), 1024),
    });
  }
  if (r.unplayed.length) {
    fields.push({
      name: 'Not played',
      value: clip(
        r.unplayed
          // The reason can quote a name or a bot's import: escaped like any other free text.
          .map(
            (u) =>
              `${entrantLabel(u.entrants[0])} v ${entrantLabel(u.entrants[1])}: ${proseText(u.reason, 300)}`,
          )
          .join('\n'),
        1024,
      ),
    });
  }
  const results: Embed = {
    title: `${t.formatLabel} tournament #${t.id}: results`,
    color: COLORS.ok,
    description: clip(
      `${winner ? `Winner: **${entrantLabel(winner.entrant)}**\n` : ''}${codeBlock(top)}${more}`,
      EMBED_DESCRIPTION_LIMIT,
    ),
    fields,
    footer: `${r.matchesPlayed} matches in ${formatDuration(r.durationMs)} · ratings updated`,
  };
  // The board's record is every rated game, the table's this tournament's: the same W-D-L.
  const board = renderLeaderboard(
    {
      title: 'Leaderboard (all games)',
      entries: r.leaderboard.rows.map(toBoard),
      page: 1,
      pageSize: r.leaderboard.pageSize,
      total: r.leaderboard.total,
    },
    { limit: EMBED_DESCRIPTION_LIMIT, provisionalGames: PROVISIONAL_GAMES },
  );
  const reply: Reply = {
    content: `${t.formatLabel} tournament #${t.id} finished ${discordTimestamp(r.finishedAt, 'R')}.`,
    embeds: [results, { description: board.text, color: COLORS.info }],
  };
  if (r.chart.length > 0) {
    const chart = await renderRatingChart(chartRows(r), {
      title: `Ratings after tournament #${t.id}`,
      display: (mu) => DISPLAY_BASE + POINTS_PER_MU * mu,
    });
    reply.files = [{ name: 'ratings.png', data: chart.png, description: chart.description }];
  }
  return reply;
}

/**
 * The chart's rows: the entrants in rating order (what the legend says), numbered 1..n, bot
 * first with its owner. Standings order would repeat ranks (ties) and disagree with the bars.
 */
export function chartRows(r: TournamentResults) {
  // The engine names chart rows "owner/bot", as matches are named.
  const byName = new Map(r.standings.map((s) => [`${s.entrant.ownerName}/${s.entrant.botName}`, s.entrant]));
  return [...r.chart]
    .map((row, i) => ({ row, i, rating: conservative(row) }))
    .sort((a, b) => b.rating - a.rating || a.i - b.i)
    .map(({ row }, i) => {
      const entrant = byName.get(row.botName);
      return {
        rank: i + 1,
        botName: entrant?.botName ?? row.botName,
        ...(entrant ? { ownerName: entrant.ownerName } : {}),
        mu: row.mu,
        sigma: row.sigma,
      };
    });
}

/** The whole standings table for the thread, split into messages that fit. */
export function fullStandingsMessages(t: AnnouncedTournament, r: TournamentResults): string[] {
  return chunkCodeBlock(
    `Final standings of tournament #${t.id}:`,
    standingsTable(r.standings, t.format === 'single-elimination'),
  );
}

export function cancelledMessage(t: AnnouncedTournament, reason: string, p: TournamentProgress): Reply {
  return {
    content: [
      headline(t),
      // The reason is ours ("cancelled by <@id>"): the mention renders, and pings nobody.
      `Cancelled (${reason}) after ${p.done} of ${matchCount(p.total)}. ` +
        'Matches already played stay played and rated.',
    ].join('\n'),
  };
}

export function skippedMessage(reason: string, at: Date): Reply {
  return { content: `The tournament scheduled for ${discordTimestamp(at, 't')} did not start: ${reason}` };
}

/** Splits a table into code-block messages under Discord's 2000 characters, the heading on the first. */
export function chunkCodeBlock(heading: string, table: string): string[] {
  const lines = table.split('\n');
  const [head, rule] = lines;
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const body = codeBlock([head, rule, ...current].join('\n'));
    out.push(out.length === 0 ? `${heading}\n${body}` : body);
    current = [];
  };
  for (const line of lines.slice(2)) {
    const size = [heading, head, rule, ...current, line].join('\n').length + 10;
    if (size > MESSAGE_LIMIT) flush();
    current.push(line);
  }
  flush();
  return out.length ? out : [heading];
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// ---- /tournament answers ------------------------------------------------------------------

export function describeSchedule(
  s: TournamentSchedule,
  viewer: { manager: boolean } = { manager: true },
): string {
  if (!s.enabled) {
    return viewer.manager
      ? 'Scheduled tournaments are **off**. Turn them on with `/tournament schedule`.'
      : 'Scheduled tournaments are **off**.';
  }
  const next = s.nextRunAt
    ? `${discordTimestamp(s.nextRunAt, 'F')} (${discordTimestamp(s.nextRunAt, 'R')})`
    : 'never';
  return [
    `\`${s.cron}\` in ${s.timezone} · ${FORMAT_LABELS[s.format].toLowerCase()} · ${s.rounds} rounds per match · in <#${s.channelId}>`,
    `Next: ${next}`,
  ].join('\n');
}

/** What a manager is told when Throwdown could not post a tournament's messages in a channel. */
export function postingProblem(channelId: string): string {
  return (
    `⚠ I could not post in <#${channelId}>: it must be a text channel where I may View Channel, ` +
    'Send Messages, Embed Links, Attach Files and Create Public Threads. The tournament runs anyway; ' +
    'follow it with `/tournament status` and see the results with `/tournament standings`.'
  );
}

export function statusEmbed(
  status: TournamentStatus | null,
  schedule: TournamentSchedule | null,
  now: Date,
  viewer: { manager: boolean } = { manager: true },
): Embed {
  const lines: string[] = [];
  if (status) {
    const t = status.tournament;
    const started = t.startedAt ?? t.createdAt;
    lines.push(
      `**${FORMAT_LABELS[t.format]} tournament #${t.id}**, ${t.entrants.length} bots, started ${discordTimestamp(started, 'R')}` +
        (t.channelId ? ` in <#${t.channelId}>` : ''),
      progressLine({
        label: FORMAT_LABELS[t.format],
        done: status.done,
        total: t.totalMatches,
        elapsedMs: now.getTime() - started.getTime(),
        unit: 'matches',
      }),
    );
    if (!status.held) lines.push('_No process is running it at the moment; it will be resumed shortly._');
    // Notices for managers go to managers: the channel and other players never see them.
    if (viewer.manager && t.channelId && t.status === 'running' && t.progressMessageId === null) {
      lines.push(postingProblem(t.channelId));
    }
    if (viewer.manager) lines.push('Stop it with `/tournament cancel`.');
  } else {
    lines.push('No tournament is running.');
  }
  lines.push('', '**Schedule**');
  if (schedule) lines.push(describeSchedule(schedule, viewer));
  else lines.push(viewer.manager ? 'None. Set one with `/tournament schedule`.' : 'None is scheduled.');
  return { title: 'Tournaments', color: COLORS.info, description: lines.join('\n') };
}

export function historyEmbed(rows: readonly Tournament[]): Embed {
  if (rows.length === 0) {
    return { title: 'Tournament history', color: COLORS.info, description: 'No tournaments yet.' };
  }
  const lines = rows.map((t) => {
    const when = discordTimestamp(t.finishedAt ?? t.startedAt ?? t.createdAt, 'd');
    const head = `#${t.id} · ${FORMAT_LABELS[t.format]} · ${when} · ${t.entrants.length} bots`;
    if (t.status === 'finished') {
      const first = t.standings?.[0];
      const winner = first ? t.entrants.find((e) => e.id === first.entrant) : undefined;
      return `${head} · winner **${winner ? entrantLabel(winner) : '?'}** (${formatPoints(first?.points ?? 0)} pts)`;
    }
    if (t.status === 'cancelled') return `${head} · cancelled`;
    return `${head} · ${t.status === 'running' ? 'running' : 'starting'}`;
  });
  return {
    title: 'Tournament history',
    color: COLORS.info,
    description: clip(lines.join('\n'), EMBED_DESCRIPTION_LIMIT),
  };
}

/**
 * A finished (or cancelled) tournament's standings for anyone who asks: the table kept when it
 * finished (place, bot, points, record in it; the owner under each bot), the viewer's own bots
 * marked, and how to see the others.
 */
export function pastStandingsReply(t: Tournament, viewerUserId: string): Reply {
  const label = `${FORMAT_LABELS[t.format]} tournament #${t.id}`;
  if (t.status !== 'finished' || !t.standings) {
    const state = t.status === 'cancelled' ? 'was cancelled' : 'has not finished yet';
    return {
      ephemeral: true,
      embeds: [
        {
          title: label,
          color: COLORS.info,
          description: `${label} ${state}, so it has no final standings. \`/tournament status\` shows one in progress.`,
        },
      ],
    };
  }
  const entrants = new Map(t.entrants.map((e) => [e.id, e]));
  const rows = t.standings.flatMap((s) => {
    const entrant = entrants.get(s.entrant);
    return entrant ? [{ ...s, entrant }] : [];
  });
  const mine = (r: (typeof rows)[number]) => r.entrant.ownerUserId === viewerUserId;
  const table = renderTable(
    [
      { header: '#', align: 'right', cell: (r: (typeof rows)[number]) => String(r.rank) },
      { header: 'bot', cell: (r) => r.entrant.botName, flexible: true, minWidth: 6 },
      { header: 'pts', align: 'right', cell: (r) => formatPoints(r.points) },
      { header: RECORD_HEADER, align: 'right', cell: (r) => formatRecord(r) },
    ],
    rows,
    { detail: { cell: (r) => byOwner(r.entrant.ownerName) }, marker: { mark: mine } },
  );
  const when = t.finishedAt ? ` · finished ${discordTimestamp(t.finishedAt, 'f')}` : '';
  const chunks = chunkCodeBlock(`**${label}**${when} · ${t.entrants.length} bots`, table);
  const legend = rows.some(mine) ? '\n`*` your bots' : '';
  const more = chunks.length > 1 ? '\nThe rest of the table is in the tournament thread.' : '';
  return {
    ephemeral: true,
    embeds: [
      {
        title: `${label}: standings`,
        color: COLORS.info,
        description: clip(`${chunks[0]}${legend}${more}`, EMBED_DESCRIPTION_LIMIT),
        footer: 'Points: 1 a win, ½ a draw. Record: wins-draws-losses.',
      },
    ],
  };
}
