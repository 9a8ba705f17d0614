import { renderAsync } from '@resvg/resvg-js';
import { CHART_FONT_ADVANCE, CHART_FONT_FAMILY, chartFonts } from './chart-fonts.js';
import { escapeXml, plainLabel, svgLabel } from './svg.js';
import { ELLIPSIS } from './text-width.js';

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
  /** Place on the board; rows are drawn in this order. */
  rank: number;
  botName: string;
  mu: number;
  sigma: number;
}

export interface ChartOptions {
  /** Image width in pixels (default 800: sharp on phones, which scale it to about 400 points; at least 600). */
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

const PAD = 16;
const FONT = 20;
const ROW = 34;
/** Columns a name may take (the font is monospace, so this is exact). */
const NAME_COLUMNS = 18;
const HEADER = 112;
const TICK_FONT = 16;
/** Narrower and the legend no longer fits. */
const MIN_WIDTH = 600;

interface Row {
  rank: number;
  name: string;
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
 * The axis: from a round number below every bar to one above, with as many ticks (up to 6) as
 * fit their labels side by side in `plotWidth` pixels.
 */
function domainOf(
  rows: readonly Row[],
  plotWidth: number,
  format: (value: number) => string,
): { lo: number; hi: number; step: number } {
  let lo = Math.min(...rows.map((r) => r.low));
  let hi = Math.max(...rows.map((r) => r.high));
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const labelChars = Math.max(format(lo).length, format(hi).length) + 1;
  const labelPx = labelChars * TICK_FONT * CHART_FONT_ADVANCE + 12;
  const ticks = Math.min(6, Math.max(2, Math.floor(plotWidth / labelPx)));
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

/** The chart as an SVG document, with its pixel size. */
export function chartSvg(
  entries: readonly ChartEntry[],
  options: ChartOptions = {},
): { svg: string; width: number; height: number } {
  const width = Math.max(MIN_WIDTH, Math.round(options.width ?? 800));
  const rows = rowsOf(entries, options).slice(0, MAX_CHART_ROWS);
  const format = options.formatValue ?? defaultFormat(rows);
  const k = options.k ?? 3;
  const bottomAxis = rows.length > 12;
  // Without system fonts only DejaVu is loaded, which has no CJK glyphs.
  const wide = options.systemFonts ? 'keep' : 'replace';
  const height = HEADER + Math.max(1, rows.length) * ROW + (bottomAxis ? 40 : PAD);

  const nameX = PAD + 56;
  const x0 = nameX + NAME_COLUMNS * FONT * CHART_FONT_ADVANCE + 12;
  const x1 = width - PAD - 84;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT_FAMILY}, monospace" font-size="${FONT}">`,
    `<rect width="100%" height="100%" fill="${COLORS.background}"/>`,
    `<text x="${PAD}" y="38" font-size="26" font-weight="bold" fill="${COLORS.text}">${svgLabel(options.title ?? 'Ratings', Math.floor((width - 2 * PAD) / (26 * CHART_FONT_ADVANCE)), wide)}</text>`,
  ];

  // Legend: the three marks, each drawn as it appears in the rows.
  const ly = 70;
  out.push(
    `<rect x="${PAD}" y="${ly - 6}" width="36" height="12" rx="3" fill="${COLORS.bar}" fill-opacity="0.7"/>`,
    `<text x="${PAD + 44}" y="${ly + 6}" font-size="17" fill="${COLORS.muted}">μ ± ${k}σ</text>`,
    `<circle cx="${PAD + 150}" cy="${ly}" r="5" fill="${COLORS.mu}"/>`,
    `<text x="${PAD + 162}" y="${ly + 6}" font-size="17" fill="${COLORS.muted}">μ</text>`,
    diamond(PAD + 200, ly, COLORS.conservative),
    `<text x="${PAD + 212}" y="${ly + 6}" font-size="17" fill="${COLORS.muted}">conservative rating (board order)</text>`,
  );

  if (rows.length === 0) {
    out.push(
      `<text x="${PAD}" y="${HEADER + 22}" fill="${COLORS.muted}">No rated bots yet.</text>`,
      '</svg>',
    );
    return { svg: out.join('\n'), width, height };
  }

  const { lo, hi, step } = domainOf(rows, x1 - x0, format);
  const x = (v: number) => f1(x0 + ((v - lo) / (hi - lo)) * (x1 - x0));
  const top = HEADER;
  const bottom = HEADER + rows.length * ROW;

  rows.forEach((_, i) => {
    if (i % 2 === 1)
      out.push(`<rect x="0" y="${top + i * ROW}" width="${width}" height="${ROW}" fill="${COLORS.stripe}"/>`);
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
      `<text x="${tx}" y="${top - 10}" font-size="${TICK_FONT}" text-anchor="middle" fill="${COLORS.muted}">${label}</text>`,
    );
    if (bottomAxis) {
      out.push(
        `<text x="${tx}" y="${bottom + 24}" font-size="${TICK_FONT}" text-anchor="middle" fill="${COLORS.muted}">${label}</text>`,
      );
    }
  }

  rows.forEach((r, i) => {
    const cy = top + i * ROW + ROW / 2;
    const ty = cy + 7;
    out.push(
      `<text x="${nameX - 10}" y="${ty}" text-anchor="end" fill="${COLORS.muted}">${r.rank}</text>`,
      `<text x="${nameX}" y="${ty}" fill="${COLORS.text}">${svgLabel(r.name, NAME_COLUMNS, wide)}</text>`,
      `<rect x="${x(r.low)}" y="${cy - 7}" width="${Math.max(1, f1(x(r.high) - x(r.low)))}" height="14" rx="3" fill="${COLORS.bar}" fill-opacity="0.7"/>`,
      `<circle cx="${x(r.mu)}" cy="${cy}" r="5" fill="${COLORS.mu}"/>`,
      diamond(x(r.low), cy, COLORS.conservative),
      `<text x="${width - PAD}" y="${ty}" text-anchor="end" fill="${COLORS.conservative}">${escapeXml(format(r.low))}</text>`,
    );
  });
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}

function diamond(cx: number, cy: number, fill: string): string {
  const s = 7;
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
    `Rating chart of ${rows.length} bot${rows.length === 1 ? '' : 's'}, best first. ` +
    `Each bar is the range a bot's skill probably lies in (mu ± ${k} sigma); ` +
    `the board ranks by its low end, the conservative rating.`;
  let text = head;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const item = ` ${r.rank}. ${plainLabel(r.name, 32)}: ${format(r.low)} (mu ${format(r.mu)}, up to ${format(r.high)}).`;
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
