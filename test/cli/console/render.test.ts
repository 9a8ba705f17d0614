import { describe, expect, it } from 'vitest';
import { plainText, renderReply } from '../../../src/cli/console/render.js';

describe('console rendering', () => {
  it('shows Discord markdown as plain text', () => {
    expect(plainText('**bold** `code` a\\_b\n```\ntable\n```')).toBe('bold `code` a_b\ntable\n');
    expect(plainText('at <t:1764072000:R>')).toBe('at 2025-11-25T12:00:00Z');
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
