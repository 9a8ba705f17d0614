import { type Hand, handTitle, parseHand } from '../../games/rps.js';

/**
 * The command bots' protocol, compatible with Snippy: one JSON line on stdin per move,
 * `{"botname","opponent","round","history"}` exactly as Snippy sends it (round = rounds already
 * played, history = the bot's OWN earlier plays, title-cased), followed by our explicit extra
 * keys `my_moves`, `opponent_moves` and `total_rounds`. Histories grow by appending, so
 * building a line costs one string join per move rather than re-serialising the history.
 */
export class SnippyInput {
  private mine = '';
  private theirs = '';
  private readonly head: string;
  private readonly tail: string;

  constructor(botName: string, opponentName: string, totalRounds: number) {
    this.head = `{"botname":${JSON.stringify(botName)},"opponent":${JSON.stringify(opponentName)},"round":`;
    this.tail = `,"total_rounds":${totalRounds}}\n`;
  }

  /** The stdin line for the move after `played` rounds. */
  line(played: number): string {
    return `${this.head}${played},"history":[${this.mine}],"my_moves":[${this.mine}],"opponent_moves":[${this.theirs}]${this.tail}`;
  }

  record(mine: Hand, theirs: Hand): void {
    const sep = this.mine ? ',' : '';
    this.mine += `${sep}"${handTitle(mine)}"`;
    this.theirs += `${sep}"${handTitle(theirs)}"`;
  }
}

/**
 * Snippy's reading of a move: remove one trailing "\n", take the last line, compare it
 * case-insensitively with rock, paper and scissors. Anything else (including "Rock\r") is
 * not a move.
 */
export function readMove(stdout: string): Hand | null {
  const trimmed = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  const last = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  return parseHand(last);
}

/** How an unreadable answer is described to the author. */
export function describeBadOutput(stdout: string): string {
  if (stdout.length === 0) return 'printed nothing; the last line of stdout must be rock, paper or scissors';
  const trimmed = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  const last = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  const shown = JSON.stringify(last.length > 40 ? `${last.slice(0, 40)}…` : last);
  return `printed ${shown} as its last line; it must be rock, paper or scissors`;
}
