import { createHash } from 'node:crypto';
import { and, asc, desc, eq, getTableColumns, isNull, like, sql } from 'drizzle-orm';
import type { BotInterfaceKind } from '../../games/match-record.js';
import { err, ok, type Result } from '../../util/result.js';
import type { Db } from '../client.js';
import { bots, botVersions, players, type SmokeMatchSummary, type ValidationReport } from '../schema.js';

export type Bot = typeof bots.$inferSelect;
/** A version with its module bytes: what the sandbox needs to run it. */
export type BotVersion = typeof botVersions.$inferSelect;
/** A version without its bytes, for listings (a module can be megabytes). */
export type BotVersionInfo = Omit<BotVersion, 'wasm'>;

export interface VersionMeta {
  interfaceKind: BotInterfaceKind;
  imports: string[];
  validation: ValidationReport;
  smokeMatch?: SmokeMatchSummary | null;
}

export interface AddedVersion {
  version: BotVersionInfo;
  /** False when these bytes were already a version of this bot (which is now current again). */
  isNew: boolean;
}

export interface SubmitInput {
  guildId: string;
  ownerId: number;
  name: string;
  wasm: Uint8Array<ArrayBuffer>;
  sha256: string;
  meta: VersionMeta;
}

export interface Submitted extends AddedVersion {
  bot: Bot;
  botCreated: boolean;
}

export interface ActiveBot {
  bot: Bot;
  owner: { id: number; userId: string; displayName: string };
  version: BotVersionInfo;
}

export interface BotChoice {
  botId: number;
  name: string;
  ownerUserId: string;
  ownerName: string;
  retired: boolean;
}

export type BotNotFound = { kind: 'no-such-bot'; botId: number };
export type VersionNotFound = { kind: 'no-such-version'; botId: number; version: number };

export type BotsRepo = ReturnType<typeof createBotsRepo>;

const { wasm: _wasm, ...versionInfo } = getTableColumns(botVersions);

/**
 * Bots and their uploaded versions. A bot is (guild, owner, name) with the name compared without
 * case; each upload of new bytes adds a numbered version and makes it current, and the same bytes
 * again only make that version current. Concurrent uploads are safe: the unique constraints
 * settle who creates a bot, and a row lock on the bot serialises version numbering.
 */
export function createBotsRepo(db: Db) {
  async function createOrGetIn(
    h: Db,
    input: { guildId: string; ownerId: number; name: string },
  ): Promise<{ bot: Bot; created: boolean }> {
    const [created] = await h
      .insert(bots)
      .values(input)
      .onConflictDoNothing({ target: [bots.guildId, bots.ownerId, bots.nameKey] })
      .returning();
    if (created) return { bot: created, created: true };
    // Someone else holds the name (possibly in a transaction that just committed): read theirs.
    const existing = await findByNameIn(h, input.guildId, input.ownerId, input.name);
    if (!existing) throw new Error(`bots: insert of "${input.name}" conflicted but no bot was found`);
    return { bot: existing, created: false };
  }

  async function findByNameIn(h: Db, guildId: string, ownerId: number, name: string): Promise<Bot | null> {
    const [row] = await h
      .select()
      .from(bots)
      .where(
        and(eq(bots.guildId, guildId), eq(bots.ownerId, ownerId), eq(bots.nameKey, sql`lower(${name})`)),
      );
    return row ?? null;
  }

  async function addVersionIn(
    h: Db,
    botId: number,
    wasm: Uint8Array<ArrayBuffer>,
    sha256: string,
    meta: VersionMeta,
  ): Promise<Result<AddedVersion, BotNotFound>> {
    // Locking the bot serialises uploads to it, so version numbers never collide and a
    // concurrent upload of the same bytes sees the first one's row.
    const [bot] = await h.select({ id: bots.id }).from(bots).where(eq(bots.id, botId)).for('update');
    if (!bot) return err({ kind: 'no-such-bot', botId });

    const [existing] = await h
      .select(versionInfo)
      .from(botVersions)
      .where(and(eq(botVersions.botId, botId), eq(botVersions.sha256, sha256)));
    if (existing) {
      await makeCurrent(h, botId, existing.id);
      return ok({ version: existing, isNew: false });
    }

    const [numbering] = await h
      .select({ next: sql<number>`coalesce(max(${botVersions.version}), 0) + 1`.mapWith(Number) })
      .from(botVersions)
      .where(eq(botVersions.botId, botId));
    const [inserted] = await h
      .insert(botVersions)
      .values({
        botId,
        version: numbering!.next,
        sha256,
        wasm,
        sizeBytes: wasm.byteLength,
        interfaceKind: meta.interfaceKind,
        imports: meta.imports,
        validation: meta.validation,
        smokeMatch: meta.smokeMatch ?? null,
      })
      .returning(versionInfo);
    await makeCurrent(h, botId, inserted!.id);
    return ok({ version: inserted!, isNew: true });
  }

  async function makeCurrent(h: Db, botId: number, versionId: number): Promise<void> {
    await h
      .update(bots)
      .set({ currentVersionId: versionId, updatedAt: sql`now()` })
      .where(eq(bots.id, botId));
  }

  return {
    /** Returns the owner's bot of that name (any case), creating it when there is none. */
    createOrGet(input: { guildId: string; ownerId: number; name: string }) {
      return createOrGetIn(db, input);
    },

    /**
     * Stores `wasm` as the bot's newest version and makes it current, unless the same bytes are
     * already a version of this bot: then that version becomes current and `isNew` is false.
     * `sha256` (lower-case hex) is checked against the bytes.
     */
    async addVersion(
      botId: number,
      wasm: Uint8Array<ArrayBuffer>,
      sha256: string,
      meta: VersionMeta,
    ): Promise<Result<AddedVersion, BotNotFound>> {
      assertSha256(wasm, sha256);
      return db.transaction((tx) => addVersionIn(tx, botId, wasm, sha256, meta));
    },

    /** An upload: create-or-get the bot and add the version in one transaction. */
    async submit(input: SubmitInput): Promise<Submitted> {
      assertSha256(input.wasm, input.sha256);
      return db.transaction(async (tx) => {
        const { bot, created } = await createOrGetIn(tx, input);
        const added = await addVersionIn(tx, bot.id, input.wasm, input.sha256, input.meta);
        // The bot was created or found in this transaction and is locked, so it cannot be missing.
        if (!added.ok) throw new Error(`bots: bot ${bot.id} vanished during submit`);
        const [current] = await tx.select().from(bots).where(eq(bots.id, bot.id));
        return { bot: current!, botCreated: created, ...added.value };
      });
    },

    async get(botId: number): Promise<Bot | null> {
      const [row] = await db.select().from(bots).where(eq(bots.id, botId));
      return row ?? null;
    },

    findByName(guildId: string, ownerId: number, name: string): Promise<Bot | null> {
      return findByNameIn(db, guildId, ownerId, name);
    },

    /** The sha256 of every stored version (what the sandbox's artifact collection keeps). */
    async allSha256(): Promise<Set<string>> {
      const rows = await db.selectDistinct({ sha256: botVersions.sha256 }).from(botVersions);
      return new Set(rows.map((r) => r.sha256));
    },

    /** Versions newest first, without their bytes. */
    listVersions(botId: number): Promise<BotVersionInfo[]> {
      return db
        .select(versionInfo)
        .from(botVersions)
        .where(eq(botVersions.botId, botId))
        .orderBy(desc(botVersions.version));
    },

    /** One version with its bytes. */
    async getVersion(versionId: number): Promise<BotVersion | null> {
      const [row] = await db.select().from(botVersions).where(eq(botVersions.id, versionId));
      return row ?? null;
    },

    /** One version without its bytes. */
    async getVersionInfo(versionId: number): Promise<BotVersionInfo | null> {
      const [row] = await db.select(versionInfo).from(botVersions).where(eq(botVersions.id, versionId));
      return row ?? null;
    },

    /** The bot's current version with its bytes, or null for a bot without one. */
    async getCurrentVersion(botId: number): Promise<BotVersion | null> {
      const [row] = await db
        .select(getTableColumns(botVersions))
        .from(bots)
        .innerJoin(botVersions, eq(botVersions.id, bots.currentVersionId))
        .where(eq(bots.id, botId));
      return row ?? null;
    },

    /** Rollback (or forward): make version number `version` of the bot current. */
    async setCurrentVersion(
      botId: number,
      version: number,
    ): Promise<Result<BotVersionInfo, VersionNotFound>> {
      return db.transaction(async (tx) => {
        const [target] = await tx
          .select(versionInfo)
          .from(botVersions)
          .where(and(eq(botVersions.botId, botId), eq(botVersions.version, version)));
        if (!target) return err({ kind: 'no-such-version', botId, version });
        await makeCurrent(tx, botId, target.id);
        return ok(target);
      });
    },

    /** Takes the bot out of listings, leaderboards and new matches; keeps its history. Idempotent. */
    async retire(botId: number): Promise<Result<Bot, BotNotFound>> {
      const [row] = await db
        .update(bots)
        .set({ retiredAt: sql`coalesce(${bots.retiredAt}, now())`, updatedAt: sql`now()` })
        .where(eq(bots.id, botId))
        .returning();
      return row ? ok(row) : err({ kind: 'no-such-bot', botId });
    },

    async activate(botId: number): Promise<Result<Bot, BotNotFound>> {
      const [row] = await db
        .update(bots)
        .set({ retiredAt: null, updatedAt: sql`now()` })
        .where(eq(bots.id, botId))
        .returning();
      return row ? ok(row) : err({ kind: 'no-such-bot', botId });
    },

    /** Active bots of the guild that have a current version, with owner and version (no bytes). */
    listActive(guildId: string): Promise<ActiveBot[]> {
      return db
        .select({
          bot: bots,
          owner: { id: players.id, userId: players.userId, displayName: players.displayName },
          version: versionInfo,
        })
        .from(bots)
        .innerJoin(players, eq(players.id, bots.ownerId))
        .innerJoin(botVersions, eq(botVersions.id, bots.currentVersionId))
        .where(and(eq(bots.guildId, guildId), isNull(bots.retiredAt)))
        .orderBy(asc(bots.nameKey), asc(bots.id));
    },

    /**
     * Bots of the guild whose name starts with `prefix` (any case), for Discord autocomplete
     * (which shows at most 25). Optionally only one owner's, and retired ones only on request.
     */
    autocomplete(
      guildId: string,
      prefix: string,
      options: { limit?: number; ownerId?: number; includeRetired?: boolean } = {},
    ): Promise<BotChoice[]> {
      const pattern = `${escapeLike(prefix)}%`;
      return db
        .select({
          botId: bots.id,
          name: bots.name,
          ownerUserId: players.userId,
          ownerName: players.displayName,
          retired: sql<boolean>`${bots.retiredAt} is not null`,
        })
        .from(bots)
        .innerJoin(players, eq(players.id, bots.ownerId))
        .where(
          and(
            eq(bots.guildId, guildId),
            like(bots.nameKey, sql`lower(${pattern})`),
            options.ownerId === undefined ? undefined : eq(bots.ownerId, options.ownerId),
            options.includeRetired ? undefined : isNull(bots.retiredAt),
          ),
        )
        .orderBy(asc(bots.nameKey), asc(bots.id))
        .limit(options.limit ?? 25);
    },
  };
}

/** A wrong hash would break dedupe silently, so a mismatch is a bug worth failing loudly on. */
function assertSha256(wasm: Uint8Array, sha256: string): void {
  const actual = createHash('sha256').update(wasm).digest('hex');
  if (actual !== sha256) throw new Error(`bots: sha256 ${sha256} does not match the bytes (${actual})`);
}

/** LIKE treats % and _ as wildcards and \ as escape; a typed prefix means them literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
