import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { APIUser, Client } from 'discord.js';
import { generateStrategyBots } from '../scripts/bots/strategy-bots.js';
import { createDispatcher } from '../src/commands/dispatch.js';
import { createCommands } from '../src/commands/index.js';
import { createRateLimiter } from '../src/commands/rate-limit.js';
import { tournamentCommand } from '../src/commands/tournament.js';
import { loadConfig } from '../src/config.js';
import { createRepos } from '../src/db/repos/index.js';
import { deployCommands } from '../src/discord/deploy.js';
import type { AckSample } from '../src/discord/interactions.js';
import { startDiscord } from '../src/discord/service.js';
import { createDiscordTournamentAnnouncer } from '../src/discord/tournament-announcer.js';
import { createEngine } from '../src/engine/index.js';
import { DEFAULT_PAIR_CAP } from '../src/engine/rating-cap.js';
import { newSeed } from '../src/engine/seeds.js';
import { createTournamentService, systemClock } from '../src/engine/tournaments/index.js';
import { createScheduler } from '../src/engine/tournaments/scheduler.js';
import { sha256Hex } from '../src/sandbox/prepare/artifact.js';
import { createSandbox } from '../src/sandbox/sandbox.js';
import { silentLogger } from '../src/util/logger.js';
import { type InteractionHandle, startFakeDiscord } from '../test/support/fake-discord/index.js';
import { scratchDatabase } from './tournament.js';

/**
 * How fast every interaction is acknowledged while a 64-bot tournament runs: the whole Discord
 * transport (the real discord.js client started by startDiscord, against the project's fake
 * Discord on 127.0.0.1), the real engine, database and sandbox. The tournament (2016 matches of
 * 1000 rounds) is started first and keeps every match worker busy; meanwhile players send a
 * steady mix of interactions: /leaderboard, its page buttons (per-viewer copies and presses on
 * them), /help, /bot info, /bot list, /tournament status and history, /challenge (which waits
 * for a worker) and autocomplete. The figure is what Discord sees: from the fake sending
 * INTERACTION_CREATE on the gateway to the client's first response (the callback) arriving,
 * 3 s being Discord's limit. The target is a p99 under 200 ms.
 *
 * Run: npm run build && node dist/bench/ack.js [--bots 64] [--interactions 300] [--every 40]
 */
export interface AckBenchOptions {
  bots?: number;
  rounds?: number;
  /** Interactions to send while the tournament runs. */
  interactions?: number;
  /** Milliseconds between two interactions. */
  everyMs?: number;
  serverUrl?: string;
  log?: (line: string) => void;
}

export interface AckBenchFigures {
  bots: number;
  interactions: number;
  /** Time to acknowledgement as Discord sees it, in ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The same, measured inside the handler (onAck): without the gateway and HTTP legs. */
  handlerP50Ms: number;
  handlerP99Ms: number;
  /** The event loop's delay while the interactions were sent (the bot, its database client, the runner and the fake share it). */
  loopP99Ms: number;
  /** The machine's 1-minute load average at the end (2 cores here: above 2 means queueing for CPU). */
  loadAverage: number;
  /** Per kind of interaction: count and p99. */
  byKind: Record<string, { count: number; p50Ms: number; p99Ms: number }>;
  /** Matches the tournament had played when the last interaction was answered (it was still running). */
  tournamentDone: number;
  tournamentTotal: number;
  targetMs: number;
}

export const ACK_TARGET_MS = 200;
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const summary = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? 0 };
};

export async function runAckBench(options: AckBenchOptions = {}): Promise<AckBenchFigures> {
  const log = options.log ?? (() => {});
  const count = options.bots ?? 64;
  const rounds = options.rounds ?? 1000;
  const total = options.interactions ?? 300;
  const everyMs = options.everyMs ?? 40;
  const workers = Math.max(1, availableParallelism());
  const serverUrl =
    options.serverUrl ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_SERVER;

  const generated = await generateStrategyBots(count + 2, 7);
  const { database, drop } = await scratchDatabase(serverUrl);
  const artifacts = await mkdtemp(path.join(tmpdir(), 'throwdown-ack-artifacts-'));
  const sandbox = createSandbox({ artifactsDir: artifacts, workers });
  const fake = await startFakeDiscord({ defaultGuild: false });
  const players = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'].map((name) => fake.addUser(name));
  const guild = fake.addGuild({ name: 'Bench', members: players });
  const channel = guild.channelIds[0]!;
  let client: Client | null = null;
  const handlerAcks: AckSample[] = [];
  let stopDiscord: (() => Promise<void>) | null = null;
  let stopTournaments: (() => Promise<void>) | null = null;
  try {
    const repos = createRepos(database.db);
    const deps = {
      repos,
      sandbox,
      limits: sandbox.limits,
      defaultRounds: rounds,
      ratingCap: DEFAULT_PAIR_CAP,
      now: () => new Date(),
      newSeed,
      logger: silentLogger,
    };
    const engine = createEngine(deps);
    await repos.guilds.upsert({ id: guild.id, name: guild.name });
    // The entrants, prepared as uploads would be (not timed): owners are not on Discord.
    const store = async (bot: (typeof generated)[number], userId: string, displayName: string) => {
      const report = await sandbox.check(bot.component);
      if (!report.ok) throw new Error(`${bot.name}: ${report.error.message}`);
      const owner = await repos.players.upsert({ guildId: guild.id, userId, displayName });
      const wasm = new Uint8Array(bot.component);
      await repos.bots.submit({
        guildId: guild.id,
        ownerId: owner.id,
        name: bot.name,
        wasm,
        sha256: sha256Hex(wasm),
        meta: { interfaceKind: 'component', imports: report.value.imports, validation: { ok: true } },
      });
    };
    for (const [i, bot] of generated.slice(0, count).entries()) await store(bot, `owner-${i}`, `owner${i}`);
    log(`${count} bots stored (${database.driver})`);

    const service = createTournamentService({
      deps,
      announcer: createDiscordTournamentAnnouncer(() => client),
      concurrency: workers * 2,
    });
    const scheduler = createScheduler({
      schedules: repos.schedules,
      clock: systemClock,
      logger: silentLogger,
      defaultTimezone: 'UTC',
      defaultRounds: rounds,
      fire: (row) => service.startScheduled(row),
    });
    stopTournaments = async () => {
      scheduler.stop();
      await service.stop();
    };
    const dispatcher = createDispatcher(
      createCommands({ docsUrl: null, extra: [tournamentCommand({ service, scheduler })] }),
      createRateLimiter({ submit: 1000, challenge: 1000 }),
    );
    const config = loadConfig({
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_REST_URL: fake.restUrl,
      DISCORD_ATTACHMENT_HOSTS: fake.cdnOrigin(),
    });
    if (!config.ok) throw new Error(config.error.map((p) => p.message).join('; '));
    await deployCommands({
      token: fake.token,
      applicationId: fake.applicationId,
      guildId: null,
      restBaseUrl: fake.restUrl,
      commands: dispatcher.commands,
    });
    const discord = await startDiscord({
      config: config.value,
      dispatcher,
      engine,
      logger: silentLogger,
      globalRequestsPerSecond: 1e6,
      onAck: (sample) => handlerAcks.push(sample),
    });
    client = discord.client;
    stopDiscord = () => discord.stop();
    await fake.waitFor(() => discord.client.guilds.cache.get(guild.id), 5000, 'the guild');

    const started = await service.startNow({
      guildId: guild.id,
      channelId: channel,
      startedBy: 'bench',
      rounds,
    });
    if (!started.ok) throw new Error(started.error.message);
    const tournament = started.value;
    // Two players with bots of their own, for challenges (added after the entrants were taken).
    await store(generated[count]!, players[0]!.id, 'ann');
    await store(generated[count + 1]!, players[1]!.id, 'ben');
    log(
      `tournament #${tournament.id} running: ${tournament.totalMatches} matches; sending ${total} interactions`,
    );

    const board = fake.sendChatInput({ name: 'leaderboard', guildId: guild.id, user: players[2] });
    const boardMessage = await fake.waitFor(
      () => (board.record.loading ? undefined : board.original()),
      30_000,
      'the leaderboard',
    );
    const privateCopies: Array<{ id: string; user: APIUser }> = [];
    const botName = generated[3]!.name;
    const kinds: Array<{ kind: string; send: (user: APIUser) => InteractionHandle | null }> = [
      {
        kind: '/leaderboard',
        send: (user) => fake.sendChatInput({ name: 'leaderboard', guildId: guild.id, user }),
      },
      {
        kind: 'button (public board)',
        send: (user) =>
          fake.sendButton({
            customId: 'leaderboard:page:2',
            messageId: boardMessage.id,
            user,
            guildId: guild.id,
          }),
      },
      {
        kind: 'button (own copy)',
        send: () => {
          const copy = privateCopies.at(-1);
          return copy
            ? fake.sendButton({
                customId: 'leaderboard:page:3',
                messageId: copy.id,
                user: copy.user,
                guildId: guild.id,
              })
            : null;
        },
      },
      { kind: '/help', send: (user) => fake.sendChatInput({ name: 'help', guildId: guild.id, user }) },
      {
        kind: '/bot info',
        send: (user) =>
          fake.sendChatInput({
            name: 'bot',
            subcommand: 'info',
            guildId: guild.id,
            user,
            options: { name: botName },
          }),
      },
      {
        kind: '/bot list',
        send: (user) => fake.sendChatInput({ name: 'bot', subcommand: 'list', guildId: guild.id, user }),
      },
      {
        kind: '/tournament status',
        send: (user) =>
          fake.sendChatInput({ name: 'tournament', subcommand: 'status', guildId: guild.id, user }),
      },
      {
        kind: '/tournament history',
        send: (user) =>
          fake.sendChatInput({ name: 'tournament', subcommand: 'history', guildId: guild.id, user }),
      },
      {
        kind: '/challenge',
        send: () =>
          fake.sendChatInput({
            name: 'challenge',
            guildId: guild.id,
            user: players[0],
            options: { opponent: players[1]!, rounds: 100 },
          }),
      },
      {
        kind: 'autocomplete',
        send: (user) =>
          fake.sendAutocomplete({
            name: 'bot',
            subcommand: 'info',
            guildId: guild.id,
            user,
            options: { name: botName.slice(0, 3) },
            focused: 'name',
          }),
      },
    ];

    const sent: Array<{ kind: string; handle: InteractionHandle }> = [];
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    for (let i = 0; i < total; i++) {
      const pick = kinds[i % kinds.length]!;
      const user = players[(i * 5) % players.length]!;
      const handle = pick.send(user);
      if (handle) {
        sent.push({ kind: pick.kind, handle });
        if (pick.kind === 'button (public board)') {
          // Its answer is the presser's private copy; later presses go to it.
          void fake
            .waitFor(() => (handle.record.loading ? undefined : handle.original()), 30_000)
            .then((m) => privateCopies.push({ id: m.id, user }))
            .catch(() => {});
        }
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    // Every interaction answered (first response), then the figures from what the fake received.
    await Promise.all(sent.map(({ handle }) => handle.response(60_000)));
    loop.disable();
    const done = await repos.tournaments.resultCount(tournament.id);
    const callbackAt = new Map<string, number>();
    for (const r of fake.requests) {
      if (r.route === '/interactions/:interaction/:token/callback' && r.status < 300) {
        callbackAt.set(r.path.split('/')[2]!, r.at);
      }
    }
    const samples = sent.map(({ kind, handle }) => ({
      kind,
      ms: (callbackAt.get(handle.id) ?? Number.NaN) - handle.record.createdAt,
    }));
    const missing = samples.filter((s) => !Number.isFinite(s.ms));
    if (missing.length) throw new Error(`${missing.length} interactions got no successful first response`);
    const all = summary(samples.map((s) => s.ms));
    const inside = summary(handlerAcks.map((s) => s.ms));
    const byKind: AckBenchFigures['byKind'] = {};
    for (const kind of new Set(samples.map((s) => s.kind))) {
      const of = summary(samples.filter((s) => s.kind === kind).map((s) => s.ms));
      byKind[kind] = { count: samples.filter((s) => s.kind === kind).length, p50Ms: of.p50, p99Ms: of.p99 };
    }
    return {
      bots: count,
      interactions: samples.length,
      p50Ms: all.p50,
      p99Ms: all.p99,
      maxMs: all.max,
      handlerP50Ms: inside.p50,
      handlerP99Ms: inside.p99,
      loopP99Ms: loop.percentile(99) / 1e6,
      loadAverage: loadavg()[0] ?? 0,
      byKind,
      tournamentDone: done,
      tournamentTotal: tournament.totalMatches,
      targetMs: ACK_TARGET_MS,
    };
  } finally {
    await stopTournaments?.();
    await stopDiscord?.();
    await fake.close();
    await sandbox.close();
    await database.close();
    await drop();
    await rm(artifacts, { recursive: true, force: true });
  }
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await runAckBench({
    bots: flag('bots'),
    interactions: flag('interactions'),
    everyMs: flag('every'),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  const r = Math.round;
  process.stdout.write(
    `${figures.interactions} interactions during a ${figures.bots}-bot tournament ` +
      `(${figures.tournamentDone}/${figures.tournamentTotal} matches played by the last answer):\n` +
      `  acknowledged p50 ${r(figures.p50Ms)} ms, p99 ${r(figures.p99Ms)} ms, max ${r(figures.maxMs)} ms ` +
      `(target p99 < ${figures.targetMs} ms: ${figures.p99Ms < figures.targetMs ? 'met' : 'MISSED'})\n` +
      `  inside the handler: p50 ${r(figures.handlerP50Ms)} ms, p99 ${r(figures.handlerP99Ms)} ms; ` +
      `event-loop delay p99 ${r(figures.loopP99Ms)} ms; load average ${figures.loadAverage.toFixed(1)}\n` +
      Object.entries(figures.byKind)
        .map(
          ([kind, k]) =>
            `  ${kind.padEnd(22)} ${String(k.count).padStart(4)}  p50 ${r(k.p50Ms)} ms  p99 ${r(k.p99Ms)} ms`,
        )
        .join('\n') +
      '\n',
  );
}
