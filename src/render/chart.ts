import { renderAsync } from '@resvg/resvg-js';
import { CHART_FONT_ADVANCE, CHART_FONT_FAMILY, chartFonts } from './chart-fonts.js';
import { escapeXml, plainLabel, svgLabel } from './svg.js';
import { cleanCell, displayWidth, ELLIPSIS, truncateToWidth, type WidePolicy } from './text-width.js';

/**
 * The rating chart: one row per bot, best first like the leaderboard, a bar for the range its
 * skill probably lies in (mu ± k·sigma), a dot at mu and a diamond at the conservative rating
 * mu − k·sigma, which is what the board ranks by. An extra next to the table, never instead of
 * it: images carry no text a screen reader can use, so `chartDescription` words the same facts
 * for the attachment's `description` (alt text).
 *
 * Hand-written SVG, rasterised by resvg: the chart is a handful of rects and labels, and writing
 * it by hand keeps every user string behind one escaping function.
 */

export interface ChartEntry {
  /** Place on the board; rows are drawn in this order and numbered with it (ranks must be unique). */
  rank: number;
  botName: string;
  /** Shown after the bot's name, dimmer: "rocky  ann". */
  ownerName?: string;
  mu: number;
  sigma: number;
}

export interface ChartOptions {
  /**
   * Image width in pixels (default 720). Phones show a chart about 360 points wide, so every
   * text size here is chosen to read at least 12 points there (see MIN_PHONE_TEXT).
   */
  width?: number;
  /** Title above the chart (default "Ratings"). */
  title?: string;
  /** Sigmas either side of mu (default 3, matching conservative = mu − 3·sigma). */
  k?: number;
  /**
   * Maps a raw rating to the scale people see (e.g. the ratings module's display scale); must
   * be increasing. Default: unchanged.
   */
  display?: (value: number) => number;
  /** Formats a value on the display scale (default: whole numbers, or one decimal for small spans). */
  formatValue?: (value: number) => string;
  /** Also let resvg scan system fonts, for scripts DejaVu lacks (CJK). Slower; default false. */
  systemFonts?: boolean;
}

/** Discord's limit on an attachment description. */
export const ALT_TEXT_LIMIT = 1024;
/** Rows drawn at most; beyond that the image gets too tall to read even when opened. */
export const MAX_CHART_ROWS = 100;
/** Width a phone shows an image at, in points. */
export const PHONE_WIDTH = 360;
/** The smallest text on the chart, in points, once a phone scales it to PHONE_WIDTH. */
export const MIN_PHONE_TEXT = 12;

const COLORS = {
  background: '#2b2d31',
  stripe: '#313338',
  text: '#f2f3f5',
  muted: '#b5bac1',
  grid: '#4e5058',
  bar: '#5865f2',
  mu: '#ffffff',
  conservative: '#fee75c',
};

const DEFAULT_WIDTH = 720;
/** Narrower and the bars get too short to compare. */
const MIN_WIDTH = 480;
const PAD = 20;
/** Text sizes at the default width; scaled with the width so they read the same on a phone. */
const SIZES = { title: 34, name: 30, owner: 26, value: 28, tick: 26, legend: 26 };
/** A row is two lines: the name, then its bar with the rating at the end. */
const ROW = 92;

interface Row {
  rank: number;
  name: string;
  owner: string | null;
  low: number;
  mu: number;
  high: number;
}

function rowsOf(entries: readonly ChartEntry[], options: ChartOptions): Row[] {
  const k = options.k ?? 3;
  const display = options.display ?? ((x: number) => x);
  return [...entries]
    .filter((e) => Number.isFinite(e.mu) && Number.isFinite(e.sigma))
    .sort((a, b) => a.rank - b.rank)
    .map((e) => ({
      rank: e.rank,
      name: e.botName,
      owner: e.ownerName ?? null,
      low: display(e.mu - k * Math.abs(e.sigma)),
      mu: display(e.mu),
      high: display(e.mu + k * Math.abs(e.sigma)),
    }))
    .filter((r) => Number.isFinite(r.low) && Number.isFinite(r.high) && Number.isFinite(r.mu));
}

/** Round tick spacing (1, 2 or 5 times a power of ten) giving about `count` ticks. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

/**
 * The axis: from a round number below every bar to one above, with as many ticks (up to 5) as
 * fit their labels side by side in `plotWidth` pixels.
 */
function domainOf(
  rows: readonly Row[],
  plotWidth: number,
  tickFont: number,
  format: (value: number) => string,
): { lo: number; hi: number; step: number } {
  let lo = Math.min(...rows.map((r) => r.low));
  let hi = Math.max(...rows.map((r) => r.high));
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const labelChars = Math.max(format(lo).length, format(hi).length) + 1;
  const labelPx = labelChars * tickFont * CHART_FONT_ADVANCE + 16;
  const ticks = Math.min(5, Math.max(2, Math.floor(plotWidth / labelPx)));
  // A nice step can round up, leaving more ticks than fit; take the next nice step then.
  let step = niceStep(hi - lo, ticks - 1);
  while ((Math.ceil(hi / step) - Math.floor(lo / step)) * labelPx > plotWidth && step < hi - lo) {
    step = niceStep(step * 1.5, 1);
  }
  return { lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step, step };
}

function defaultFormat(rows: readonly Row[]): (value: number) => string {
  const span = rows.length ? Math.max(...rows.map((r) => r.high)) - Math.min(...rows.map((r) => r.low)) : 0;
  return span < 50 ? (v) => v.toFixed(1) : (v) => String(Math.round(v));
}

const f1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Names as they appear on the chart, bot first, cut to `columns`. Names cut to the same text
 * (four bots of one owner, "tournament-bot-…") are cut in the middle instead, keeping their
 * distinct ends: "tournament…-v3".
 */
export function chartLabels(names: readonly string[], columns: number, wide: WidePolicy): string[] {
  const clean = names.map((n) => cleanCell(n, wide));
  const cut = clean.map((n) => truncateToWidth(n, columns));
  const seen = new Map<string, number>();
  for (const c of cut) seen.set(c, (seen.get(c) ?? 0) + 1);
  return clean.map((full, i) => {
    if ((seen.get(cut[i]!) ?? 0) < 2 || displayWidth(full) <= columns) return cut[i]!;
    const tail = Math.max(1, Math.floor((columns - 1) / 2));
    const chars = [...full];
    let end = '';
    for (let j = chars.length - 1; j >= 0 && displayWidth(chars[j]! + end) <= tail; j--)
      end = chars[j]! + end;
    return truncateToWidth(full, columns - displayWidth(end)).replace(/…$/, '') + ELLIPSIS + end;
  });
}

/** The chart as an SVG document, with its pixel size. */
export function chartSvg(
  entries: readonly ChartEntry[],
  options: ChartOptions = {},
): { svg: string; width: number; height: number } {
  const width = Math.max(MIN_WIDTH, Math.round(options.width ?? DEFAULT_WIDTH));
  const scale = width / DEFAULT_WIDTH;
  const size = Object.fromEntries(
    Object.entries(SIZES).map(([k, v]) => [k, Math.round(v * scale)]),
  ) as typeof SIZES;
  const rowHeight = Math.round(ROW * scale);
  const pad = Math.round(PAD * scale);
  const rows = rowsOf(entries, options).slice(0, MAX_CHART_ROWS);
  const format = options.formatValue ?? defaultFormat(rows);
  // Without system fonts only DejaVu is loaded, which has no CJK glyphs.
  const wide = options.systemFonts ? 'keep' : 'replace';
  const columnsFor = (font: number, px: number) => Math.max(4, Math.floor(px / (font * CHART_FONT_ADVANCE)));
  const header =
    pad + size.title + Math.round(16 * scale) + size.legend * 2 + Math.round(24 * scale) + size.tick;
  const bottomAxis = rows.length > 6;
  const height = header + Math.max(1, rows.length) * rowHeight + (bottomAxis ? size.tick + pad : pad);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT_FAMILY}, monospace" font-size="${size.name}">`,
    `<rect width="100%" height="100%" fill="${COLORS.background}"/>`,
    `<text x="${pad}" y="${pad + size.title}" font-size="${size.title}" font-weight="bold" fill="${COLORS.text}">${svgLabel(options.title ?? 'Ratings', columnsFor(size.title, width - 2 * pad), wide)}</text>`,
  ];

  // Legend, two lines, each mark drawn as it appears in the rows; what the order of the rows is.
  const l1 = pad + size.title + Math.round(16 * scale) + size.legend;
  const l2 = l1 + size.legend + Math.round(8 * scale);
  const mark = Math.round(36 * scale);
  out.push(
    diamond(pad + mark / 2, l1 - size.legend / 3, COLORS.conservative, scale),
    `<text x="${pad + mark + 8}" y="${l1}" font-size="${size.legend}" fill="${COLORS.muted}">rating (rows in rating order)</text>`,
    `<rect x="${pad}" y="${l2 - size.legend / 3 - 7 * scale}" width="${mark}" height="${Math.round(14 * scale)}" rx="3" fill="${COLORS.bar}" fill-opacity="0.7"/>`,
    `<circle cx="${pad + mark / 2}" cy="${l2 - size.legend / 3}" r="${Math.round(6 * scale)}" fill="${COLORS.mu}"/>`,
    `<text x="${pad + mark + 8}" y="${l2}" font-size="${size.legend}" fill="${COLORS.muted}">likely skill range, ● best guess</text>`,
  );

  if (rows.length === 0) {
    out.push(
      `<text x="${pad}" y="${header + size.name}" fill="${COLORS.muted}">No rated bots yet.</text>`,
      '</svg>',
    );
    return { svg: out.join('\n'), width, height };
  }

  const valueColumns = Math.max(...rows.map((r) => format(r.low).length));
  // Tick labels are centred on their line: leave half the widest one's room on the left.
  const tickHalf = Math.ceil(
    (Math.max(format(Math.min(...rows.map((r) => r.low))).length, valueColumns + 1) *
      size.tick *
      CHART_FONT_ADVANCE) /
      2,
  );
  const x0 = pad + tickHalf;
  const x1 = width - pad - Math.ceil(valueColumns * size.value * CHART_FONT_ADVANCE) - Math.round(20 * scale);
  const { lo, hi, step } = domainOf(rows, x1 - x0, size.tick, format);
  const x = (v: number) => f1(x0 + ((v - lo) / (hi - lo)) * (x1 - x0));
  const top = header;
  const bottom = header + rows.length * rowHeight;

  rows.forEach((_, i) => {
    if (i % 2 === 1)
      out.push(
        `<rect x="0" y="${top + i * rowHeight}" width="${width}" height="${rowHeight}" fill="${COLORS.stripe}"/>`,
      );
  });
  // Ticks from an index, not by adding steps, so 0.1 steps do not drift to 25.000000001.
  for (let i = 0; lo + i * step <= hi + step / 2 && i < 50; i++) {
    const t = lo + i * step;
    const tx = x(t);
    out.push(
      `<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${bottom}" stroke="${COLORS.grid}" stroke-width="1"/>`,
    );
    const label = escapeXml(format(t));
    out.push(
      `<text x="${tx}" y="${Math.round(top - 10 * scale)}" font-size="${size.tick}" text-anchor="middle" fill="${COLORS.muted}">${label}</text>`,
    );
    if (bottomAxis) {
      out.push(
        `<text x="${tx}" y="${bottom + size.tick + 4}" font-size="${size.tick}" text-anchor="middle" fill="${COLORS.muted}">${label}</text>`,
      );
    }
  }

  // Line one of a row: "3  rocky  ann" (rank, bot, then its owner dimmer), as wide as the image.
  const rankColumns = Math.max(...rows.map((r) => String(r.rank).length)) + 1;
  const nameX = pad + Math.ceil(rankColumns * size.name * CHART_FONT_ADVANCE);
  const lineColumns = columnsFor(size.name, width - pad - nameX);
  const hasOwners = rows.some((r) => r.owner !== null);
  const botColumns = hasOwners ? Math.max(8, Math.floor(lineColumns * 0.62)) : lineColumns;
  const labels = chartLabels(
    rows.map((r) => r.name),
    botColumns,
    wide,
  );
  rows.forEach((r, i) => {
    const rowTop = top + i * rowHeight;
    const ty = rowTop + Math.round(8 * scale) + size.name;
    const cy = rowTop + Math.round(68 * scale);
    const label = labels[i]!;
    const ownerX = nameX + Math.ceil((displayWidth(label) + 2) * size.name * CHART_FONT_ADVANCE);
    const ownerColumns = Math.floor((width - pad - ownerX) / (size.owner * CHART_FONT_ADVANCE));
    out.push(
      `<text x="${pad}" y="${ty}" fill="${COLORS.muted}">${r.rank}</text>`,
      `<text x="${nameX}" y="${ty}" font-weight="bold" fill="${COLORS.text}">${escapeXml(label)}</text>`,
    );
    if (r.owner !== null && ownerColumns >= 4) {
      out.push(
        `<text x="${ownerX}" y="${ty}" font-size="${size.owner}" fill="${COLORS.muted}">${svgLabel(r.owner, ownerColumns, wide)}</text>`,
      );
    }
    out.push(
      `<rect x="${x(r.low)}" y="${cy - 9 * scale}" width="${Math.max(1, f1(x(r.high) - x(r.low)))}" height="${Math.round(18 * scale)}" rx="4" fill="${COLORS.bar}" fill-opacity="0.7"/>`,
      `<circle cx="${x(r.mu)}" cy="${cy}" r="${Math.round(6 * scale)}" fill="${COLORS.mu}"/>`,
      diamond(x(r.low), cy, COLORS.conservative, scale),
      `<text x="${width - pad}" y="${Math.round(cy + size.value / 3)}" font-size="${size.value}" text-anchor="end" font-weight="bold" fill="${COLORS.conservative}">${escapeXml(format(r.low))}</text>`,
    );
  });
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}

/** The smallest text on a chart of this width, in points, on a phone showing it PHONE_WIDTH wide. */
export function smallestPhoneText(width = DEFAULT_WIDTH): number {
  const w = Math.max(MIN_WIDTH, Math.round(width));
  return (
    (Math.min(...Object.values(SIZES).map((v) => Math.round(v * (w / DEFAULT_WIDTH)))) * PHONE_WIDTH) / w
  );
}

function diamond(cx: number, cy: number, fill: string, scale = 1): string {
  const s = Math.round(10 * scale);
  return `<polygon points="${cx},${cy - s} ${cx + s},${cy} ${cx},${cy + s} ${cx - s},${cy}" fill="${fill}"/>`;
}

/**
 * Alt text for the chart: what it shows and the bots in order, as many as fit in Discord's
 * 1024 characters, then how many more there are. Plain text: descriptions are not markdown.
 */
export function chartDescription(entries: readonly ChartEntry[], options: ChartOptions = {}): string {
  const rows = rowsOf(entries, options);
  if (rows.length === 0) return 'Rating chart: no rated bots yet.';
  const format = options.formatValue ?? defaultFormat(rows);
  const k = options.k ?? 3;
  const head =
    `Rating chart of ${rows.length} bot${rows.length === 1 ? '' : 's'}, highest rating first. ` +
    `Each bar is the range a bot's skill probably lies in (mu ± ${k} sigma); ` +
    `the board ranks by its low end, the conservative rating.`;
  let text = head;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const owner = r.owner !== null ? ` by ${plainLabel(r.owner, 24)}` : '';
    const item = ` ${r.rank}. ${plainLabel(r.name, 32)}${owner}: ${format(r.low)} (mu ${format(r.mu)}, up to ${format(r.high)}).`;
    const more = rows.length - i - 1;
    const tail = more > 0 ? ` And ${more} more.` : '';
    // Keep room for the "and N more" that has to follow if this is the last item to fit.
    const reserve = more > 0 ? ` And ${rows.length - i} more.`.length : 0;
    if (text.length + item.length + reserve > ALT_TEXT_LIMIT) {
      return `${text} And ${rows.length - i} more.`;
    }
    text += item;
    if (!tail) break;
  }
  return text.length <= ALT_TEXT_LIMIT ? text : text.slice(0, ALT_TEXT_LIMIT - 1) + ELLIPSIS;
}

export interface RenderedChart {
  /** PNG bytes, ready to attach. */
  png: Buffer;
  width: number;
  height: number;
  /** For the attachment's `description` (alt text), at most 1024 characters. */
  description: string;
}

/**
 * The chart as a PNG. Rasterising runs on libuv's thread pool (resvg's renderAsync), so the
 * event loop keeps answering interactions meanwhile.
 */
export async function renderRatingChart(
  entries: readonly ChartEntry[],
  options: ChartOptions = {},
): Promise<RenderedChart> {
  const { svg, width, height } = chartSvg(entries, options);
  const fonts = chartFonts();
  const image = await renderAsync(svg, {
    font: {
      fontFiles: fonts.files,
      loadSystemFonts: options.systemFonts === true || fonts.needSystemFonts,
      defaultFontFamily: CHART_FONT_FAMILY,
      monospaceFamily: CHART_FONT_FAMILY,
    },
    logLevel: 'off',
  });
  return { png: image.asPng(), width, height, description: chartDescription(entries, options) };
}
