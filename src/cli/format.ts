import type { MatchRecord } from '../games/match-record.js';
import { handFromCode } from '../games/rps.js';
import { tableLines } from '../render/table.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import type { BotReport, Rejection } from '../sandbox/types.js';

const n = (x: number) => x.toLocaleString('en-US');

export function formatReport(label: string, report: BotReport): string {
  const lines = [
    `${label}: accepted`,
    `  kind     ${report.kind === 'component' ? 'component (throwdown:rps player world)' : 'command (WASI preview1, Snippy protocol)'}`,
    `  size     ${formatSize(report.size)}`,
    `  sha256   ${report.sha256}`,
    `  imports  ${report.imports.length ? report.imports.join(', ') : '(none)'}`,
    `  exports  ${report.exports.join(', ')}`,
  ];
  if (report.callPath)
    lines.push(`  calls    ${report.callPath === 'direct' ? 'direct (fast path)' : 'through jco bindings'}`);
  if (report.smoke) {
    const s = report.smoke;
    lines.push(
      `  test     ${s.rounds} rounds vs a reference bot: ${n(s.meanMoveFuel)} fuel/move (max ${n(s.maxMoveFuel)}), start-up ${n(s.startFuel)} fuel, ~${n(s.meanMoveMicros)} µs/move`,
    );
  }
  for (const note of report.notes) lines.push(`  note     ${note}`);
  return lines.join('\n');
}

export function formatRejection(label: string, rejection: Rejection): string {
  return `${label}: rejected (${rejection.code})\n  ${rejection.message}`;
}

export function formatMatch(record: MatchRecord): string {
  const [a, b] = record.bots.map((bot) => bot.name) as [string, string];
  const o = record.outcome;
  const headline =
    o.winner === null
      ? o.reason === 'double-forfeit'
        ? 'Draw: both bots faulted in the same round'
        : `Draw: ${a} ${record.wins[0]} - ${record.wins[1]} ${b} is within the ${record.rules.drawMargin}-point draw margin`
      : o.reason === 'forfeit'
        ? `${o.winner === 0 ? a : b} wins by forfeit`
        : `${o.winner === 0 ? a : b} wins by ${Math.abs(o.score)} points (${record.wins[0]}-${record.wins[1]}, ${record.ties} ties)`;
  const width = Math.max(a.length, b.length, 4);
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  const row = (seat: 0 | 1) => {
    const fuel = record.log.fuel[seat];
    const micros = record.timing.moveMicros[seat];
    const total = record.startFuel[seat] + sum(fuel);
    return [
      record.bots[seat].name.padEnd(width),
      n(total).padStart(14),
      `${n(Math.round(sum(fuel) / Math.max(1, fuel.length)))} / ${n(Math.max(0, ...fuel))}`.padStart(22),
      `${n(Math.round(sum(micros) / Math.max(1, micros.length)))} µs`.padStart(12),
    ].join('  ');
  };
  const lines = [
    `${a} vs ${b}: ${record.roundsPlayed} of ${record.rules.rounds} rounds, seed ${record.seed}`,
    headline,
    '',
    [
      'bot'.padEnd(width),
      'fuel total'.padStart(14),
      'fuel/move mean / max'.padStart(22),
      'time/move'.padStart(12),
    ].join('  '),
    row(0),
    row(1),
  ];
  for (const f of record.faults) {
    lines.push(
      '',
      `Fault: ${record.bots[f.seat].name} ${f.round === 0 ? 'at start-up' : `in round ${f.round}`}: ${f.kind}: ${f.message}`,
    );
  }
  return lines.join('\n');
}

/**
 * `match --trace`: every round with each bot's move and the fuel it spent, the round a fault
 * ended the match, then the last bytes each bot wrote to stderr (and, for components, its
 * arena.debug log). The sandbox keeps stderr per match, not per round.
 */
export function formatTrace(record: MatchRecord): string {
  const [a, b] = record.bots.map((bot) => bot.name) as [string, string];
  const rounds = Math.max(record.log.moves[0].length, record.log.moves[1].length);
  const faultIn = new Map(record.faults.map((f) => [`${f.seat}:${f.round}`, f.kind]));
  const move = (seat: 0 | 1, i: number) =>
    handFromCode(record.log.moves[seat][i] ?? '') ?? `(${faultIn.get(`${seat}:${i + 1}`) ?? 'no move'})`;
  const rows = Array.from({ length: rounds }, (_, i) => i);
  const lines = tableLines<number>(
    [
      { header: 'round', align: 'right', cell: (i) => String(i + 1) },
      { header: a, cell: (i) => move(0, i) },
      { header: 'fuel', align: 'right', cell: (i) => n(record.log.fuel[0][i] ?? 0) },
      { header: b, cell: (i) => move(1, i) },
      { header: 'fuel', align: 'right', cell: (i) => n(record.log.fuel[1][i] ?? 0) },
    ],
    rows,
    { maxWidth: 120 },
  );
  if (record.startFuel[0] || record.startFuel[1]) {
    lines.unshift(`start-up fuel: ${a} ${n(record.startFuel[0])}, ${b} ${n(record.startFuel[1])}`);
  }
  for (const seat of [0, 1] as const) {
    const text = record.stderr[seat];
    lines.push(
      '',
      text
        ? `stderr of ${record.bots[seat].name} (last bytes of the match):`
        : `stderr of ${record.bots[seat].name}: (empty)`,
    );
    if (text)
      lines.push(
        ...text
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => `  | ${l}`),
      );
  }
  return lines.join('\n');
}
