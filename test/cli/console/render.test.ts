import { describe, expect, it } from 'vitest';
import { plainText, renderReply } from '../../../src/cli/console/render.js';

describe('console rendering', () => {
  it('shows Discord markdown as plain text', () => {
    expect(plainText('**bold** `code` a\\_b\n```\ntable\n```')).toBe('bold `code` a_b\ntable\n');
  });

  it('prints a time once, readable, and a relative one against the clock', () => {
    const now = new Date('2025-11-25T09:00:00Z');
    expect(plainText('at <t:1764072000:F>', { now })).toBe('at 2025-11-25 12:00 UTC');
    expect(plainText('at <t:1764072000:R>', { now })).toBe('at in 3 h');
    expect(plainText('<t:1764064800:R>', { now: new Date('2025-11-25T11:00:00Z') })).toBe('1 h ago');
    // "Next: <t:X:F> (<t:X:R>)": the moment once, then how far off it is.
    expect(plainText('Next: <t:1764072000:F> (<t:1764072000:R>)', { now })).toBe(
      'Next: 2025-11-25 12:00 UTC (in 3 h)',
    );
    expect(plainText('on <t:1764072000:d> at <t:1764072000:t>', { now })).toBe('on 2025-11-25 at 12:00 UTC');
  });

  it('shows mentions and channels as names, never raw markup, and no line that looks like a prompt', () => {
    const text = plainText(
      '<@ann>, <@!ben> and <@&mods>: see <#console> and <#tournaments>.\n> quoted\n\\> not a quote',
    );
    expect(text).toBe('@ann, @ben and @mods: see this console and #tournaments.\n  quoted\n> not a quote');
    expect(text).not.toMatch(/<[@#]/);
  });

  it('renders embeds, fields, footers and the commands that press buttons', () => {
    const out = renderReply({
      embeds: [{ title: 'T', description: 'D', fields: [{ name: 'F', value: 'v1\nv2' }], footer: 'foot' }],
      buttons: [
        [
          { customId: 'leaderboard:page:1', label: 'Prev', disabled: true },
          { customId: 'leaderboard:page:3', label: 'Next' },
        ],
      ],
    });
    expect(out.text).toBe('== T ==\nD\nF:\n  v1\n  v2\n-- foot\n[buttons: Next = /press leaderboard:page:3]');
  });
});
