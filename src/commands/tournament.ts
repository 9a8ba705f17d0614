import { userError } from '../engine/errors.js';
import { DEFAULT_FORMAT, describe, FORMAT_NAMES } from '../engine/formats/index.js';
import { MAX_MATCH_ROUNDS } from '../engine/match-length.js';
import { FORMAT_LABELS } from '../engine/tournaments/create.js';
import { MAX_CRON_LENGTH, MAX_TIMEZONE_LENGTH } from '../engine/tournaments/cron.js';
import type { Scheduler } from '../engine/tournaments/scheduler.js';
import type { TournamentService } from '../engine/tournaments/service.js';
import { discordTimestamp } from '../render/time.js';
import { INT4_MAX } from './check-input.js';
import { COLORS, type Reply } from './reply.js';
import {
  describeSchedule,
  historyEmbed,
  pastStandingsReply,
  postingProblem,
  statusEmbed,
} from './tournament-messages.js';
import type {
  ChannelValue,
  Command,
  CommandContext,
  CommandInput,
  HandlerResult,
  OptionSpec,
} from './types.js';

/** What /tournament drives: the running service and the scheduler (both from src/main.ts). */
export interface TournamentControls {
  service: TournamentService;
  scheduler: Scheduler;
}

/** Words that turn the schedule off instead of setting it. */
const OFF = new Set(['off', 'none', 'disable', 'stop']);

const formatOption: OptionSpec = {
  name: 'format',
  description: 'Tournament format (default: round robin)',
  type: 'string',
  choices: FORMAT_NAMES.map((f) => ({ name: `${FORMAT_LABELS[f]}: ${describe(f)}`.slice(0, 100), value: f })),
};
const roundsOption: OptionSpec = {
  name: 'rounds',
  description: 'Rounds per match (default 1000)',
  type: 'integer',
  min: 1,
  max: MAX_MATCH_ROUNDS,
};

const ok = (text: string): Reply => ({ ephemeral: true, embeds: [{ description: text, color: COLORS.ok }] });

async function schedule(
  c: TournamentControls,
  ctx: CommandContext,
  input: CommandInput,
): Promise<HandlerResult> {
  const cron = String(input.options.cron ?? '').trim();
  if (OFF.has(cron.toLowerCase())) {
    const off = await c.scheduler.disable(ctx.guild.id, ctx.user.userId);
    if (!off.ok) return off.error;
    return ok('Scheduled tournaments are off. `/tournament run-now` still starts one.');
  }
  const channel = (input.options.channel as ChannelValue | undefined)?.id ?? ctx.channelId;
  if (!channel) return userError('invalid-input', 'Choose the channel tournaments are announced in.');
  await ctx.engine.deps.repos.guilds.upsert(ctx.guild);
  const set = await c.scheduler.set({
    guildId: ctx.guild.id,
    cron,
    channelId: channel,
    format: (input.options.format as string | undefined) ?? null,
    rounds: (input.options.rounds as number | undefined) ?? null,
    timezone: (input.options.timezone as string | undefined) ?? null,
    updatedBy: ctx.user.userId,
  });
  if (!set.ok) return set.error;
  return ok(`Tournaments scheduled.\n${describeSchedule(set.value)}`);
}

async function runNow(
  c: TournamentControls,
  ctx: CommandContext,
  input: CommandInput,
): Promise<HandlerResult> {
  const channel = (input.options.channel as ChannelValue | undefined)?.id ?? ctx.channelId;
  await ctx.engine.deps.repos.guilds.upsert(ctx.guild);
  const started = await c.service.startNow({
    guildId: ctx.guild.id,
    channelId: channel,
    format: (input.options.format as string | undefined) ?? DEFAULT_FORMAT,
    rounds: (input.options.rounds as number | undefined) ?? null,
    startedBy: ctx.user.userId,
  });
  if (!started.ok) {
    // Advice for managers goes to the manager who asked, not into the engine's wording (which a
    // skipped scheduled run posts in the channel for everyone).
    return started.error.code === 'tournament-active'
      ? userError(
          'tournament-active',
          `${started.error.message} Wait for it to finish, or stop it with /tournament cancel.`,
        )
      : started.error;
  }
  const t = started.value;
  const head =
    `${FORMAT_LABELS[t.format]} tournament #${t.id} started ${discordTimestamp(t.createdAt, 'R')}: ` +
    `${t.entrants.length} bots, ${t.totalMatches} matches of ${t.rounds} rounds.`;
  if (!channel) return ok(head);
  // The runner posts the start message at once; wait (briefly) to see whether it could, so the
  // organiser hears about a channel Throwdown cannot post in now rather than never.
  const announced = await announcement(ctx, t.id);
  if (announced && announced.progressMessageId === null) {
    return {
      ephemeral: true,
      embeds: [{ description: `${head}\n${postingProblem(channel)}`, color: COLORS.warn }],
    };
  }
  return ok(`${head} Progress and results go to <#${channel}>.`);
}

/** The tournament once its start was announced (no longer pending), or null after `waitMs`. */
async function announcement(ctx: CommandContext, id: number, waitMs = 5000) {
  const until = Date.now() + waitMs;
  for (;;) {
    const t = await ctx.engine.deps.repos.tournaments.get(id);
    if (t?.status !== 'pending') return t;
    if (Date.now() >= until) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function status(c: TournamentControls, ctx: CommandContext): Promise<HandlerResult> {
  const [current, sched] = await Promise.all([c.service.status(ctx.guild.id), c.scheduler.get(ctx.guild.id)]);
  return { ephemeral: true, embeds: [statusEmbed(current, sched, ctx.now(), { manager: ctx.isAdmin })] };
}

async function standings(c: TournamentControls, ctx: CommandContext, input: CommandInput) {
  const id = input.options.id as number | undefined;
  const recent = await c.service.history(ctx.guild.id, 25);
  const t =
    id === undefined
      ? recent.find((r) => r.status === 'finished')
      : (recent.find((r) => r.id === id) ?? (await ctx.engine.deps.repos.tournaments.get(id)));
  if (!t || t.guildId !== ctx.guild.id) {
    return userError(
      'no-tournament',
      id === undefined
        ? 'No tournament has finished here yet. `/tournament status` says when the next one is.'
        : `There is no tournament #${id} here. \`/tournament history\` lists them.`,
    );
  }
  return pastStandingsReply(t, ctx.user.userId);
}

async function cancel(c: TournamentControls, ctx: CommandContext): Promise<HandlerResult> {
  const cancelled = await c.service.cancel(ctx.guild.id, ctx.user.userId);
  if (!cancelled.ok) return cancelled.error;
  const t = cancelled.value;
  const done = await ctx.engine.deps.repos.tournaments.resultCount(t.id);
  return ok(
    `Tournament #${t.id} is cancelled after ${done} of ${t.totalMatches} matches. Matches already ` +
      'played stay played and rated; the schedule (if any) goes on as before.',
  );
}

async function history(c: TournamentControls, ctx: CommandContext): Promise<HandlerResult> {
  return { ephemeral: true, embeds: [historyEmbed(await c.service.history(ctx.guild.id, 10))] };
}

/**
 * /tournament: schedule, start, watch, stop and look back on tournaments. Everyone can see them
 * (status with the next run, history, a tournament's standings); only server managers schedule,
 * start and cancel (those subcommands are adminOnly, refused by the dispatcher before anything
 * is shown). Transport-neutral: Discord and the console render the replies; the tournaments'
 * own messages go through the announcer. `controls` null gives the definition alone (what
 * deploy-commands registers).
 */
export function tournamentCommand(controls: TournamentControls | null): Command {
  return {
    name: 'tournament',
    description: 'Tournaments of every active bot: when the next is, results, and (managers) running them',
    defer: 'ephemeral',
    subcommands: [
      {
        name: 'schedule',
        description: 'Managers: run tournaments on a cron schedule in a channel ("off" to stop)',
        adminOnly: true,
        options: [
          {
            name: 'cron',
            description: 'e.g. "0 20 * * 5" for Fridays 20:00; "off" turns scheduling off',
            type: 'string',
            required: true,
            maxLength: MAX_CRON_LENGTH,
            words: true,
          },
          {
            name: 'channel',
            description: 'Where progress and results are posted (default: here)',
            type: 'channel',
          },
          formatOption,
          roundsOption,
          {
            name: 'timezone',
            description:
              'IANA timezone the schedule is read in, e.g. Europe/Berlin (default: the server setting)',
            type: 'string',
            maxLength: MAX_TIMEZONE_LENGTH,
          },
        ],
      },
      {
        name: 'run-now',
        description: 'Managers: start a tournament of every active bot now',
        adminOnly: true,
        options: [
          formatOption,
          roundsOption,
          { name: 'channel', description: 'Where to post (default: here)', type: 'channel' },
        ],
      },
      { name: 'status', description: 'The running tournament and when the next one starts' },
      {
        name: 'cancel',
        description: 'Managers: stop the running tournament (played matches stay rated)',
        adminOnly: true,
      },
      { name: 'history', description: 'Recent tournaments and their winners' },
      {
        name: 'standings',
        description: "A tournament's final standings (default: the latest finished)",
        options: [
          {
            name: 'id',
            description: 'Tournament number, from /tournament history',
            type: 'integer',
            min: 1,
            max: INT4_MAX,
          },
        ],
      },
    ],
    async handle(ctx, input) {
      // Without controls the command is only a definition (e.g. for registering commands).
      if (!controls) return userError('unavailable', 'Tournaments are not running in this process.');
      switch (input.subcommand) {
        case 'schedule':
          return schedule(controls, ctx, input);
        case 'run-now':
          return runNow(controls, ctx, input);
        case 'status':
          return status(controls, ctx);
        case 'cancel':
          return cancel(controls, ctx);
        case 'history':
          return history(controls, ctx);
        case 'standings':
          return standings(controls, ctx, input);
        default:
          return userError(
            'invalid-input',
            'Use one of: status, history, standings, schedule, run-now, cancel.',
          );
      }
    },
  };
}
