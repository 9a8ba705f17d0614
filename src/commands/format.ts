import { proseName } from '../render/escape.js';
import type { Limits } from '../sandbox/limits.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import type { BotReport } from '../sandbox/types.js';

/** Small wording helpers shared by several commands. */
export const n = (x: number) => Math.round(x).toLocaleString('en-US');

export function describeLimits(limits: Limits): string {
  return [
    `Fuel: ${n(limits.fuelPerMove)} instructions per move, ${n(limits.fuelPerInstantiation)} to start up, ${n(limits.fuelPerMatch)} per match`,
    `Memory: ${formatSize(limits.memoryBytes)} per linear memory; stack ${formatSize(limits.stackBytes)}`,
    `Output: ${formatSize(limits.stdoutBytes)} stdout and ${formatSize(limits.stderrBytes)} stderr per move`,
    `Upload: at most ${formatSize(limits.moduleBytes)}`,
  ].join('\n');
}

export function describeReport(report: BotReport): string {
  const lines = [
    `**Kind:** ${report.kind === 'component' ? 'component (throwdown:rps player world)' : 'command (WASI preview1, Snippy protocol)'}`,
    `**Size:** ${formatSize(report.size)}`,
    `**Imports:** ${report.imports.length ? report.imports.map((i) => `\`${i}\``).join(', ') : 'none'}`,
  ];
  if (report.smoke) {
    lines.push(
      `**Test match:** ${report.smoke.rounds} rounds against a reference bot, ${n(report.smoke.meanMoveFuel)} fuel per move (max ${n(report.smoke.maxMoveFuel)})`,
    );
  }
  for (const note of report.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}

export function botLabel(ownerName: string, botName: string): string {
  return `${proseName(ownerName, 32)}/${proseName(botName, 32)}`;
}
