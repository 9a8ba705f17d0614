import { describe, expect, it } from 'vitest';
import {
  type BoardEntry,
  EMBED_DESCRIPTION_LIMIT,
  MESSAGE_LIMIT,
  pageCount,
  pageOfRank,
  renderLeaderboard,
} from '../../src/render/leaderboard.js';
import { expectFitsPhone, renderedColumns } from '../support/phone-width.js';
import { columns, FORBIDDEN_IN_TABLE, LIVE_MENTION, WORST_NAMES } from './worst-case-names.js';

function entry(rank: number, botName = `bot${rank}`, ownerName = `owner${rank}`): BoardEntry {
  return {
    rank,
    botName,
    ownerName,
    rating: 2000 - rank * 7,
    uncertainty: 150,
    played: 100 + rank,
    wins: 50,
    losses: 40 + rank,
    draws: 10,
  };
}

/** The code block's lines (between the fences), zero-width spaces removed. */
function tableLinesOf(text: string): string[] {
  const inner = text.split('```')[1]!;
  return inner.replaceAll('\u200b', '').split('\n').slice(1, -1);
}

/** 25 rows of hostile names with big numbers: the longest page there can be. */
function worstPage(): BoardEntry[] {
  return Array.from({ length: 25 }, (_, i) => ({
    ...entry(99_976 + i, WORST_NAMES[i % WORST_NAMES.length]!, WORST_NAMES[(i + 11) % WORST_NAMES.length]!),
    rating: -12345.6,
    uncertainty: 9999.9,
    wins: 123456,
    losses: 123456,
    draws: 123456,
    played: 370368,
  }));
}

describe('leaderboard page', () => {
  it('shows the page header and one row per entry, the owner on the line under it, in W-D-L', () => {
    const m = renderLeaderboard({
      title: 'Rock-paper-scissors',
      entries: [entry(11), { ...entry(12), provisional: true }, entry(13)],
      page: 2,
      pageSize: 10,
      total: 23,
    });
    expect(m.header).toBe('**Rock\\-paper\\-scissors** · page 2/3 · 23 bots');
    expect(m.pageCount).toBe(3);
    const lines = tableLinesOf(m.text);
    expect(lines[0]).toMatch(/^ +# +bot +rating +W-D-L$/);
    expect(lines[1]).toMatch(/^ -+$/);
    expect(lines.slice(2)).toEqual([
      ' 11  bot11    1923  50-10-51',
      '     by owner11',
      ' 12  bot12   1916?  50-10-52',
      '     by owner12',
      ' 13  bot13    1909  50-10-53',
      '     by owner13',
    ]);
    expect(m.legend).toBe('`?` provisional rating');
    expect(m.text).not.toContain('you');
  });

  it("appends the caller's row below a separator when it is elsewhere on the board", () => {
    const m = renderLeaderboard({
      entries: [entry(1), entry(2)],
      page: 1,
      pageSize: 2,
      total: 400,
      mine: [entry(37, 'mine', 'me')],
    });
    const lines = tableLinesOf(m.text);
    expect(lines.at(-3)).toMatch(/^ -+ you -+$/);
    expect(lines.at(-2)).toMatch(/^\*37 +mine +1741 +50-10-77$/);
    expect(lines.at(-1)).toBe('     by me');
    // the separator is as wide as the rows
    expect(columns(lines.at(-3)!)).toBe(columns(lines[1]!));
  });

  it("marks the caller's row when it is on the page, in a gutter no name can reach", () => {
    // A name ending in the mark (or in ">", the old mark) must not pass for it.
    const m = renderLeaderboard({
      entries: [entry(1, 'sneaky*', 'x>'), entry(2, 'mine', 'me'), entry(3, '*', '*')],
      page: 1,
      pageSize: 3,
      total: 3,
      mine: [entry(2, 'mine', 'me')],
      mineLabel: "Ann's bots",
    });
    const lines = tableLinesOf(m.text);
    expect(lines.filter((l) => l.startsWith('*'))).toEqual([expect.stringMatching(/^\*2 +mine /)]);
    expect(lines.filter((l) => !l.startsWith(' ') && !l.startsWith('*'))).toEqual([]);
    expect(m.text).not.toMatch(/-+ you -+/);
    expect(m.legend).toBe("`*` Ann's bots");
    expectFitsPhone(m.text);
  });

  it("lists at most three of the caller's other bots, best first", () => {
    const m = renderLeaderboard({
      entries: [entry(1)],
      page: 1,
      pageSize: 1,
      total: 100,
      mine: [entry(90, 'd'), entry(40, 'b'), entry(50, 'c'), entry(30, 'a')],
    });
    const after = tableLinesOf(m.text)
      .slice(5)
      .filter((l) => l.startsWith('*'))
      .map((l) => l.slice(1).trim().split(/ +/)[0]);
    expect(after).toEqual(['30', '40', '50']);
  });

  it('can show games played and the uncertainty instead of W-L-D', () => {
    const m = renderLeaderboard(
      { entries: [entry(1)], page: 1, pageSize: 10, total: 1 },
      { record: 'played', showUncertainty: true },
    );
    const [head, , row] = tableLinesOf(m.text);
    expect(head).toMatch(/rating +± +games$/);
    expect(row).toMatch(/1993 +150 +101$/);
    expectFitsPhone(m.text);
  });

  it('tells people how to submit when the board is empty', () => {
    const m = renderLeaderboard({ entries: [], page: 1, pageSize: 10, total: 0 });
    expect(m.text).toMatch(/No bots on this board yet/);
    expect(m.text).toMatch(/\/submit/);
    expect(m.text).not.toContain('```');
    const custom = renderLeaderboard(
      { entries: [], page: 1, pageSize: 10, total: 0 },
      { submitHint: 'Use </bot submit:123>.' },
    );
    expect(custom.text).toContain('Use </bot submit:123>.');
  });

  it('says so when asked for a page past the end', () => {
    const m = renderLeaderboard({ entries: [], page: 9, pageSize: 10, total: 23 });
    expect(m.text).toMatch(/page 9\/3/);
    expect(m.text).toMatch(/the board has 3 pages/);
  });

  it('stays within 2000 characters and 40 columns for 25 worst-case rows plus the caller', () => {
    const entries = worstPage();
    const mine = [
      entry(1_000_001, '<@&1><@&1><@&1><@&1>', '@everyone@everyone'),
      entry(1_000_002),
      entry(1_000_003),
    ];
    for (const limit of [MESSAGE_LIMIT, EMBED_DESCRIPTION_LIMIT]) {
      const m = renderLeaderboard(
        { title: WORST_NAMES[9], entries, page: 4000, pageSize: 25, total: 1_000_003, mine },
        { limit, showUncertainty: true },
      );
      expect(m.text.length).toBeLessThanOrEqual(limit);
      const lines = tableLinesOf(m.text);
      // Every row, the caller's three below the rule; owners' lines while they fit the limit.
      const rows = lines.filter((l) => /^[ *] *\d/.test(l));
      expect(rows).toHaveLength(25 + 3);
      expect(lines.filter((l) => /^ -+ you -+$/.test(l))).toHaveLength(1);
      for (const line of lines) {
        expect(renderedColumns(line)).toBeLessThanOrEqual(40);
        expect(line).not.toMatch(FORBIDDEN_IN_TABLE);
      }
      expectFitsPhone(m.text);
      expect(m.text).not.toMatch(LIVE_MENTION);
      expect(m.text.match(/```/g)).toHaveLength(2);
    }
  });

  it('narrows the table rather than overflow the limit when mention-breaking lengthens it', () => {
    const entries = Array.from({ length: 25 }, (_, i) => entry(i + 1, '<@1'.repeat(30), '@e'.repeat(40)));
    const view = { entries, page: 1, pageSize: 25, total: 25 };
    const unlimited = renderLeaderboard(view, { limit: 100_000 });
    expect(unlimited.text.length).toBeGreaterThan(1800);
    const m = renderLeaderboard(view, { limit: 1800 });
    expect(m.text.length).toBeLessThanOrEqual(1800);
    // Narrower names, or (last resort) no owners' lines: never over the limit.
    const narrowed = Math.max(...tableLinesOf(m.text).map(columns)) < 40;
    expect(narrowed || !m.text.includes(' by ')).toBe(true);
    expect(m.text).not.toMatch(LIVE_MENTION);
  });
});

describe('paging helpers', () => {
  it('counts pages and finds the page of a rank', () => {
    expect(pageCount(0, 10)).toBe(1);
    expect(pageCount(10, 10)).toBe(1);
    expect(pageCount(11, 10)).toBe(2);
    expect(pageOfRank(1, 10)).toBe(1);
    expect(pageOfRank(10, 10)).toBe(1);
    expect(pageOfRank(37, 10)).toBe(4);
  });
});
