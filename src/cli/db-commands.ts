import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { challengeCommand } from '../commands/challenge.js';
import { isUserError } from '../engine/errors.js';
import type { Engine } from '../engine/index.js';
import { renderLeaderboard } from '../render/leaderboard.js';
import { renderReply } from './console/render.js';
import { CliError, usageError } from './errors.js';
import type { Output } from './local-commands.js';

/**
 * CLI commands over the database: the same engine services the Discord commands call. A
 * "guild" here is any id (default "local", which the console mode uses too), and users are
 * named by id; display names default to the id.
 */
export interface EngineHandle {
  engine: Engine;
  /**
   * Stops waiting for queued matches (they end 'closed'; workers still finish and store them),
   * like closing the sandbox ends in-process ones. Absent without the match queue.
   */
  abandonQueued?(): Promise<void>;
  /** Resolves once every queued match has its outcome (the drain waits for it). Absent without the queue. */
  queuedSettled?(): Promise<void>;
  close(): Promise<void>;
}

export interface Scope {
  guild: string;
}

const guildRef = (id: string) => ({ id, name: id === 'local' ? 'Local' : id });
const player = (id: string) => ({ userId: id, displayName: id });

async function using<T>(open: () => Promise<EngineHandle>, run: (engine: Engine) => Promise<T>): Promise<T> {
  const handle = await open();
  try {
    return await run(handle.engine);
  } finally {
    await handle.close();
  }
}

/** Discord markdown (fences, bold, escapes) read as plain text in a terminal. */
const plain = (text: string) =>
  text
    .replace(/^```\w*\n?|```$/gm, '')
    .replace(/\*\*/g, '')
    .replace(/\\([\\`*_~|>#-])/g, '$1');

export async function submitCli(
  open: () => Promise<EngineHandle>,
  file: string,
  options: Scope & { as: string; name?: string },
  io: Output,
): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    throw usageError(`${file}: no such file`);
  }
  return using(open, async (engine) => {
    const result = await engine.submit({
      guild: guildRef(options.guild),
      player: player(options.as),
      name: options.name ?? null,
      filename: path.basename(file),
      bytes,
    });
    if (!result.ok) throw new CliError(result.error.message);
    const { bot, version, isNew, report } = result.value;
    io.out(
      `${isNew ? 'Stored' : 'Already stored'}: ${options.as}/${bot.name} version ${version.version} (${report.kind}, ${report.size} bytes, sha256 ${report.sha256.slice(0, 16)}…)`,
    );
    if (report.smoke)
      io.out(
        `Test match: ${report.smoke.rounds} rounds, ${report.smoke.meanMoveFuel} fuel per move on average`,
      );
    return 0;
  });
}

/**
 * `throwdown challenge A B`: runs the /challenge command itself (its handler and its reply,
 * rendered as the console renders replies), so the CLI names bots and shows ratings exactly as
 * Discord does and takes the same rounds range. The CLI adds only a fixed seed, for replays.
 */
export async function challengeCli(
  open: () => Promise<EngineHandle>,
  users: [string, string],
  options: Scope & { rounds?: number; botA?: string; botB?: string; seed?: string },
  io: Output,
): Promise<number> {
  const rounds = challengeCommand.options?.find((o) => o.name === 'rounds');
  if (
    options.rounds !== undefined &&
    ((rounds?.min !== undefined && options.rounds < rounds.min) ||
      (rounds?.max !== undefined && options.rounds > rounds.max))
  ) {
    throw usageError(`--rounds must be from ${rounds?.min} to ${rounds?.max}, as in /challenge`);
  }
  return using(open, async (engine) => {
    const seeded: Engine = options.seed
      ? { ...engine, challenge: (input) => engine.challenge({ ...input, seed: options.seed }) }
      : engine;
    const reply = await challengeCommand.handle(
      {
        guild: guildRef(options.guild),
        user: player(users[0]),
        channelId: null,
        isAdmin: false,
        engine: seeded,
        logger: engine.deps.logger,
        now: () => new Date(),
      },
      {
        options: {
          opponent: { id: users[1], displayName: users[1], isBot: false },
          rounds: options.rounds,
          my_bot: options.botA,
          their_bot: options.botB,
        },
      },
    );
    if (isUserError(reply)) throw new CliError(reply.message);
    io.out(renderReply(reply).text);
    return 0;
  });
}

export async function leaderboardCli(
  open: () => Promise<EngineHandle>,
  options: Scope & { page?: number; as?: string; json?: boolean },
  io: Output,
): Promise<number> {
  return using(open, async (engine) => {
    const view = await engine.leaderboard({
      guildId: options.guild,
      page: options.page ?? 1,
      pageSize: 25,
      viewerUserId: options.as ?? null,
    });
    if (options.json) {
      io.out(JSON.stringify(view, null, 2));
      return 0;
    }
    const message = renderLeaderboard(
      {
        title: `${guildRef(options.guild).name} leaderboard`,
        entries: view.rows.map((r) => ({ ...r, rating: r.display, uncertainty: 0 })),
        page: view.page,
        pageSize: view.pageSize,
        total: view.total,
        mine: [
          ...view.rows.filter((r) => r.ownerUserId === options.as),
          ...(view.viewer ? [view.viewer] : []),
        ].map((r) => ({
          ...r,
          rating: r.display,
          uncertainty: 0,
        })),
      },
      { limit: 100_000 },
    );
    io.out(plain(message.text));
    return 0;
  });
}

export async function botsCli(
  open: () => Promise<EngineHandle>,
  options: Scope,
  io: Output,
): Promise<number> {
  return using(open, async (engine) => {
    const bots = await engine.deps.repos.bots.listActive(options.guild);
    if (bots.length === 0) {
      io.out(`No active bots in guild "${options.guild}". Add one with: throwdown submit --as USER bot.wasm`);
      return 0;
    }
    for (const b of bots) {
      io.out(
        `${b.owner.userId}/${b.bot.name}  v${b.version.version}  ${b.version.interfaceKind}  ${b.version.sizeBytes} bytes  ${b.version.sha256.slice(0, 12)}`,
      );
    }
    return 0;
  });
}

export async function replayCli(
  open: () => Promise<EngineHandle>,
  matchId: number,
  options: { json?: boolean },
  io: Output,
): Promise<number> {
  return using(open, async (engine) => {
    const result = await engine.replay({ matchId });
    if (!result.ok) throw new CliError(result.error.message);
    const { identical, differences, match } = result.value;
    if (options.json) io.out(JSON.stringify({ matchId, identical, differences }, null, 2));
    else if (identical) {
      io.out(
        `Match #${match.id} replayed from seed ${match.seed}: identical, ${match.roundsPlayed} rounds move for move and fuel for fuel.`,
      );
    } else {
      io.out(`Match #${match.id} replayed from seed ${match.seed} DIFFERS:`);
      for (const d of differences) io.out(`  - ${d}`);
    }
    return identical ? 0 : 1;
  });
}
