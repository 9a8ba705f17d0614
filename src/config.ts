import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  MATCHES_IN_FLIGHT_PER_PROCESS,
  matchProcesses,
  QUEUED_MATCHES_IN_FLIGHT,
} from './sandbox/in-flight.js';
import { DEFAULT_LIMITS, type Limits } from './sandbox/limits.js';
import type { LogLevel } from './util/logger.js';
import { err, ok, type Result } from './util/result.js';

/**
 * All configuration, read once from the environment (and `.env` when present) and validated
 * with zod. Nothing else in the code reads process.env. Every variable is documented in
 * .env.example; an invalid value stops start-up with a message naming the variable.
 */
export interface Config {
  discord: {
    token: string | null;
    applicationId: string | null;
    /** Register commands in this guild only (instant updates while developing). */
    devGuildId: string | null;
    /** REST base URL override, e.g. a proxy such as nirn-proxy, or the local stand-in in tests. */
    restBaseUrl: string | null;
    /**
     * Where attachments may be downloaded from: a bare host (`cdn.discordapp.com`) allows https
     * only; an origin (`http://127.0.0.1:8080`) allows exactly that scheme, host and port.
     */
    attachmentHosts: string[];
    /** Give up on an attachment download after this long. */
    attachmentTimeoutMs: number;
    /**
     * How interactions arrive: 'gateway' (one process holds the WebSocket; the default) or
     * 'http' (Discord POSTs them to the Interactions Endpoint URL, so any number of stateless
     * instances can sit behind a load balancer; docs/discord-at-scale.md).
     */
    interactions: 'gateway' | 'http';
    /** The application's Ed25519 public key (64 hex digits); required in 'http' mode. */
    publicKey: string | null;
    /** Where the interactions endpoint listens in 'http' mode (port 0: any free port, for tests). */
    http: { host: string; port: number; path: string };
  };
  /** Base URL that /help links docs under (e.g. the repository's blob URL); null: plain file names. */
  docsUrl: string | null;
  databaseUrl: string | null;
  /**
   * Where matches run: 'in-process' (this process's sandbox; the default, and the only choice on
   * the embedded database) or 'pgboss' (jobs on PostgreSQL that `throwdown worker` processes play;
   * docs/scaling.md).
   */
  matchQueue: 'in-process' | 'pgboss';
  /** Embedded database, prepared-bot cache and locks live here. */
  dataDir: string;
  logLevel: LogLevel;
  sandbox: {
    workers: number | null;
    limits: Limits;
    smokeRounds: number;
  };
  rateLimits: {
    submitsPerHour: number;
    challengesPerHour: number;
  };
  /** What one user may store, across guilds, and how long match logs keep their extras. */
  storage: {
    botsPerUser: number;
    versionsPerBot: number;
    bytesPerUser: number;
    /** Days a match keeps its stderr and per-move times (0: forever). */
    matchLogsKeepDays: number;
  };
  tournaments: {
    /** Matches of one tournament played at the same time. */
    concurrency: number;
    /** Default timezone for cron schedules. */
    timezone: string;
  };
}

const MiB = 1024 * 1024;
const KiB = 1024;

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .optional()
  .transform((s) => s ?? null);

const snowflake = optionalString.refine(
  (s) => s === null || /^\d{15,22}$/.test(s),
  'must be a Discord id (digits)',
);

/**
 * Limits settable from the environment: variable -> field, unit, least and greatest value. The
 * greatest are what WebAssembly engines can do at all: 4 GiB of 32-bit memory (65,536 pages),
 * V8's 10,000,000 table elements and 1 GiB modules; a value past them could only fail later,
 * as a confusing error from deep inside the sandbox.
 */
const LIMIT_VARS: Array<[string, keyof Limits, number, number, number?]> = [
  ['THROWDOWN_MAX_BOT_MIB', 'moduleBytes', MiB, 1, 1024],
  ['THROWDOWN_FUEL_PER_MOVE', 'fuelPerMove', 1, 1000],
  ['THROWDOWN_FUEL_PER_START', 'fuelPerInstantiation', 1, 1000],
  ['THROWDOWN_FUEL_PER_MATCH', 'fuelPerMatch', 1, 1000],
  ['THROWDOWN_MEMORY_MIB', 'memoryBytes', MiB, 1, 4096],
  ['THROWDOWN_TABLE_ELEMENTS', 'tableElements', 1, 1, 10_000_000],
  ['THROWDOWN_STACK_KIB', 'stackBytes', KiB, 16],
  ['THROWDOWN_STDOUT_KIB', 'stdoutBytes', KiB, 1],
  ['THROWDOWN_STDERR_KIB', 'stderrBytes', KiB, 1],
  ['THROWDOWN_FUEL_PER_INPUT_BYTE', 'fuelPerInputByte', 1, 0],
  ['THROWDOWN_MOVE_WALL_MS', 'moveWallMs', 1, 10],
  ['THROWDOWN_WALL_NS_PER_FUEL', 'wallNsPerFuel', 1, 1],
  ['THROWDOWN_MATCH_WALL_MS', 'matchWallMs', 1, 100],
];

const schema = z.object({
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: snowflake,
  DISCORD_DEV_GUILD_ID: snowflake,
  DISCORD_REST_URL: optionalString.refine((s) => s === null || URL.canParse(s), 'must be a URL'),
  DISCORD_ATTACHMENT_HOSTS: z
    .string()
    .default('cdn.discordapp.com,media.discordapp.net')
    .refine(
      (s) => s.split(',').every((h) => isAttachmentHost(h.trim()) || h.trim() === ''),
      'must be a comma-separated list of host names or http(s):// origins',
    ),
  DISCORD_ATTACHMENT_TIMEOUT_MS: int(100, 600_000).default(30_000),
  DISCORD_INTERACTIONS: z.enum(['gateway', 'http']).default('gateway'),
  DISCORD_PUBLIC_KEY: optionalString.refine(
    (s) => s === null || /^[0-9a-fA-F]{64}$/.test(s),
    "must be the 64 hex digits of the application's public key (Developer Portal > General Information)",
  ),
  THROWDOWN_HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  THROWDOWN_HTTP_PORT: int(0, 65_535).default(8080),
  THROWDOWN_HTTP_PATH: z
    .string()
    .trim()
    .regex(/^\/[A-Za-z0-9._~/-]*$/, 'must be a URL path starting with / (e.g. /interactions)')
    .default('/interactions'),
  THROWDOWN_DOCS_URL: optionalString.refine(
    (s) => s === null || /^https?:\/\//.test(s),
    'must be an http(s):// URL',
  ),
  DATABASE_URL: optionalString.refine(
    (s) => s === null || /^postgres(ql)?:\/\//.test(s),
    'must be a postgres:// URL (leave it empty for the embedded database)',
  ),
  THROWDOWN_MATCH_QUEUE: z.enum(['in-process', 'pgboss']).default('in-process'),
  THROWDOWN_DATA_DIR: z.string().default('./data'),
  THROWDOWN_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  THROWDOWN_SANDBOX_WORKERS: int(1, 256).optional(),
  THROWDOWN_SMOKE_ROUNDS: int(1, 1000).default(20),
  THROWDOWN_SUBMITS_PER_HOUR: int(0).default(10),
  THROWDOWN_CHALLENGES_PER_HOUR: int(0).default(60),
  THROWDOWN_MAX_BOTS_PER_USER: int(1, 10_000).default(10),
  THROWDOWN_MAX_VERSIONS_PER_BOT: int(1, 10_000).default(25),
  THROWDOWN_MAX_STORED_MIB_PER_USER: int(1, 1_000_000).default(100),
  THROWDOWN_MATCH_LOGS_KEEP_DAYS: int(0, 36_500).default(90),
  THROWDOWN_TOURNAMENT_CONCURRENCY: int(1, 1_024).optional(),
  THROWDOWN_TIMEZONE: z.string().default('UTC'),
});

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Reads `.env` from `cwd` into `env` (without overriding variables already set). */
export function loadEnvFile(env: NodeJS.ProcessEnv, cwd = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return;
  if (env === process.env) process.loadEnvFile(file);
}

export function loadConfig(
  raw: Record<string, string | undefined> = process.env,
): Result<Config, ConfigProblem[]> {
  // An empty value (`NAME=` in .env) means "not set", as in .env.example.
  const env = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(env);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]);
      problems.push({
        variable,
        message: `${variable} ${issue.message} (got ${JSON.stringify(env[variable])})`,
      });
    }
  }
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const [variable, field, unit, min, max] of LIMIT_VARS) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') continue;
    const value = int(min, max).safeParse(raw);
    if (!value.success) {
      const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
      problems.push({
        variable,
        message: `${variable} must be a whole number ${range} (got ${JSON.stringify(raw)})`,
      });
    } else {
      limits[field] = value.data * unit;
    }
  }
  if (problems.length > 0 || !parsed.success) return err(problems);
  const e = parsed.data;
  if (!isValidTimeZone(e.THROWDOWN_TIMEZONE)) {
    return err([
      {
        variable: 'THROWDOWN_TIMEZONE',
        message: `THROWDOWN_TIMEZONE ${JSON.stringify(e.THROWDOWN_TIMEZONE)} is not a known IANA timezone (e.g. Europe/Berlin)`,
      },
    ]);
  }
  if (e.DISCORD_INTERACTIONS === 'http' && (!e.DISCORD_PUBLIC_KEY || !e.DISCORD_TOKEN)) {
    // The key checks every request; the token posts replies and tournament messages over REST.
    return err([
      {
        variable: e.DISCORD_PUBLIC_KEY ? 'DISCORD_TOKEN' : 'DISCORD_PUBLIC_KEY',
        message:
          'DISCORD_INTERACTIONS=http needs DISCORD_PUBLIC_KEY (to check each request) and DISCORD_TOKEN (to reply); see docs/discord-at-scale.md',
      },
    ]);
  }
  if (e.THROWDOWN_MATCH_QUEUE === 'pgboss' && !e.DATABASE_URL) {
    return err([
      {
        variable: 'THROWDOWN_MATCH_QUEUE',
        message:
          'THROWDOWN_MATCH_QUEUE=pgboss needs DATABASE_URL: the queue lives in PostgreSQL, which workers on other machines reach (the embedded database plays matches in-process)',
      },
    ]);
  }
  const queued = e.THROWDOWN_MATCH_QUEUE === 'pgboss';
  return ok({
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      devGuildId: e.DISCORD_DEV_GUILD_ID,
      restBaseUrl: e.DISCORD_REST_URL,
      attachmentHosts: e.DISCORD_ATTACHMENT_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      attachmentTimeoutMs: e.DISCORD_ATTACHMENT_TIMEOUT_MS,
      interactions: e.DISCORD_INTERACTIONS,
      publicKey: e.DISCORD_PUBLIC_KEY?.toLowerCase() ?? null,
      http: { host: e.THROWDOWN_HTTP_HOST, port: e.THROWDOWN_HTTP_PORT, path: e.THROWDOWN_HTTP_PATH },
    },
    docsUrl: e.THROWDOWN_DOCS_URL,
    databaseUrl: e.DATABASE_URL,
    matchQueue: e.THROWDOWN_MATCH_QUEUE,
    dataDir: path.resolve(e.THROWDOWN_DATA_DIR),
    logLevel: e.THROWDOWN_LOG_LEVEL,
    sandbox: { workers: e.THROWDOWN_SANDBOX_WORKERS ?? null, limits, smokeRounds: e.THROWDOWN_SMOKE_ROUNDS },
    rateLimits: {
      submitsPerHour: e.THROWDOWN_SUBMITS_PER_HOUR,
      challengesPerHour: e.THROWDOWN_CHALLENGES_PER_HOUR,
    },
    storage: {
      botsPerUser: e.THROWDOWN_MAX_BOTS_PER_USER,
      versionsPerBot: e.THROWDOWN_MAX_VERSIONS_PER_BOT,
      bytesPerUser: e.THROWDOWN_MAX_STORED_MIB_PER_USER * MiB,
      matchLogsKeepDays: e.THROWDOWN_MATCH_LOGS_KEEP_DAYS,
    },
    tournaments: {
      // Through the queue a tournament feeds every worker machine, so it keeps more in flight;
      // in-process, enough to keep each sandbox process busy (sandbox/in-flight.ts).
      concurrency:
        e.THROWDOWN_TOURNAMENT_CONCURRENCY ??
        (queued
          ? QUEUED_MATCHES_IN_FLIGHT
          : MATCHES_IN_FLIGHT_PER_PROCESS * matchProcesses(e.THROWDOWN_SANDBOX_WORKERS)),
      timezone: e.THROWDOWN_TIMEZONE,
    },
  });
}

/** `cdn.discordapp.com`, `cdn.example:8443` or `http://127.0.0.1:8080` (an origin, nothing after it). */
function isAttachmentHost(entry: string): boolean {
  if (!entry.includes('://')) return URL.canParse(`https://${entry}`) && !/[/?#@]/.test(entry);
  if (!URL.canParse(entry)) return false;
  const url = new URL(entry);
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return (url.protocol === 'http:' || url.protocol === 'https:') && bare;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Derived paths under the data directory. */
export function dataPaths(config: Config) {
  return {
    database: path.join(config.dataDir, 'db'),
    artifacts: path.join(config.dataDir, 'cache', 'artifacts'),
  };
}
