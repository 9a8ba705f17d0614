import { proseName } from './escape.js';
import { formatRecord, RECORD_HEADER } from './record.js';
import { type Column, codeBlock, DEFAULT_TABLE_WIDTH, renderTable, TableRule } from './table.js';
import type { WidePolicy } from './text-width.js';

/**
 * One page of the leaderboard as a Discord message: a header line ("page 2/7") and a code-block
 * table. Paging itself is the caller's (buttons, each click a fresh interaction); this only
 * draws one page, and the caller's own bots below it when they are elsewhere on the board
 * ("where am I?" is what users ask for most after paging).
 *
 * A row fits a phone (40 columns): rank, bot, rating and record (W-D-L) on the row, the owner on
 * a second line under the bot's name. The caller's rows carry "*" in a gutter no name can reach;
 * a provisional rating (too few games to mean much yet) ends in "?", as chess sites show it.
 */

/** One bot's line; the numbers are already on the scale the board shows. */
export interface BoardEntry {
  /** 1-based place on the whole board. Unique, so it also identifies the caller's rows. */
  rank: number;
  botName: string;
  ownerName: string;
  /** What the board orders by, e.g. the conservative rating on the display scale. */
  rating: number;
  /** Shown as "±n" when `showUncertainty` is set (e.g. 3 sigma on the display scale). */
  uncertainty: number;
  played: number;
  wins: number;
  losses: number;
  draws: number;
  /** Too few games for the rating to mean much: shown as "1000?". */
  provisional?: boolean;
}

export interface LeaderboardView {
  /** Defaults to "Leaderboard"; e.g. "Rock-paper-scissors leaderboard". */
  title?: string;
  /** This page's rows, best first. */
  entries: readonly BoardEntry[];
  /** 1-based. */
  page: number;
  pageSize: number;
  /** Bots on the whole board. */
  total: number;
  /** The caller's own bots. Those on this page are marked "*"; the rest are listed below it. */
  mine?: readonly BoardEntry[];
  /** Whose bots "*" marks, for the legend (default "your bots"; e.g. "Ann's bots" on a public board). */
  mineLabel?: string;
}

export interface LeaderboardOptions {
  /** "W-D-L" (the default) or games played, for boards where draws are noise. */
  record?: 'wdl' | 'played';
  showUncertainty?: boolean;
  /** Widest table line (default 40, so phones do not wrap it). */
  maxWidth?: number;
  /** Most characters in `text`: 2000 for message content (the default), 4096 for an embed description. */
  limit?: number;
  /** Markdown telling people how to get on an empty board. */
  submitHint?: string;
  wide?: WidePolicy;
  formatRating?: (rating: number) => string;
  /** Games below which a rating is provisional, for the legend ("under 5 games"). */
  provisionalGames?: number;
}

export interface LeaderboardMessage {
  /** Markdown line above the table: title, "page x/y", number of bots. */
  header: string;
  /** Markdown line under the table saying what "*" and "?" mean; empty when neither appears. */
  legend: string;
  /** The code block; empty when there is nothing to tabulate. */
  table: string;
  /** What to send: header and table, or the empty-board text. At most `limit` characters. */
  text: string;
  page: number;
  pageCount: number;
}

export const MESSAGE_LIMIT = 2000;
export const EMBED_DESCRIPTION_LIMIT = 4096;
/** Discord's selects and autocomplete top out at 25, and so do our pages. */
export const MAX_PAGE_SIZE = 25;
/** At most this many of the caller's bots are listed below the page. */
export const MAX_OWN_ROWS = 3;
/** The narrowest table we fall back to when worst-case names would overflow the limit. */
const MIN_TABLE_WIDTH = 28;
/** The viewer's rows, in the table's gutter. */
export const MINE_MARK = '*';

export const DEFAULT_SUBMIT_HINT =
  'Submit a bot with `/submit` and attach its `.wasm` file; it appears here after its first rated match.';

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** The page a rank is on, for a "jump to my bot" button. */
export function pageOfRank(rank: number, pageSize: number): number {
  return Math.max(1, Math.ceil(rank / Math.max(1, pageSize)));
}

export function defaultFormatRating(rating: number): string {
  return Number.isInteger(rating) ? String(rating) : rating.toFixed(1);
}

function columns(options: LeaderboardOptions): Column<BoardEntry>[] {
  const formatRating = options.formatRating ?? defaultFormatRating;
  const cols: Column<BoardEntry>[] = [
    { header: '#', align: 'right', cell: (e) => String(e.rank) },
    { header: 'bot', cell: (e) => e.botName, flexible: true, minWidth: 6 },
    {
      header: 'rating',
      align: 'right',
      cell: (e) => `${formatRating(e.rating)}${e.provisional ? '?' : ''}`,
    },
  ];
  if (options.showUncertainty) {
    cols.push({ header: '±', align: 'right', cell: (e) => formatRating(e.uncertainty) });
  }
  cols.push(
    options.record === 'played'
      ? { header: 'games', align: 'right', cell: (e) => String(e.played) }
      : { header: RECORD_HEADER, align: 'right', cell: (e) => formatRecord(e) },
  );
  return cols;
}

export function renderLeaderboard(
  view: LeaderboardView,
  options: LeaderboardOptions = {},
): LeaderboardMessage {
  const limit = options.limit ?? MESSAGE_LIMIT;
  const pages = pageCount(view.total, view.pageSize);
  const title = `**${proseName(view.title ?? 'Leaderboard', 80)}**`;
  const bots = `${view.total} bot${view.total === 1 ? '' : 's'}`;
  const header = `${title} · page ${view.page}/${pages} · ${bots}`;
  const result = (text: string, table = '', legend = '') => ({
    header,
    legend,
    table,
    text,
    page: view.page,
    pageCount: pages,
  });

  if (view.total === 0) {
    return result(`${title}\nNo bots on this board yet. ${options.submitHint ?? DEFAULT_SUBMIT_HINT}`);
  }
  if (view.entries.length === 0) {
    return result(`${header}\nThis page is empty: the board has ${pages} page${pages === 1 ? '' : 's'}.`);
  }

  const entries = view.entries.slice(0, MAX_PAGE_SIZE);
  const onPage = new Set(entries.map((e) => e.rank));
  const mine = view.mine ?? [];
  const mineOnPage = new Set(mine.filter((e) => onPage.has(e.rank)).map((e) => e.rank));
  const elsewhere = mine
    .filter((e) => !onPage.has(e.rank))
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_OWN_ROWS);
  const rows = elsewhere.length > 0 ? [...entries, new TableRule('you'), ...elsewhere] : entries;
  const shown = [...entries, ...elsewhere];
  const mineShown = new Set([...mineOnPage, ...elsewhere.map((e) => e.rank)]);
  const notes: string[] = [];
  if (mineShown.size > 0) notes.push(`\`${MINE_MARK}\` ${view.mineLabel ?? 'your bots'}`);
  if (shown.some((e) => e.provisional)) {
    const games = options.provisionalGames;
    notes.push(`\`?\` provisional${games ? `: under ${games} games` : ' rating'}`);
  }
  const legend = notes.join(' · ');

  // Mention-breaking characters and markdown escapes lengthen hostile names without widening
  // them, so the first width that fits the limit is found by trying: narrower tables cut names.
  // Last of all the owners' lines go (the names are still on /bot info).
  let width = options.maxWidth ?? DEFAULT_TABLE_WIDTH;
  let owners = true;
  for (;;) {
    const table = codeBlock(
      renderTable(columns(options), rows, {
        maxWidth: width,
        wide: options.wide ?? 'replace',
        marker: { mark: (e) => mineShown.has(e.rank), symbol: MINE_MARK },
        ...(owners ? { detail: { cell: (e: BoardEntry) => `by ${e.ownerName}` } } : {}),
      }),
    );
    const text = [header, table, legend].filter(Boolean).join('\n');
    if (text.length <= limit) return result(text, table, legend);
    if (width > MIN_TABLE_WIDTH) width -= 2;
    else if (owners) {
      owners = false;
      width = options.maxWidth ?? DEFAULT_TABLE_WIDTH;
      // At 28 columns without owners, 25 rows of worst-case names take under 1500 characters.
    } else return result(text, table, legend);
  }
}
