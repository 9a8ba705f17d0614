import { neutralizeMentions } from './escape.js';
import {
  type Align,
  cleanCell,
  displayWidth,
  fitToWidth,
  truncateToWidth,
  type WidePolicy,
} from './text-width.js';

/**
 * Monospace tables for Discord code blocks. Discord trims whitespace outside code blocks, so
 * standings go inside one; rows stay within `maxWidth` columns (40 by default: Discord on a phone
 * wraps a code block at about 40 columns, and a wrapped row breaks every column under it).
 * What does not fit on a row (an owner's name) goes on a deliberate second line (`detail`).
 */

export const DEFAULT_TABLE_WIDTH = 40;

export interface Column<Row> {
  header: string;
  /** Numbers read best right-aligned; text left (the default). */
  align?: Align;
  cell: (row: Row) => string;
  /**
   * May be narrowed below its natural width, its cells cut with an ellipsis: names. Fixed
   * columns (ranks, ratings) never are, so their numbers stay whole.
   */
  flexible?: boolean;
  /** The narrowest a flexible column gets (default 4). */
  minWidth?: number;
}

/** A horizontal rule across the table, with an optional label in it ("--- you ---"). */
export class TableRule {
  constructor(readonly label = '') {}
}

/**
 * A second line under each row, indented under one column (e.g. "by ann" under the bot name):
 * the place for what a phone has no room for on the row itself.
 */
export interface RowDetail<Row> {
  /** The text, or null for no second line. */
  cell: (row: Row) => string | null;
  /** Index of the column it starts under (default 1). */
  under?: number;
}

/**
 * A gutter of one column before every line: `symbol` on the rows `mark` picks, a space on every
 * other line (headers, rules, detail lines). No user text ever reaches column 0, so a name that
 * contains or ends in the symbol can never pass for the mark.
 */
export interface RowMarker<Row> {
  mark: (row: Row) => boolean;
  /** One column wide (default "*"). */
  symbol?: string;
}

export interface TableOptions<Row = never> {
  /** Widest line, in columns (default 40), gutter and detail lines included. */
  maxWidth?: number;
  /** Spaces between columns (default 2; 1 when the table would not fit otherwise). */
  gap?: number;
  wide?: WidePolicy;
  /** A line of dashes under the header (default true). */
  headerRule?: boolean;
  detail?: RowDetail<Row>;
  marker?: RowMarker<Row>;
}

/**
 * Lays out the rows and returns the table's lines (no code fence). Every line is at most
 * `maxWidth` columns: flexible columns shrink first, widest first; if the fixed columns alone are
 * too wide, lines are cut, which is a caller's bug but never breaks the limit.
 */
export function tableLines<Row>(
  columns: readonly Column<Row>[],
  rows: readonly (Row | TableRule)[],
  options: TableOptions<Row> = {},
): string[] {
  const gutter = options.marker ? 1 : 0;
  const maxWidth = (options.maxWidth ?? DEFAULT_TABLE_WIDTH) - gutter;
  const wide = options.wide ?? 'replace';
  const headers = columns.map((c) => cleanCell(c.header, wide));
  const body = rows.map((row) =>
    row instanceof TableRule ? row : columns.map((c) => cleanCell(c.cell(row), wide)),
  );
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...body.map((r) => (r instanceof TableRule ? 0 : displayWidth(r[i] ?? '')))),
  );

  let gap = options.gap ?? 2;
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  if (total() > maxWidth && options.gap === undefined) gap = 1;
  shrink(columns, widths, total() - maxWidth);

  const line = (cells: readonly string[]) =>
    truncateToWidth(
      cells
        .map((cell, i) => fitToWidth(cell, widths[i] ?? 0, columns[i]?.align))
        .join(' '.repeat(gap))
        .trimEnd(),
      maxWidth,
    );
  const width = Math.min(maxWidth, total());
  const rule = (label: string) => {
    if (label === '') return '-'.repeat(width);
    const text = ` ${truncateToWidth(cleanCell(label, wide), Math.max(0, width - 8))} `;
    const left = Math.floor((width - displayWidth(text)) / 2);
    return '-'.repeat(Math.max(0, left)) + text + '-'.repeat(Math.max(0, width - left - displayWidth(text)));
  };
  const under = Math.min(options.detail?.under ?? 1, columns.length - 1);
  const indent = widths.slice(0, Math.max(0, under)).reduce((a, b) => a + b + gap, 0);
  const detail = (row: Row): string | null => {
    const text = options.detail?.cell(row);
    if (text === null || text === undefined) return null;
    return (
      ' '.repeat(indent) + truncateToWidth(cleanCell(text, wide), Math.max(1, maxWidth - indent))
    ).trimEnd();
  };
  const mark = (row: Row | null) =>
    gutter === 0 ? '' : row !== null && options.marker?.mark(row) ? (options.marker.symbol ?? '*') : ' ';

  const out = [mark(null) + line(headers)];
  if (options.headerRule ?? true) out.push(mark(null) + rule(''));
  body.forEach((cells, i) => {
    const row = rows[i]!;
    if (cells instanceof TableRule || row instanceof TableRule) {
      out.push(mark(null) + rule(cells instanceof TableRule ? cells.label : ''));
      return;
    }
    out.push(mark(row) + line(cells));
    const second = detail(row);
    if (second) out.push(mark(null) + second);
  });
  // The gutter of unmarked lines is a space: trim it back off lines that are otherwise empty.
  return out.map((l) => l.trimEnd());
}

/** Narrows the widest flexible column by one, `excess` times or until none can shrink. */
function shrink<Row>(columns: readonly Column<Row>[], widths: number[], excess: number): void {
  for (let left = excess; left > 0; left--) {
    let pick = -1;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      if (!col.flexible || widths[i]! <= (col.minWidth ?? 4)) continue;
      // Ties go to the later column: the first flexible column is usually the one people read.
      if (pick === -1 || widths[i]! >= widths[pick]!) pick = i;
    }
    if (pick === -1) return;
    widths[pick] = widths[pick]! - 1;
  }
}

/**
 * The table as text for a code block: lines joined, mentions neutralised (Discord parses them
 * even inside code blocks; the zero-width space does not move any column).
 */
export function renderTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly (Row | TableRule)[],
  options: TableOptions<Row> = {},
): string {
  return neutralizeMentions(tableLines(columns, rows, options).join('\n'));
}

/**
 * Wraps text in a fenced code block. The body must come from `renderTable` (or otherwise hold
 * no backticks): inside a fence nothing can be escaped.
 */
export function codeBlock(body: string): string {
  return '```\n' + body + '\n```';
}
