import { BOT_NAME_MAX } from '../engine/bot-names.js';
import { userError } from '../engine/errors.js';
import { ownerLabel } from '../engine/player-tag.js';
import { isProvisional, PROVISIONAL_GAMES } from '../engine/ratings.js';
import { handFromCode } from '../games/rps.js';
import { codeBlockText, proseName, proseText } from '../render/escape.js';
import { FAULT_WORDS } from '../render/match-summary.js';
import { formatRecord, RECORD_HEADER } from '../render/record.js';
import { codeBlock, renderTable } from '../render/table.js';
import { discordTimestamp } from '../render/time.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import { INT4_MAX } from './check-input.js';
import { botLabel, n } from './format.js';
import { COLORS, type Reply } from './reply.js';
import type { Command, CommandContext, CommandInput, HandlerResult, UserValue } from './types.js';

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

/** A bot named by anyone: the name, and the owner when given. */
function anyBot(input: CommandInput, name: string, owner: string) {
  return {
    name: String(input.options[name] ?? ''),
    ownerUserId: (input.options[owner] as UserValue | undefined)?.id ?? null,
  };
}

const ratingText = (display: number | null, played: number) =>
  display === null ? 'unrated' : `${display}${isProvisional(played) ? '? (provisional)' : ''}`;

/** Public facts of anyone's bot; the owner also gets the way to its logs. */
async function info(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const result = await ctx.engine.publicBotInfo({
    guild: ctx.guild,
    viewerUserId: ctx.user.userId,
    bot: anyBot(input, 'name', 'owner'),
  });
  if (!result.ok) return result.error;
  const { bot, owner, isOwner, current, versions, display, rating, rank, recent } = result.value;
  const played = rating?.played ?? 0;
  const lines = [
    `**Owner:** ${proseName(ownerLabel(owner.displayName, owner.userId), 40)}`,
    `**Status:** ${bot.retiredAt ? `retired ${discordTimestamp(bot.retiredAt, 'R')}` : 'active'}`,
    `**Current version:** ${current ? `${current.version} of ${versions} (${current.interfaceKind}, ${formatSize(current.sizeBytes)}, uploaded ${discordTimestamp(current.createdAt, 'R')})` : 'none'}`,
    `**Rating:** ${ratingText(display, played)}${rank ? ` (#${rank.rank} of ${rank.total})` : ''}`,
    `**Record (${RECORD_HEADER}):** ${rating ? `${formatRecord(rating)} in ${played} game${played === 1 ? '' : 's'}` : 'no games yet'}`,
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
    embeds: [
      {
        title: proseName(bot.name, 64),
        color: COLORS.info,
        description: lines.join('\n'),
        footer: isOwner
          ? 'Your bot: /bot log shows its moves, fuel and stderr; /bot versions its uploads.'
          : 'Logs and stderr are shown to the owner only.',
      },
    ],
  };
}

/** A player's bots (yours by default), each with its rating and place. */
async function list(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const owner = input.options.owner as UserValue | undefined;
  const ownerUserId = owner?.id ?? ctx.user.userId;
  const self = ownerUserId === ctx.user.userId;
  const { ownerName, bots } = await ctx.engine.playerBots({ guild: ctx.guild, ownerUserId });
  const name = ownerName ?? owner?.displayName ?? ctx.user.displayName;
  if (bots.length === 0) {
    return {
      ephemeral: true,
      embeds: [
        {
          color: COLORS.info,
          description: self
            ? 'You have no bots yet. Upload one with `/submit` (see `/help` for how to write one).'
            : `${proseName(name, 40)} has no bots here.`,
        },
      ],
    };
  }
  const table = renderTable(
    [
      { header: 'bot', cell: (b: (typeof bots)[number]) => b.bot.name, flexible: true, minWidth: 6 },
      { header: '#', align: 'right', cell: (b) => (b.rank ? String(b.rank) : '-') },
      {
        header: 'rating',
        align: 'right',
        cell: (b) =>
          b.display === null ? '-' : `${b.display}${isProvisional(b.rating?.played ?? 0) ? '?' : ''}`,
      },
      { header: RECORD_HEADER, align: 'right', cell: (b) => (b.rating ? formatRecord(b.rating) : '-') },
    ],
    bots,
    { detail: { cell: (b) => (b.bot.retiredAt ? 'retired' : null), under: 0 } },
  );
  const legend = bots.some((b) => b.display !== null && isProvisional(b.rating?.played ?? 0))
    ? `\n\`?\` provisional: under ${PROVISIONAL_GAMES} games`
    : '';
  return {
    ephemeral: true,
    embeds: [
      {
        title: self ? 'Your bots' : `${proseName(name, 40)}'s bots`,
        color: COLORS.info,
        description: `${codeBlock(table)}${legend}`,
        footer: 'Details: /bot info name:<bot>',
      },
    ],
  };
}

/** The record between two bots, anyone's. */
async function headToHead(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const result = await ctx.engine.headToHead({
    guild: ctx.guild,
    viewerUserId: ctx.user.userId,
    a: anyBot(input, 'name', 'owner'),
    b: anyBot(input, 'other', 'other_owner'),
  });
  if (!result.ok) return result.error;
  const { a, b, record } = result.value;
  const label = (f: typeof a) => `**${proseName(f.bot.name, 32)}** (${proseName(f.owner.displayName, 32)})`;
  const text =
    record.played === 0
      ? 'They have not played each other yet. `/challenge` them to find out.'
      : [
          `${record.played} match${record.played === 1 ? '' : 'es'} (challenges and tournaments):`,
          `${label(a)}: ${record.winsA} won, ${record.draws} drawn, ${record.winsB} lost`,
          `Record (${RECORD_HEADER}) from ${proseName(a.bot.name, 32)}'s side: **${formatRecord({ wins: record.winsA, draws: record.draws, losses: record.winsB })}**`,
        ].join('\n');
  return {
    ephemeral: true,
    embeds: [
      { title: 'Head to head', color: COLORS.info, description: `${label(a)} vs ${label(b)}\n${text}` },
    ],
  };
}

async function versions(ctx: CommandContext, input: CommandInput): Promise<HandlerResult> {
  const result = await ctx.engine.botVersions(who(ctx, input));
  if (!result.ok) return result.error;
  const { bot, versions: list } = result.value;
  const table = renderTable(
    [
      { header: 'ver', cell: (v: (typeof list)[number]) => `v${v.version}` },
      { header: 'kind', cell: (v) => v.interfaceKind },
      { header: 'size', align: 'right', cell: (v) => formatSize(v.sizeBytes) },
      { header: 'sha256', cell: (v) => v.sha256.slice(0, 8) },
    ],
    list.slice(0, 20),
    { marker: { mark: (v) => v.id === bot.currentVersionId } },
  );
  return {
    ephemeral: true,
    embeds: [
      {
        title: `${proseName(bot.name, 64)}: versions`,
        color: COLORS.info,
        description: `${codeBlock(table)}\n\`*\` the current version. Go back with \`/bot rollback\`.`,
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

const anyBotOption = {
  name: 'name',
  description: "The bot (anyone's)",
  type: 'string',
  required: true,
  maxLength: BOT_NAME_MAX,
  autocomplete: 'guild-bots',
  ownerOption: 'owner',
} as const;
const ownerOption = {
  name: 'owner',
  description: 'Whose bot, when several have that name (default: the only one, or yours)',
  type: 'user',
} as const;

/** /bot: anyone's bots (info, list, head-to-head) and the owner's management of theirs. */
export const botCommand: Command = {
  name: 'bot',
  description: "Bots: anyone's info, lists and head-to-head; manage yours (versions, retire, log...)",
  defer: 'ephemeral',
  subcommands: [
    {
      name: 'info',
      description: 'Owner, versions, rating, record and recent matches of any bot',
      options: [anyBotOption, ownerOption],
    },
    {
      name: 'list',
      description: "A player's bots with their ratings (default: yours)",
      options: [{ name: 'owner', description: 'Whose bots (default: yours)', type: 'user' }],
    },
    {
      name: 'head-to-head',
      description: 'The record between two bots',
      options: [
        anyBotOption,
        {
          name: 'other',
          description: 'The other bot',
          type: 'string',
          required: true,
          maxLength: BOT_NAME_MAX,
          autocomplete: 'guild-bots',
          ownerOption: 'other_owner',
        },
        ownerOption,
        {
          name: 'other_owner',
          description: "The other bot's owner, when several have that name",
          type: 'user',
        },
      ],
    },
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
      case 'list':
        return list(ctx, input);
      case 'head-to-head':
        return headToHead(ctx, input);
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
        return userError(
          'invalid-input',
          'Choose one of info, list, head-to-head, versions, retire, activate, rollback or log.',
        );
    }
  },
};
