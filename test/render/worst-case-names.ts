import { eastAsianWidthType } from 'get-east-asian-width';

/** Names that have broken leaderboard bots: long, emoji, CJK, markup, mentions, invisible tricks. */
export const WORST_NAMES = [
  'x'.repeat(200),
  '🔥🔥🔥 fire 🔥🔥🔥',
  '👨‍👩‍👧‍👦 family ZWJ',
  '🇺🇸🇯🇵 flags',
  '👍🏽 skin tone',
  '1️⃣ keycap',
  '太郎のボット太郎のボット太郎のボット',
  '한국어 봇 이름입니다',
  'ｆｕｌｌｗｉｄｔｈ　ｎａｍｅ',
  '```\n@everyone escaped```',
  '`',
  '@everyone',
  '@here @here @here @here',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&123456789012345678>',
  '<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@<@',
  'Zalgơ̸̢̛͉̝̙͕̗̩̙̫̙̟̣̣̗̩̍̅̃̽͂̀̑̏̐ z̷̡̢͎̦̣̳̱̙̑͌̐̅a̵l̶g̷o̸',
  'rtl\u202Eevil\u202C name',
  'tab\there\nnewline\r\nname',
  'nul\u0000bell\u0007',
  'lone \uD800 surrogate',
  'private \uE000\uF8FF use',
  '**bold** __under__ ||spoiler|| ~~strike~~',
  '[click](https://example.com)',
  '<t:0:R> <:emoji:123>',
  '# heading',
  '> quote',
  '',
  '   ',
  '\u200b\u200b\u200b',
];

/**
 * Columns a string takes in a monospace font, counted independently of the code under test:
 * zero for marks and format characters, two for East Asian wide/fullwidth and emoji.
 */
export function columns(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (/[\p{Mn}\p{Me}\p{Cf}]/u.test(ch)) continue;
    const type = eastAsianWidthType(ch.codePointAt(0)!);
    w +=
      type === 'wide' || type === 'fullwidth' || /\p{Extended_Pictographic}|\p{Emoji_Presentation}/u.test(ch)
        ? 2
        : 1;
  }
  return w;
}

/** Characters that must never appear inside a table: emoji, wide, controls, bidi, private use. */
export const FORBIDDEN_IN_TABLE =
  /[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Regional_Indicator}\p{Mn}\p{Me}\p{Cc}\p{Co}\p{Cs}\u202a-\u202e\u2066-\u2069`]/u;

export function hasWide(text: string): boolean {
  for (const ch of text) {
    const type = eastAsianWidthType(ch.codePointAt(0)!);
    if (type === 'wide' || type === 'fullwidth') return true;
  }
  return false;
}

/** A mention Discord would turn into a ping. */
export const LIVE_MENTION = /@everyone|@here|<@[!&]?\d/;
