import type { LeaderboardEntry } from '../engine/leaderboard.js';
import { DISPLAY_BASE, isProvisional, POINTS_PER_MU, PROVISIONAL_GAMES } from '../engine/ratings.js';
import { renderRatingChart } from '../render/chart.js';
import { proseName } from '../render/escape.js';
import { type BoardEntry, EMBED_DESCRIPTION_LIMIT, renderLeaderboard } from '../render/leaderboard.js';
import { INT4_MAX } from './check-input.js';
import { COLORS, type Reply } from './reply.js';
import type { Command, CommandContext } from './types.js';

const PAGE_SIZE = 10;

/** A leaderboard row as the board renderer draws it (rated on the display scale). */
export const toBoard = (row: LeaderboardEntry): BoardEntry => ({
  rank: row.rank,
  botName: row.botName,
  ownerName: row.ownerName,
  rating: row.display,
  uncertainty: 0,
  played: row.played,
  wins: row.wins,
  losses: row.losses,
  draws: row.draws,
  provisional: isProvisional(row.played),
});

/**
 * One page with prev/next buttons. The buttons carry the page number in their custom id and
 * each press is its own interaction, so paging keeps working long after the original
 * interaction's token has expired. A press answers the presser alone (componentView
 * 'per-viewer'): their own private copy of the board, with their bots marked, which they keep
 * paging; the public message stays on the page it was asked for. The chart of the page's
 * ratings is attached as an extra, with alt text; the table is the primary, readable form.
 */
async function page(ctx: CommandContext, requested: number, audience: 'public' | 'viewer'): Promise<Reply> {
  const view = await ctx.engine.leaderboard({
    guildId: ctx.guild.id,
    page: requested,
    pageSize: PAGE_SIZE,
    viewerUserId: ctx.user.userId,
  });
  const mine = [
    ...view.rows.filter((r) => r.ownerUserId === ctx.user.userId),
    ...(view.viewer ? [view.viewer] : []),
  ];
  const message = renderLeaderboard(
    {
      title: `${ctx.guild.name} leaderboard`,
      entries: view.rows.map(toBoard),
      page: view.page,
      pageSize: view.pageSize,
      total: view.total,
      mine: mine.map(toBoard),
      mineLabel: audience === 'public' ? `${proseName(ctx.user.displayName, 32)}'s bots` : 'your bots',
    },
    { limit: EMBED_DESCRIPTION_LIMIT, provisionalGames: PROVISIONAL_GAMES },
  );
  const reply: Reply = {
    embeds: [
      {
        description: message.text,
        color: COLORS.info,
        ...(audience === 'public' && view.pages > 1
          ? { footer: 'The buttons open your own copy: paging it changes nothing for anyone else.' }
          : {}),
      },
    ],
    buttons:
      view.pages > 1
        ? [
            [
              {
                customId: `leaderboard:page:${view.page - 1}`,
                label: '◀ Previous',
                disabled: view.page <= 1,
              },
              {
                customId: `leaderboard:page:${view.page}:label`,
                label: `${view.page} / ${view.pages}`,
                disabled: true,
              },
              {
                customId: `leaderboard:page:${view.page + 1}`,
                label: 'Next ▶',
                disabled: view.page >= view.pages,
              },
            ],
          ]
        : [],
  };
  if (view.rows.length > 0) {
    const chart = await renderRatingChart(
      view.rows.map((r) => ({
        rank: r.rank,
        botName: r.botName,
        ownerName: r.ownerName,
        mu: r.mu,
        sigma: r.sigma,
      })),
      { title: `Ratings, page ${view.page}`, display: (mu) => DISPLAY_BASE + POINTS_PER_MU * mu },
    );
    reply.files = [{ name: 'ratings.png', data: chart.png, description: chart.description }];
  }
  return reply;
}

export const leaderboardCommand: Command = {
  name: 'leaderboard',
  description: 'Standings of this server, with your own rank',
  options: [{ name: 'page', description: 'Page number', type: 'integer', min: 1, max: INT4_MAX }],
  defer: 'public',
  componentView: 'per-viewer',
  handle: (ctx, input) => page(ctx, (input.options.page as number | undefined) ?? 1, 'public'),
  handleComponent: async (ctx, args) => {
    const n = Number(args[1]);
    return page(ctx, Number.isInteger(n) && n >= 1 ? n : 1, 'viewer');
  },
};
