import type { Seat } from '../games/game.js';
import { type Fault, type FaultKind, type MatchRecord, totalFuel } from '../games/match-record.js';
import { handFromCode, roundPoints } from '../games/rps.js';
import { escapeMarkdown, neutralizeMentions, proseName } from './escape.js';
import { ELLIPSIS } from './text-width.js';

/**
 * What a person wants to know about a finished match, read from its MatchRecord: who won and
 * how clearly, how each bot played, and when the match was really decided. `summarizeMatch`
 * computes the facts; `formatMatchSummary` words them for one embed field.
 *
 * Rounds are numbered from 1, as in Fault.round. Only scored rounds count: in a forfeit the log
 * also holds the fault round (a "-" for the seat that faulted), which no one won.
 */

export interface MoveCounts {
  R: number;
  P: number;
  S: number;
}

/** Consecutive rounds won by one seat (a tie ends a streak), `fromRound`..`toRound` inclusive. */
export interface Streak {
  seat: Seat;
  length: number;
  fromRound: number;
  toRound: number;
}

export type SummaryResult =
  | { kind: 'points'; winner: Seat; margin: number; drawMargin: number }
  | { kind: 'within-margin'; score: number; drawMargin: number }
  | { kind: 'forfeit'; winner: Seat; fault: Fault }
  | { kind: 'double-forfeit'; faults: Fault[] };

export interface Decided {
  /**
   * The last round in which the lead passed to a seat that was not the last one leading (the
   * first lead counts; leader, tie, same leader again does not). Null when every round was level.
   */
  lastLeadChange: { round: number; leader: Seat } | null;
  /** For a win on points: the first round after which the winner stayed more than the draw margin ahead. */
  clinchedAt: number | null;
}

export interface MatchSummary {
  bots: [string, string];
  roundsPlayed: number;
  roundsScheduled: number;
  wins: [number, number];
  ties: number;
  /** Seat 0's points minus seat 1's. */
  score: number;
  result: SummaryResult;
  moves: [MoveCounts, MoveCounts];
  /** Each seat's longest streak (the earliest when two are as long), or null if it won no round. */
  streaks: [Streak | null, Streak | null];
  /** The longer of the two; the earlier one when they are as long. */
  longestStreak: Streak | null;
  decided: Decided;
  /** Fuel each seat used, start-up included. */
  fuel: [number, number];
}

function resultOf(record: MatchRecord): SummaryResult {
  const o = record.outcome;
  const drawMargin = record.rules.drawMargin;
  switch (o.reason) {
    case 'points':
      return { kind: 'points', winner: o.winner ?? 0, margin: Math.abs(o.score), drawMargin };
    case 'within-margin':
      return { kind: 'within-margin', score: o.score, drawMargin };
    case 'forfeit': {
      const winner = o.winner ?? 0;
      const loser = (1 - winner) as Seat;
      const fault = record.faults.find((f) => f.seat === loser) ?? {
        seat: loser,
        round: record.roundsPlayed + 1,
        kind: 'crashed-at-start' as const,
        message: 'no fault was recorded',
      };
      return { kind: 'forfeit', winner, fault };
    }
    case 'double-forfeit':
      return { kind: 'double-forfeit', faults: record.faults };
  }
}

export function summarizeMatch(record: MatchRecord): MatchSummary {
  const [a, b] = record.log.moves;
  const rounds = Math.min(record.roundsPlayed, a.length, b.length);
  const moves: [MoveCounts, MoveCounts] = [
    { R: 0, P: 0, S: 0 },
    { R: 0, P: 0, S: 0 },
  ];
  const streaks: [Streak | null, Streak | null] = [null, null];
  let run: Streak | null = null;
  let lead = 0;
  let lastLeader: Seat | null = null;
  let lastLeadChange: Decided['lastLeadChange'] = null;
  /** Last round after which seat 0's lead was within the margin, and seat 1's. */
  const lastLevel: [number, number] = [0, 0];

  for (let i = 0; i < rounds; i++) {
    const round = i + 1;
    const hands = [handFromCode(a[i]!), handFromCode(b[i]!)] as const;
    for (const seat of [0, 1] as const) {
      const code = (seat === 0 ? a : b)[i]!;
      if (code === 'R' || code === 'P' || code === 'S') moves[seat][code]++;
    }
    const points = hands[0] && hands[1] ? roundPoints(hands[0], hands[1]) : 0;
    lead += points;

    const winner: Seat | null = points > 0 ? 0 : points < 0 ? 1 : null;
    if (winner === null) run = null;
    else if (run && run.seat === winner) {
      run.length++;
      run.toRound = round;
    } else run = { seat: winner, length: 1, fromRound: round, toRound: round };
    if (run && run.length > (streaks[run.seat]?.length ?? 0)) streaks[run.seat] = { ...run };

    const leader: Seat | null = lead > 0 ? 0 : lead < 0 ? 1 : null;
    if (leader !== null && leader !== lastLeader) {
      lastLeadChange = { round, leader };
      lastLeader = leader;
    }
    if (lead <= record.rules.drawMargin) lastLevel[0] = round;
    if (-lead <= record.rules.drawMargin) lastLevel[1] = round;
  }

  const result = resultOf(record);
  const clinched = result.kind === 'points' ? lastLevel[result.winner] + 1 : null;
  const [s0, s1] = streaks;
  const longestStreak =
    !s0 || !s1
      ? (s0 ?? s1)
      : s1.length > s0.length || (s1.length === s0.length && s1.fromRound < s0.fromRound)
        ? s1
        : s0;

  return {
    bots: [record.bots[0].name, record.bots[1].name],
    roundsPlayed: record.roundsPlayed,
    roundsScheduled: record.rules.rounds,
    wins: [record.wins[0], record.wins[1]],
    ties: record.ties,
    score: record.outcome.score,
    result,
    moves,
    streaks,
    longestStreak,
    decided: {
      lastLeadChange,
      // A log that disagrees with the outcome (it should not) leaves no clinching round.
      clinchedAt: clinched !== null && clinched <= rounds ? clinched : null,
    },
    fuel: [totalFuel(record, 0), totalFuel(record, 1)],
  };
}

/** What each fault kind means, in words for a chat message. */
export const FAULT_WORDS: Record<FaultKind, string> = {
  'out-of-fuel': 'ran out of fuel',
  'out-of-memory': 'ran out of memory',
  'stack-exhausted': 'exhausted its stack',
  trap: 'crashed',
  'output-too-large': 'wrote too much output',
  'invalid-move': 'made an invalid move',
  timeout: 'took too long',
  'exit-nonzero': 'exited with an error',
  'crashed-at-start': 'crashed',
};

const n = (x: number) => x.toLocaleString('en-US');
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;
const when = (round: number) => (round === 0 ? 'at start-up' : `in round ${n(round)}`);

export const EMBED_FIELD_LIMIT = 1024;

export interface SummaryFormatOptions {
  /** Most characters in the text (default 1024, an embed field value). */
  maxLength?: number;
}

/** Words the summary as a few markdown lines, at most `maxLength` characters. */
export function formatMatchSummary(summary: MatchSummary, options: SummaryFormatOptions = {}): string {
  const maxLength = options.maxLength ?? EMBED_FIELD_LIMIT;
  // Escaped hostile names can be several times longer than they look: shorten them until it fits.
  for (const nameWidth of [40, 24, 12]) {
    const text = summaryLines(summary, nameWidth).join('\n');
    if (text.length <= maxLength) return text;
  }
  const text = summaryLines(summary, 12).join('\n');
  return text.slice(0, maxLength - 1) + ELLIPSIS;
}

function summaryLines(s: MatchSummary, nameWidth: number): string[] {
  const name = [proseName(s.bots[0], nameWidth), proseName(s.bots[1], nameWidth)] as const;
  const r = s.result;
  const lines: string[] = [];
  const tally = `${n(s.wins[0])}-${n(s.wins[1])}, ${plural(s.ties, 'tie')}`;
  const over =
    s.roundsPlayed === s.roundsScheduled
      ? `${n(s.roundsPlayed)} rounds`
      : `${n(s.roundsPlayed)} of ${n(s.roundsScheduled)} rounds`;

  if (r.kind === 'points') {
    lines.push(
      `**${name[r.winner]}** wins by ${plural(r.margin, 'point')} (${tally}) over ${over}; draw margin ${n(r.drawMargin)}`,
    );
  } else if (r.kind === 'within-margin') {
    lines.push(
      `Draw: ${name[0]} ${n(s.wins[0])}-${n(s.wins[1])} ${name[1]}, within the ${n(r.drawMargin)}-point draw margin (${over})`,
    );
  } else if (r.kind === 'forfeit') {
    const f = r.fault;
    lines.push(
      `**${name[r.winner]}** wins by forfeit: ${name[f.seat]} ${FAULT_WORDS[f.kind]} (${f.kind}) ${when(f.round)}`,
    );
    lines.push(`> ${faultMessage(f.message)}`);
  } else {
    const round = r.faults[0]?.round ?? s.roundsPlayed + 1;
    const kinds = r.faults.map((f) => `${name[f.seat]}: ${f.kind}`).join(', ');
    lines.push(`Draw: both bots faulted ${when(round)} (${kinds})`);
  }

  const d = s.decided;
  if (r.kind === 'points' && d.clinchedAt !== null) {
    const tookLead =
      d.lastLeadChange && d.lastLeadChange.leader === r.winner
        ? `; took the lead for good in round ${n(d.lastLeadChange.round)}`
        : '';
    lines.push(
      `Decided in round ${n(d.clinchedAt)}: ${name[r.winner]} stayed more than ${plural(r.drawMargin, 'point')} ahead from then on${tookLead}`,
    );
  } else if (r.kind === 'within-margin') {
    lines.push(
      d.lastLeadChange
        ? `The lead last changed hands in round ${n(d.lastLeadChange.round)} (to ${name[d.lastLeadChange.leader]})`
        : 'Nobody led at any point',
    );
  }

  const st = s.longestStreak;
  if (st) {
    const rounds =
      st.length === 1 ? `round ${n(st.fromRound)}` : `rounds ${n(st.fromRound)}-${n(st.toRound)}`;
    lines.push(`Longest streak: ${name[st.seat]} won ${plural(st.length, 'round')} in a row (${rounds})`);
  }
  for (const seat of [0, 1] as const) {
    const m = s.moves[seat];
    lines.push(`${name[seat]}: R ${n(m.R)} · P ${n(m.P)} · S ${n(m.S)} · ${n(s.fuel[seat])} fuel`);
  }
  return lines;
}

/** A fault message can quote the bot's own output: one line, escaped, and short. */
function faultMessage(message: string): string {
  const line = message
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
  const short = line.length > 160 ? line.slice(0, 159) + ELLIPSIS : line;
  return neutralizeMentions(escapeMarkdown(short === '' ? '(no message)' : short));
}
