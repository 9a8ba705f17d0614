import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import postgres from 'postgres';
import { afterAll } from 'vitest';
import { createDatabase, type Db, type Driver, migrationsFolder } from '../../src/db/client.js';

/**
 * A fresh, migrated database for each test file.
 *
 * On the real server (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) a
 * template database is migrated once, named after a hash of the migration files so a change to
 * them builds a new one, and each file gets `CREATE DATABASE … TEMPLATE` of it (about 20 ms,
 * however many migrations there are), dropped WITH (FORCE) when the file ends. Several vitest
 * workers may start at once: an advisory lock on the admin database lets one build the template
 * while the others wait.
 *
 * Without a server it falls back to PGlite in a temporary directory and says so loudly, unless
 * THROWDOWN_REQUIRE_POSTGRES=1 (CI), where that is an error: concurrency tests mean nothing on
 * PGlite, which is a single session.
 */
export interface TestDatabase {
  db: Db;
  driver: Driver;
  /** The database name (postgres) or data directory (PGlite). */
  where: string;
  /** Connection URL of this file's database; null on PGlite. */
  url: string | null;
}

export interface TestDatabaseOptions {
  /** 'pglite' forces PGlite even when a server answers, for the suite that proves the repos there. */
  driver?: 'auto' | 'pglite';
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Arbitrary constant key for pg_advisory_lock, shared by every checkout using the server. */
const TEMPLATE_LOCK_KEY = 0x7468_726f; // "thro"
const TEMPLATE_PREFIX = 'throwdown_tpl_';
const FILE_DB_PREFIX = 'throwdown_test_';

/** Call at the top of a test file: `const { db, driver } = await useTestDatabase();`. */
export async function useTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { database, dispose } = await createTestDatabase(options);
  afterAll(dispose);
  return database;
}

/** The same without vitest hooks: the caller disposes. */
export async function createTestDatabase(
  options: TestDatabaseOptions = {},
): Promise<{ database: TestDatabase; dispose: () => Promise<void> }> {
  if (options.driver === 'pglite') return createPgliteDatabase();
  const baseUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const admin = postgres(baseUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    return fallBackToPglite(baseUrl, error);
  }
  try {
    return await clonePerFileDatabase(admin, baseUrl);
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    throw error;
  }
}

async function clonePerFileDatabase(
  admin: postgres.Sql,
  baseUrl: string,
): Promise<{ database: TestDatabase; dispose: () => Promise<void> }> {
  const template = await ensureTemplate(admin, baseUrl);
  // The pid lets a later run drop databases left by a worker that was killed.
  const name = `${FILE_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin`create database ${admin(name)} template ${admin(template)}`;
  const url = databaseUrl(baseUrl, name);
  let opened: Awaited<ReturnType<typeof createDatabase>>;
  try {
    opened = await createDatabase({ url, dataDir: '' });
  } catch (error) {
    await admin`drop database if exists ${admin(name)} with (force)`;
    throw error;
  }
  return {
    database: { db: opened.db, driver: opened.driver, where: name, url },
    dispose: async () => {
      try {
        await opened.close();
        await admin`drop database if exists ${admin(name)} with (force)`;
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}

/**
 * Returns the template's name, building it if this is the first worker to need it. The build
 * goes into a scratch name and is renamed when complete, so a worker killed mid-build never
 * leaves a half-migrated template behind.
 */
async function ensureTemplate(admin: postgres.Sql, baseUrl: string): Promise<string> {
  const template = `${TEMPLATE_PREFIX}${migrationsHash()}`;
  // `admin` has a single connection, so this session lock is released on the same connection.
  await admin`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`;
  try {
    if (isLoopback(baseUrl)) await dropOrphans(admin);
    const [found] = await admin`select 1 from pg_database where datname = ${template}`;
    if (found) return template;
    const started = performance.now();
    const building = `${template}_building`;
    await admin`drop database if exists ${admin(building)} with (force)`;
    await admin`create database ${admin(building)}`;
    const migrated = await createDatabase({ url: databaseUrl(baseUrl, building), dataDir: '' });
    await migrated.close();
    await admin`alter database ${admin(building)} rename to ${admin(template)}`;
    await admin`alter database ${admin(template)} is_template true`;
    console.info(
      `test database: built template ${template} in ${Math.round(performance.now() - started)} ms`,
    );
    if (isLoopback(baseUrl)) await dropOrphans(admin);
    return template;
  } finally {
    await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`;
  }
}

/**
 * Per-file databases whose worker died (killed run, crash) are never dropped by it. Their names
 * carry the pid, so drop those whose process is gone. Only on a loopback server, where the pids
 * are this machine's.
 */
async function dropOrphans(admin: postgres.Sql): Promise<void> {
  const rows = await admin<{ datname: string }[]>`
    select datname from pg_database where datname like ${`${FILE_DB_PREFIX}%`}`;
  for (const { datname } of rows) {
    const pid = Number(datname.slice(FILE_DB_PREFIX.length).split('_')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
      await admin`drop database if exists ${admin(datname)} with (force)`;
    }
  }
}

async function fallBackToPglite(
  baseUrl: string,
  error: unknown,
): Promise<{ database: TestDatabase; dispose: () => Promise<void> }> {
  const reason = error instanceof Error ? error.message : String(error);
  if (process.env.THROWDOWN_REQUIRE_POSTGRES === '1') {
    throw new Error(
      `THROWDOWN_REQUIRE_POSTGRES=1 but no PostgreSQL answers at ${redact(baseUrl)} (${reason}). ` +
        'Start it (pg_ctlcluster <version> main start) or set TEST_DATABASE_URL.',
      { cause: error },
    );
  }
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!! No PostgreSQL at ${redact(baseUrl)} (${reason}).`,
      '!! FALLING BACK TO PGlite: slower, and concurrency tests prove nothing on a single session.',
      '!! Start PostgreSQL or set TEST_DATABASE_URL; CI sets THROWDOWN_REQUIRE_POSTGRES=1.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
  return createPgliteDatabase();
}

async function createPgliteDatabase(): Promise<{ database: TestDatabase; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'throwdown-test-'));
  const opened = await createDatabase({ dataDir: dir });
  return {
    database: { db: opened.db, driver: opened.driver, where: dir, url: null },
    dispose: async () => {
      try {
        await opened.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** sha256 over every file under drizzle/ (SQL and journal), by relative path and content. */
export function migrationsHash(): string {
  const root = migrationsFolder();
  const hash = createHash('sha256');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  for (const file of walk(root).sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === '' || host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

function redact(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
