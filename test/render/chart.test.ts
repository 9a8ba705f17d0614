import { describe, expect, it } from 'vitest';
import {
  ALT_TEXT_LIMIT,
  type ChartEntry,
  chartDescription,
  chartLabels,
  chartSvg,
  MIN_PHONE_TEXT,
  PHONE_WIDTH,
  renderRatingChart,
  smallestPhoneText,
} from '../../src/render/chart.js';
import { chartFonts } from '../../src/render/chart-fonts.js';
import { escapeXml, plainLabel, svgLabel } from '../../src/render/svg.js';
import { WORST_NAMES } from './worst-case-names.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must come first after the signature. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(view.getUint32(8)).toBe(13); // IHDR data length
  expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function board(n: number): ChartEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    rank: i + 1,
    botName: i < 3 ? ['alpha/first', 'beta/second', 'gamma/third'][i]! : `bot ${i + 1}`,
    mu: 40 - i * 0.3,
    sigma: 1 + (i % 5) * 0.5,
  }));
}

describe('rating chart', () => {
  it('renders a valid PNG of the stated size', async () => {
    const chart = await renderRatingChart(board(12));
    expect(pngSize(chart.png)).toEqual({ width: 720, height: chart.height });
    expect(chart.width).toBe(720);
    expect(chart.height).toBe(chartSvg(board(12)).height);
    expect(chart.height).toBeGreaterThan(12 * 30);
  });

  it('renders 64 worst-case names, one row each', async () => {
    const entries = Array.from({ length: 64 }, (_, i) => ({
      rank: i + 1,
      botName: WORST_NAMES[i % WORST_NAMES.length]!,
      mu: 25 + Math.sin(i) * 10,
      sigma: 2 + (i % 7),
    }));
    const chart = await renderRatingChart(entries, { width: 640 });
    const size = pngSize(chart.png);
    expect(size.width).toBe(640);
    expect(size.height).toBeGreaterThan(64 * 30);
    expect(chart.description.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
  });

  it('still renders with no bots', async () => {
    const chart = await renderRatingChart([]);
    expect(pngSize(chart.png).width).toBe(720);
    expect(chart.description).toMatch(/no rated bots/);
  });

  it('draws rows in leaderboard order whatever order they come in', () => {
    const shuffled = [...board(5)].reverse();
    const { svg } = chartSvg(shuffled);
    const order = ['alpha/first', 'beta/second', 'gamma/third', 'bot 4', 'bot 5'].map((n) =>
      svg.indexOf(`>${n}<`),
    );
    expect(order.every((pos) => pos > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('marks the conservative rating at mu - 3 sigma on the display scale', () => {
    const { svg } = chartSvg([{ rank: 1, botName: 'a', mu: 30, sigma: 2 }], { display: (x) => x * 100 });
    expect(svg).toContain('>2400<'); // 100 * (30 - 3 * 2)
    expect(svg).toContain('<polygon');
  });

  it('spaces axis labels so they do not overlap, even on a narrow chart with big numbers', () => {
    for (const width of [480, 720]) {
      const { svg } = chartSvg(board(8), { width, display: (x) => x * 1000 });
      const all = [
        ...svg.matchAll(
          /<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)" text-anchor="middle" fill="#b5bac1">([^<]+)<\/text>/g,
        ),
      ];
      // The axis above the rows: the tick labels with the smallest y.
      const top = Math.min(...all.map((m) => Number(m[2])));
      const ticks = all
        .filter((m) => Number(m[2]) === top)
        .map((m) => ({ x: Number(m[1]), label: m[4]!, font: Number(m[3]) }));
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < ticks.length; i++) {
        const room = ((ticks[i]!.label.length + ticks[i - 1]!.label.length) / 2) * ticks[i]!.font * 0.602;
        expect(ticks[i]!.x - ticks[i - 1]!.x).toBeGreaterThan(room);
      }
    }
  });

  it('escapes names so they stay text', () => {
    const evil = '<script>&"';
    const { svg } = chartSvg([
      { rank: 1, botName: evil, mu: 30, sigma: 2 },
      { rank: 2, botName: '"/><image href="file:///etc/passwd"/><text>', mu: 29, sigma: 2 },
      { rank: 3, botName: 'ctl\u0001\u0008\uFFFE\uD800 x', mu: 28, sigma: 2 },
    ]);
    expect(svg).toContain('&lt;script&gt;&amp;&quot;');
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<image');
    expect(svg).not.toMatch(/[\u0000-\u0008\uFFFE\uD800]/);
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });

  it('renders escaped and control-character names without failing', async () => {
    const chart = await renderRatingChart([
      { rank: 1, botName: '<script>&"', mu: 30, sigma: 2 },
      { rank: 2, botName: 'ctl\u0001\uFFFF\uDC00', mu: 28, sigma: 2 },
    ]);
    expect(pngSize(chart.png).width).toBe(720);
  });

  it('replaces characters the bundled font cannot draw unless system fonts are on', () => {
    expect(svgLabel('太郎 bot 🔥', 20)).toBe('?? bot');
    expect(svgLabel('太郎 bot 🔥', 20, 'keep')).toBe('太郎 bot');
    expect(svgLabel('Zalgơ̸̢̛͉̝̙͕̗ 1️⃣ \uE000', 20)).toBe('Zalgơ 1 ?');
    expect(plainLabel('太郎 bot 🔥', 20)).toBe('太郎 bot');
    expect(chartSvg([{ rank: 1, botName: '太郎', mu: 1, sigma: 1 }]).svg).toContain('>??<');
    expect(chartSvg([{ rank: 1, botName: '太郎', mu: 1, sigma: 1 }], { systemFonts: true }).svg).toContain(
      '>太郎<',
    );
  });

  it('reads on a phone: no text under 12 points when shown 360 points wide', () => {
    for (const width of [480, 720, 1080])
      expect(smallestPhoneText(width)).toBeGreaterThanOrEqual(MIN_PHONE_TEXT);
    // And the SVG's own font sizes say the same.
    const { svg, width } = chartSvg(board(8));
    const sizes = [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...sizes) * (PHONE_WIDTH / width)).toBeGreaterThanOrEqual(MIN_PHONE_TEXT);
  });

  it('labels each row by its bot first, then the owner, and keeps look-alike names apart', () => {
    const entries = Array.from({ length: 4 }, (_, i) => ({
      rank: i + 1,
      botName: `tournament-strategy-bot-v${i}`,
      ownerName: 'annabelle',
      mu: 30 - i,
      sigma: 2,
    }));
    const { svg } = chartSvg(entries);
    const labels = [...svg.matchAll(/y="[\d.]+" font-weight="bold" fill="#f2f3f5">([^<]+)</g)].map(
      (m) => m[1]!,
    );
    expect(labels).toHaveLength(4);
    expect(new Set(labels).size).toBe(4);
    for (const [i, label] of labels.entries()) {
      expect(label.startsWith('tournament')).toBe(true);
      expect(label.endsWith(`v${i}`)).toBe(true);
    }
    expect(svg).toContain('>annabelle<');
    // Ranks are the ones given, each once.
    const ranks = [...svg.matchAll(/<text x="\d+" y="[\d.]+" fill="#b5bac1">(\d+)</g)].map((m) => m[1]);
    expect(ranks).toEqual(['1', '2', '3', '4']);
    expect(chartLabels(['abc', 'abd'], 10, 'replace')).toEqual(['abc', 'abd']);
  });

  it('says what the row order is and keeps the owner in the alt text', () => {
    const { svg } = chartSvg(board(3));
    expect(svg).toContain('rows in rating order');
    expect(svg).not.toContain('board order');
    const d = chartDescription([{ rank: 1, botName: 'rocky', ownerName: 'ann', mu: 30, sigma: 2 }]);
    expect(d).toContain('1. rocky by ann: 24.0');
  });

  it('ships its own font', () => {
    const fonts = chartFonts();
    expect(fonts.needSystemFonts).toBe(false);
    expect(fonts.files.some((f) => f.includes('dejavu-fonts-ttf') && f.endsWith('DejaVuSansMono.ttf'))).toBe(
      true,
    );
  });
});

describe('chart description (alt text)', () => {
  it('names the top bots in order with their ratings', () => {
    const d = chartDescription(board(5));
    expect(d).toMatch(/^Rating chart of 5 bots, highest rating first\./);
    expect(d).toContain('1. alpha/first: 37.0 (mu 40.0, up to 43.0).');
    const [a, b, c] = ['alpha/first', 'beta/second', 'gamma/third'].map((n) => d.indexOf(n));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a!);
    expect(c).toBeGreaterThan(b!);
    expect(d).not.toMatch(/more\.$/);
  });

  it('fits 1024 characters and says how many bots it left out', () => {
    const entries = board(64).map((e) => ({ ...e, botName: e.rank <= 3 ? e.botName : 'n'.repeat(100) }));
    const d = chartDescription(entries);
    expect(d.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
    const listed = (d.match(/ \d+\. /g) ?? []).length;
    expect(d).toMatch(new RegExp(`And ${64 - listed} more\\.$`));
    expect(d).toContain('alpha/first');
    expect(d).toContain('gamma/third');
  });
});
