import { BOT_NAME_MAX } from '../engine/bot-names.js';
import { userError } from '../engine/errors.js';
import { ownerLabel } from '../engine/player-tag.js';
import { handFromCode } from '../games/rps.js';
import { codeBlockText, proseName, proseText } from '../render/escape.js';
import { FAULT_WORDS } from '../render/match-summary.js';
import { codeBlock } from '../render/table.js';
import { discordTimestamp } from '../render/time.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import { INT4_MAX } from './check-input.js';
import { botLabel, n } from './format.js';
import { COLORS, type Reply } from './reply.js';
import type { Command, CommandContext, CommandInput, HandlerResult } from './types.js';

const nameOption = {
  name: 'name',
  description: 'Your bot',
  type: 'string',
  required: true,
  maxLength: BOT_NAME_MAX,
  autocomplete: 'own-bots',
} as const;

function who(ctx: CommandContext, input: CommandInput) {
  return { guild: ctx.guild, owner: ctx.user, name: String(input.options.name ?? '') };
}

async function info(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const result = await ctx.engine.botInfo(who(ctx, input));
  if (!result.ok) return result.error;
  const { bot, current, versions, display, rating, rank, recent } = result.value;
  const lines = [
    `**Status:** ${bot.retiredAt ? `retired ${discordTimestamp(bot.retiredAt, 'R')}` : 'active'}`,
    `**Current version:** ${current ? `${current.version} of ${versions} (${current.interfaceKind}, ${formatSize(current.sizeBytes)}, uploaded ${discordTimestamp(current.createdAt, 'R')})` : 'none'}`,
    `**Rating:** ${display ?? '-'}${rank ? ` (#${rank.rank} of ${rank.total})` : ''}${rating ? ` · ${rating.wins}-${rating.losses}-${rating.draws} in ${rating.played}` : ''}`,
  ];
  if (recent.length) {
    lines.push('', '**Recent matches:**');
    for (const m of recent) {
      const seat = m.bot0Id === bot.id ? 0 : 1;
      const opponent =
        seat === 0
          ? botLabel(ownerLabel(m.owner1Name, m.owner1UserId), m.bot1Name)
          : botLabel(ownerLabel(m.owner0Name, m.owner0UserId), m.bot0Name);
      const verdict = m.winnerSeat === null ? 'draw' : m.winnerSeat === seat ? 'won' : 'lost';
      lines.push(
        `#${m.id} vs ${opponent}: ${verdict} (${seat === 0 ? m.score : -m.score}) ${discordTimestamp(m.finishedAt, 'R')}`,
      );
    }
  }
  return {
    ephemeral: true,
    embeds: [{ title: bot.name, color: COLORS.info, description: lines.join('\n') }],
  };
}

async function versions(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const result = await ctx.engine.botVersions(who(ctx, input));
  if (!result.ok) return result.error;
  const { bot, versions: list } = result.value;
  const rows = list.slice(0, 20).map((v) => {
    const mark = v.id === bot.currentVersionId ? '>' : ' ';
    return `${mark} v${String(v.version).padEnd(3)} ${v.interfaceKind.padEnd(9)} ${formatSize(v.sizeBytes).padStart(9)}  ${v.sha256.slice(0, 12)}`;
  });
  return {
    ephemeral: true,
    embeds: [
      {
        title: `${bot.name}: versions`,
        color: COLORS.info,
        description: `${codeBlock(rows.join('\n'))}\n> marks the current version. Go back with \`/bot rollback\`.`,
      },
    ],
  };
}

async function setActive(ctx: CommandContext, input: CommandInput, active: boolean): Promise<HandlerResult> {
  const result = await ctx.engine.setBotActive({ ...who(ctx, input), active });
  if (!result.ok) return result.error;
  const { bot, changed } = result.value;
  const text = active
    ? changed
      ? `**${bot.name}** is active again and will play in challenges and tournaments.`
      : `**${bot.name}** was already active.`
    : changed
      ? `**${bot.name}** is retired: it keeps its history and rating but leaves the leaderboard and plays no new matches.`
      : `**${bot.name}** was already retired.`;
  return { ephemeral: true, embeds: [{ description: text, color: COLORS.ok }] };
}

async function rollback(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const version = input.options.version as number | undefined;
  if (!version) return userError('invalid-input', 'Say which version to go back to.');
  const result = await ctx.engine.rollbackBot({ ...who(ctx, input), version });
  if (!result.ok) return result.error;
  return {
    ephemeral: true,
    embeds: [{ description: `**${result.value.bot.name}** now plays version ${version}.`, color: COLORS.ok }],
  };
}

async function log(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const result = await ctx.engine.matchLog({
    ...who(ctx, input),
    matchId: (input.options.match as number | undefined) ?? null,
  });
  if (!result.ok) return result.error;
  const { match, seat } = result.value;
  const other = seat === 0 ? 1 : 0;
  const moves = match.log.moves;
  const fuel = match.log.fuel[seat];
  const micros = match.moveMicros?.[seat] ?? [];
  const csv = ['round,my_move,their_move,my_fuel,my_micros'];
  for (let i = 0; i < moves[seat].length; i++) {
    csv.push(
      [
        i + 1,
        handFromCode(moves[seat][i]!) ?? 'fault',
        handFromCode(moves[other][i]!) ?? 'fault',
        fuel[i] ?? '',
        micros[i] ?? '',
      ].join(','),
    );
  }
  const myFaults = match.faults.filter((f) => f.seat === seat);
  const stderr = seat === 0 ? match.stderr0 : match.stderr1;
  const totalFuel = seat === 0 ? match.fuel0 : match.fuel1;
  const maxFuel = Math.max(0, ...fuel);
  const lines = [
    `Seat ${seat} against **${proseName(seat === 0 ? match.bot1Name : match.bot0Name, 60)}**, ${match.roundsPlayed} of ${match.rounds} rounds, seed \`${match.seed}\`.`,
    `**Fuel:** ${n(totalFuel)} in all, at most ${n(maxFuel)} in one move (limit ${n(Number(match.limits.fuelPerMove ?? 0))}).`,
  ];
  if (micros.length)
    lines.push(`**Time:** ${n(micros.reduce((a, b) => a + b, 0) / micros.length)} µs per move on average.`);
  for (const f of myFaults) {
    lines.push(
      `**Fault** in ${f.round === 0 ? 'start-up' : `round ${f.round}`}: ${FAULT_WORDS[f.kind]}: ${proseText(f.message, 600)}`,
    );
  }
  if (!myFaults.length) lines.push('No faults.');
  const reply: Reply = {
    ephemeral: true,
    embeds: [
      {
        title: `Match #${match.id}: your bot's log`,
        color: myFaults.length ? COLORS.error : COLORS.info,
        description: lines.join('\n'),
        // The bot wrote this: nothing in it may close the code block (or ping anyone).
        fields: [
          {
            name: 'stderr (last bytes)',
            value: match.logsCompactedAt
              ? '(dropped to save space, with the per-move times; moves and fuel are kept)'
              : codeBlock(codeBlockText(stderr.slice(-900), 1000) || '(nothing)'),
          },
        ],
        footer: 'Every round is in the attached CSV.',
      },
    ],
    files: [
      { name: `match-${match.id}-seat${seat}.csv`, data: new TextEncoder().encode(`${csv.join('\n')}\n`) },
    ],
  };
  return reply;
}

/** /bot: the owner's view of their bots. */
export const botCommand: Command = {
  name: 'bot',
  description: 'Manage your bots: info, versions, retire, activate, rollback, log',
  defer: 'ephemeral',
  subcommands: [
    { name: 'info', description: 'Status, rating and recent matches of your bot', options: [nameOption] },
    { name: 'versions', description: "Your bot's uploaded versions", options: [nameOption] },
    { name: 'retire', description: 'Stop your bot playing (keeps its history)', options: [nameOption] },
    { name: 'activate', description: 'Bring a retired bot back', options: [nameOption] },
    {
      name: 'rollback',
      description: 'Make an earlier version current again',
      options: [
        nameOption,
        {
          name: 'version',
          description: 'Version number',
          type: 'integer',
          required: true,
          min: 1,
          max: INT4_MAX,
        },
      ],
    },
    {
      name: 'log',
      description: "A match's per-move fuel, time, stderr and faults (only you see it)",
      options: [
        nameOption,
        {
          name: 'match',
          description: 'Match id (default: the latest)',
          type: 'integer',
          min: 1,
          max: INT4_MAX,
        },
      ],
    },
  ],
  async handle(ctx, input) {
    switch (input.subcommand) {
      case 'info':
        return info(ctx, input);
      case 'versions':
        return versions(ctx, input);
      case 'retire':
        return setActive(ctx, input, false);
      case 'activate':
        return setActive(ctx, input, true);
      case 'rollback':
        return rollback(ctx, input);
      case 'log':
        return log(ctx, input);
      default:
        return userError('invalid-input', 'Choose one of info, versions, retire, activate, rollback or log.');
    }
  },
};
