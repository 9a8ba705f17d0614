import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Logger } from '../util/logger.js';
import { lockDataDir } from './data-dir-lock.js';
import * as schema from './schema.js';

/**
 * The one handle type every repository takes. Both drivers' databases satisfy it, and so do their
 * transactions, so a repository built over `tx` inside `db.transaction` is the same code.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Driver = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** postgres:// URL of a real server; when absent (or null, as config gives it), PGlite runs in `dataDir`. */
  url?: string | null | undefined;
  /** PGlite's data directory (created if missing). Ignored when `url` is set. */
  dataDir: string;
  logger?: Logger | undefined;
}

export interface Database {
  db: Db;
  driver: Driver;
  close(): Promise<void>;
}

/**
 * Opens the database and brings its schema up to date. With a URL it uses postgres.js; without,
 * an embedded PGlite in `dataDir` guarded by an exclusive lock (a second process on the same
 * directory throws DataDirLockedError instead of silently losing rows). Each driver is imported
 * only when chosen, so a server deployment never loads PGlite's WebAssembly.
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options.logger)
    : openPglite(options.dataDir, options.logger);
}

async function openPostgres(url: string, logger: Logger | undefined): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  // Notices ("relation already exists, skipping" from the migrator) are noise, not warnings.
  const client = postgres(url, { onnotice: () => {} });
  const db = drizzle(client, { schema });
  try {
    const started = performance.now();
    await migrate(db, { migrationsFolder: migrationsFolder() });
    logger?.info('database ready', {
      driver: 'postgres',
      migrateMs: Math.round(performance.now() - started),
    });
  } catch (error) {
    await client.end({ timeout: 5 });
    throw error;
  }
  return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
}

async function openPglite(dataDir: string, logger: Logger | undefined): Promise<Database> {
  const dir = resolve(dataDir);
  // PGlite.create fails when the parent folder is missing, and the lock needs the directory.
  await mkdir(dir, { recursive: true });
  const lock = await lockDataDir(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const started = performance.now();
    const client = await PGlite.create(dir);
    const db = drizzle(client, { schema });
    try {
      await migrate(db, { migrationsFolder: migrationsFolder() });
    } catch (error) {
      await client.close();
      throw error;
    }
    logger?.info(
      `database: PGlite in ${dir}, opened and migrated in ${Math.round(performance.now() - started)} ms`,
    );
    return {
      db,
      driver: 'pglite',
      close: async () => {
        try {
          await client.close();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * The generated migrations live in `drizzle/` at the package root. This file runs both from
 * `src/db` (tests) and from `dist/src/db` (the built service), so look upwards for it.
 */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('database: cannot find the drizzle/ migrations folder');
    dir = parent;
  }
}
