import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Fonts for the rating chart. A server image may have no fonts at all, and resvg draws no text
 * without one, so the chart ships its own: DejaVu Sans from the `dejavu-fonts-ttf` package
 * (TrueType, which resvg reads; the @fontsource packages ship only WOFF/WOFF2, which it does not).
 * System fonts are an optional fallback for scripts DejaVu lacks (CJK); scanning them costs time
 * on every render, so it is off unless asked for.
 *
 * The monospace face, not DejaVu Sans: resvg shapes DejaVu Sans about three times slower (its
 * kerning tables are large), and fixed advances make cutting names to a pixel width exact.
 */

export const CHART_FONT_FAMILY = 'DejaVu Sans Mono';
/** Advance of every DejaVu Sans Mono glyph, in ems. */
export const CHART_FONT_ADVANCE = 0.602;

/** Where Debian and Ubuntu put DejaVu; used only when the npm package cannot be found. */
const SYSTEM_DEJAVU = '/usr/share/fonts/truetype/dejavu';

export interface ChartFonts {
  files: string[];
  /** True when no bundled font was found and system fonts are the only hope. */
  needSystemFonts: boolean;
}

let cached: ChartFonts | null = null;

/** The font files to hand resvg, resolved once. */
export function chartFonts(): ChartFonts {
  if (cached) return cached;
  const names = ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf'];
  let files: string[] = [];
  try {
    const require = createRequire(import.meta.url);
    files = names.map((name) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
  } catch {
    files = names.map((name) => `${SYSTEM_DEJAVU}/${name}`).filter((file) => existsSync(file));
  }
  cached = { files, needSystemFonts: files.length === 0 };
  return cached;
}
