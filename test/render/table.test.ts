import { describe, expect, it } from 'vitest';
import { escapeMarkdown, neutralizeMentions, proseName } from '../../src/render/escape.js';
import { type Column, codeBlock, renderTable, TableRule, tableLines } from '../../src/render/table.js';
import { cleanCell, displayWidth, ELLIPSIS, truncateToWidth } from '../../src/render/text-width.js';
import { expectFitsPhone, renderedColumns } from '../support/phone-width.js';
import { columns, FORBIDDEN_IN_TABLE, hasWide, LIVE_MENTION, WORST_NAMES } from './worst-case-names.js';

interface Row {
  name: string;
  owner: string;
  score: number;
}

const COLUMNS: Column<Row>[] = [
  { header: 'name', cell: (r) => r.name, flexible: true },
  { header: 'owner', cell: (r) => r.owner, flexible: true },
  { header: 'score', align: 'right', cell: (r) => String(r.score) },
];

const rows: Row[] = WORST_NAMES.map((name, i) => ({
  name,
  owner: WORST_NAMES[(i + 7) % WORST_NAMES.length]!,
  score: 1000 + i * 37,
}));

/** Lines without the zero-width spaces that break mentions (they take no column). */
const lines = (text: string) => text.replaceAll('\u200b', '').split('\n');

describe('cleanCell', () => {
  it('keeps only one-column characters and no way out of a code block', () => {
    expect(cleanCell('ｆｕｌｌ')).toBe('full');
    expect(cleanCell('🔥 fire 🔥')).toBe('fire');
    expect(cleanCell('👨‍👩‍👧‍👦')).toBe('?');
    expect(cleanCell('太郎')).toBe('??');
    expect(cleanCell('太郎', 'keep')).toBe('太郎');
    expect(cleanCell('a```b')).toBe("a'''b");
    expect(cleanCell('rtl\u202Eevil')).toBe('rtlevil');
    expect(cleanCell('a\n\tb')).toBe('a b');
    expect(cleanCell('lone \uD800')).toBe('lone ?');
    expect(cleanCell('')).toBe('?');
    expect(cleanCell('e\u0301')).toBe('é');
  });

  it('marks input cut for length', () => {
    expect(cleanCell('a'.repeat(2000)).endsWith(ELLIPSIS)).toBe(true);
  });
});

describe('truncateToWidth', () => {
  it('cuts to the width with an ellipsis, counting wide characters as two', () => {
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
    expect(truncateToWidth('abcd', 4)).toBe('abcd');
    expect(truncateToWidth('太郎のボット', 5)).toBe('太郎…');
    expect(displayWidth(truncateToWidth('太郎のボット', 6))).toBeLessThanOrEqual(6);
    expect(truncateToWidth('abc', 0)).toBe('');
  });
});

describe('renderTable', () => {
  it('keeps every line within 56 columns with worst-case names', () => {
    const text = renderTable(COLUMNS, rows);
    for (const line of lines(text)) expect(columns(line)).toBeLessThanOrEqual(56);
  });

  it('honours a narrower width', () => {
    for (const maxWidth of [28, 40]) {
      for (const line of lines(renderTable(COLUMNS, rows, { maxWidth }))) {
        expect(columns(line)).toBeLessThanOrEqual(maxWidth);
      }
    }
  });

  it('aligns columns: the right-aligned last column ends in the same place on every row', () => {
    const out = lines(renderTable(COLUMNS, rows));
    const widths = new Set(out.map((l) => columns(l)));
    expect(widths.size).toBe(1);
    // and the scores are all there, whole
    for (const r of rows) expect(out.some((l) => l.endsWith(` ${r.score}`))).toBe(true);
  });

  it('aligns with wide characters kept, counting them as two columns', () => {
    const cjk = [
      { name: '太郎のボット', owner: 'メアリー', score: 1 },
      { name: 'abc', owner: 'def', score: 22 },
    ];
    const out = lines(renderTable(COLUMNS, cjk, { wide: 'keep' }));
    expect(out.join('\n')).toContain('太郎のボット');
    expect(new Set(out.map(columns)).size).toBe(1);
  });

  it('leaves no emoji, wide, control, bidi or backtick characters in cells', () => {
    const text = renderTable(COLUMNS, rows);
    for (const line of lines(text)) {
      expect(line).not.toMatch(FORBIDDEN_IN_TABLE);
      expect(hasWide(line)).toBe(false);
    }
  });

  it('cannot be broken out of: one fence opens, one closes', () => {
    const block = codeBlock(renderTable(COLUMNS, rows));
    expect(block.match(/```/g)).toHaveLength(2);
    expect(block.startsWith('```\n')).toBe(true);
    expect(block.endsWith('\n```')).toBe(true);
  });

  it('leaves no live mention', () => {
    expect(renderTable(COLUMNS, rows)).not.toMatch(LIVE_MENTION);
  });

  it('cuts long names with an ellipsis and keeps short tables at their natural width', () => {
    const out = tableLines(COLUMNS, [{ name: 'n'.repeat(100), owner: 'bob', score: 5 }]);
    expect(out[2]).toMatch(/^n+… +bob +5$/);
    const small = tableLines(COLUMNS, [{ name: 'ab', owner: 'c', score: 5 }]);
    expect(small).toEqual(['name  owner  score', '------------------', 'ab    c          5']);
  });

  it('draws labelled rules across the table', () => {
    const out = tableLines(COLUMNS, [{ name: 'ab', owner: 'c', score: 5 }, new TableRule('you')]);
    expect(out[3]).toBe('------ you -------');
    expect(out[3]!.length).toBe(out[1]!.length);
  });

  it('cuts lines when even the fixed columns are too wide', () => {
    const fixed: Column<Row>[] = [{ header: 'x', cell: (r) => r.name }];
    const out = tableLines(fixed, [{ name: 'y'.repeat(80), owner: '', score: 0 }], { maxWidth: 20 });
    for (const line of out) expect(columns(line)).toBeLessThanOrEqual(20);
  });
});

describe('escaping for prose', () => {
  it('escapes markdown so names render literally', () => {
    expect(escapeMarkdown('**b** __u__ ||s|| ~~x~~ [a](b) `c` > # -')).toBe(
      '\\*\\*b\\*\\* \\_\\_u\\_\\_ \\|\\|s\\|\\| \\~\\~x\\~\\~ \\[a\\]\\(b\\) \\`c\\` \\> \\# \\-',
    );
  });

  it('breaks every mention with a zero-width space', () => {
    expect(neutralizeMentions('@everyone <@123> <@&9> a@b.c @ here')).toBe(
      '@\u200beveryone <@\u200b123> <@\u200b&9> a@\u200bb.c @ here',
    );
    for (const name of WORST_NAMES) expect(proseName(name)).not.toMatch(LIVE_MENTION);
  });

  it('keeps prose names on one line, without bidi overrides, within the width', () => {
    for (const name of WORST_NAMES) {
      const p = proseName(name, 20);
      expect(p).not.toMatch(/[\n\r\u202a-\u202e]/);
      expect(columns(p.replace(/\\(.)/g, '$1'))).toBeLessThanOrEqual(20);
    }
  });
});

describe('phone tables: a second line and a marker gutter', () => {
  it('fits 40 columns by default, wide characters counted as two, with the detail under a column', () => {
    const text = renderTable(COLUMNS.slice(0, 1).concat(COLUMNS.slice(2)), rows, {
      wide: 'keep',
      detail: { cell: (r) => `by ${r.owner}` },
      marker: { mark: (r) => r.score % 2 === 0 },
    });
    const out = lines(text);
    expect(out.some((l) => hasWide(l))).toBe(true);
    expect(out.filter((l) => /^ +by\b/.test(l))).toHaveLength(rows.length);
    for (const line of out) expect(renderedColumns(line)).toBeLessThanOrEqual(40);
    // Column 0 is the gutter: only the mark or a space, whatever the names.
    expect(out.every((l) => l.startsWith(' ') || l.startsWith('*') || l === '')).toBe(true);
    expect(out.filter((l) => l.startsWith('*'))).toHaveLength(rows.filter((r) => r.score % 2 === 0).length);
    expectFitsPhone(codeBlock(text));
  });
});
