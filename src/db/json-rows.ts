import { getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/**
 * Inserts rows in one statement whose only parameter is the rows as JSON
 * (`jsonb_to_recordset`). drizzle's insert builder, given a batch of ~30-column match rows, spent
 * ~0.35 ms of the event loop per row building the statement (a third of the service's own CPU per
 * tournament match); JSON.stringify does the same work natively. Column names and types come from
 * the table definition, so they follow schema.ts; bytea travels as hex; values are bound, never
 * spliced into the statement's text. Every row must set the same columns (left-out ones take
 * their defaults). Returns the `returning` columns (database names) of each inserted row; with
 * `onConflictDoNothing`, rows that conflict on those columns are skipped and not returned.
 */
export async function insertJsonRows<T extends PgTable>(
  h: Db,
  table: T,
  rows: readonly T['$inferInsert'][],
  returning: readonly string[] = [],
  options: { onConflictDoNothing?: readonly string[] } = {},
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const all = getTableColumns(table) as Record<string, ReturnType<typeof getTableColumns>[string]>;
  const keys = Object.keys(rows[0]!);
  if (rows.some((r) => Object.keys(r).length !== keys.length || keys.some((k) => !(k in r)))) {
    throw new Error('insertJsonRows: rows of one batch set different columns');
  }
  const columns = keys.map((k) => {
    const column = all[k];
    if (!column) throw new Error(`insertJsonRows: no column ${k}`);
    return column;
  });
  const isBytes = columns.map((c) => c.getSQLType() === 'bytea');
  const json = JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        const value = (row as Record<string, unknown>)[k];
        out[columns[i]!.name] =
          isBytes[i] && value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value;
      });
      return out;
    }),
  );
  const names = columns.map((c) => quoted(c.name)).join(', ');
  const picks = columns
    .map((c, i) => (isBytes[i] ? `decode(t.${quoted(c.name)}, 'hex')` : `t.${quoted(c.name)}`))
    .join(', ');
  const types = columns.map((c, i) => `${quoted(c.name)} ${isBytes[i] ? 'text' : c.getSQLType()}`).join(', ');
  // Rows a unique constraint on these columns already holds are skipped (and not returned).
  const conflict = options.onConflictDoNothing
    ? ` on conflict (${options.onConflictDoNothing.map(quoted).join(', ')}) do nothing`
    : '';
  const tail = `${conflict}${returning.length > 0 ? ` returning ${returning.map(quoted).join(', ')}` : ''}`;
  const result = await h.execute(
    sql`insert into ${table} (${sql.raw(names)}) select ${sql.raw(picks)} from jsonb_to_recordset(${json}::jsonb) as t(${sql.raw(types)})${sql.raw(tail)}`,
  );
  // postgres.js returns the rows as an array, PGlite as `{ rows }`.
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
