import { createHash } from 'node:crypto';
import {
  and,
  asc,
  count,
  countDistinct,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  isNull,
  like,
  sql,
} from 'drizzle-orm';
import type { BotInterfaceKind } from '../../games/match-record.js';
import { err, ok, type Result } from '../../util/result.js';
import type { Db } from '../client.js';
import { bots, botVersions, players, type SmokeMatchSummary, type ValidationReport } from '../schema.js';
import { isInt4 } from '../sql-int.js';
import { storableText } from '../text.js';

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
  /** The owner's Discord user id (quotas count per user, across guilds). */
  ownerUserId?: string;
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

export interface BotChoiceOwner {
  id: number;
  userId: string;
  displayName: string;
}

/**
 * How much one Discord user may store, across every guild (storage is the server's, whoever
 * invited it): bots, versions of one bot, and module bytes in all.
 */
export interface StorageQuota {
  botsPerUser: number;
  versionsPerBot: number;
  bytesPerUser: number;
}

/** What a user stores now, across every guild. */
export interface StorageUsage {
  bots: number;
  bytes: number;
}

/** An upload refused by a quota: which one, and the numbers for the message. */
export type QuotaExceeded =
  | { kind: 'bots'; limit: number }
  | { kind: 'versions'; limit: number; botName: string }
  | { kind: 'bytes'; limit: number; used: number; size: number };

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
        and(
          eq(bots.guildId, guildId),
          eq(bots.ownerId, ownerId),
          eq(bots.nameKey, sql`lower(${storableText(name)})`),
        ),
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

  async function submitIn(h: Db, input: SubmitInput): Promise<Submitted> {
    const { bot, created } = await createOrGetIn(h, input);
    const added = await addVersionIn(h, bot.id, input.wasm, input.sha256, input.meta);
    // The bot was created or found in this transaction and is locked, so it cannot be missing.
    if (!added.ok) throw new Error(`bots: bot ${bot.id} vanished during submit`);
    const [current] = await h.select().from(bots).where(eq(bots.id, bot.id));
    return { bot: current!, botCreated: created, ...added.value };
  }

  async function makeCurrent(h: Db, botId: number, versionId: number): Promise<void> {
    await h
      .update(bots)
      .set({ currentVersionId: versionId, updatedAt: sql`now()` })
      .where(eq(bots.id, botId));
  }

  async function usageIn(h: Db, userId: string): Promise<StorageUsage> {
    const [row] = await h
      .select({
        bots: countDistinct(bots.id),
        bytes: sql<number>`coalesce(sum(${botVersions.sizeBytes}), 0)`.mapWith(Number),
      })
      .from(bots)
      .innerJoin(players, eq(players.id, bots.ownerId))
      .leftJoin(botVersions, eq(botVersions.botId, bots.id))
      .where(eq(players.userId, storableText(userId)));
    return { bots: row?.bots ?? 0, bytes: row?.bytes ?? 0 };
  }

  async function versionCountIn(h: Db, botId: number): Promise<number> {
    const [row] = await h.select({ n: count() }).from(botVersions).where(eq(botVersions.botId, botId));
    return row?.n ?? 0;
  }

  /**
   * Whether storing `size` more bytes as a version of `name` stays within `quota` (null when it
   * does). Bytes that are already a version of that bot are free: they are not stored twice.
   */
  async function quotaProblemIn(
    h: Db,
    input: {
      guildId: string;
      ownerId: number;
      ownerUserId: string;
      name: string;
      size: number;
      sha256?: string;
    },
    quota: StorageQuota,
  ): Promise<QuotaExceeded | null> {
    const usage = await usageIn(h, input.ownerUserId);
    const existing = await findByNameIn(h, input.guildId, input.ownerId, input.name);
    if (!existing) {
      if (usage.bots >= quota.botsPerUser) return { kind: 'bots', limit: quota.botsPerUser };
    } else {
      if (input.sha256) {
        const [same] = await h
          .select({ id: botVersions.id })
          .from(botVersions)
          .where(and(eq(botVersions.botId, existing.id), eq(botVersions.sha256, input.sha256)));
        if (same) return null;
      }
      if ((await versionCountIn(h, existing.id)) >= quota.versionsPerBot) {
        return { kind: 'versions', limit: quota.versionsPerBot, botName: existing.name };
      }
    }
    if (usage.bytes + input.size > quota.bytesPerUser) {
      return { kind: 'bytes', limit: quota.bytesPerUser, used: usage.bytes, size: input.size };
    }
    return null;
  }

  return {
    /** What the user stores now, across every guild. */
    usage(userId: string): Promise<StorageUsage> {
      return usageIn(db, userId);
    },

    /**
     * The cheap check before an upload is downloaded: would `size` more bytes under `name`
     * break a quota? (`submitWithinQuota` checks again, atomically, with the real bytes.)
     */
    quotaProblem(
      input: { guildId: string; ownerId: number; ownerUserId: string; name: string; size: number },
      quota: StorageQuota,
    ): Promise<QuotaExceeded | null> {
      return quotaProblemIn(db, input, quota);
    },

    /**
     * `submit`, refused when it would break the owner's quota. A transaction-scoped advisory
     * lock per user serialises one user's uploads across guilds, so parallel uploads cannot all
     * squeeze under a quota that only one of them fits.
     */
    async submitWithinQuota(
      input: SubmitInput & { ownerUserId: string },
      quota: StorageQuota,
    ): Promise<Result<Submitted, QuotaExceeded>> {
      assertSha256(input.wasm, input.sha256);
      return db.transaction(async (tx) => {
        await tx.execute(
          sql`select pg_advisory_xact_lock(${QUOTA_LOCK_CLASS}, hashtext(${input.ownerUserId}))`,
        );
        const problem = await quotaProblemIn(
          tx,
          { ...input, size: input.wasm.byteLength, sha256: input.sha256 },
          quota,
        );
        if (problem) return err(problem);
        return ok(await submitIn(tx, input));
      });
    },

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
      return db.transaction((tx) => submitIn(tx, input));
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
      if (!isInt4(version)) return err({ kind: 'no-such-version', botId, version });
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

    /**
     * Which of these bots are retired now, and since when (a running tournament skips their
     * pairings, and stores no match of theirs that started after it).
     */
    async retiredAmong(botIds: readonly number[]): Promise<Map<number, Date>> {
      if (botIds.length === 0) return new Map();
      const rows = await db
        .select({ id: bots.id, at: bots.retiredAt })
        .from(bots)
        .where(and(inArray(bots.id, [...botIds]), isNotNull(bots.retiredAt)));
      return new Map(rows.map((r) => [r.id, r.at!]));
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

    /** Bots of the guild called `name` (any case), with their owners: one per owner at most. */
    named(guildId: string, name: string): Promise<Array<{ bot: Bot; owner: BotChoiceOwner }>> {
      return db
        .select({
          bot: bots,
          owner: { id: players.id, userId: players.userId, displayName: players.displayName },
        })
        .from(bots)
        .innerJoin(players, eq(players.id, bots.ownerId))
        .where(and(eq(bots.guildId, guildId), eq(bots.nameKey, sql`lower(${name})`)))
        .orderBy(asc(bots.id));
    },

    /** Every bot of one owner (retired ones too), by name. */
    listOwned(guildId: string, ownerId: number): Promise<Bot[]> {
      return db
        .select()
        .from(bots)
        .where(and(eq(bots.guildId, guildId), eq(bots.ownerId, ownerId)))
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
      const pattern = `${escapeLike(storableText(prefix, 100))}%`;
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

/** Advisory-lock class of the per-user upload lock (the key is a hash of the user id). */
const QUOTA_LOCK_CLASS = 0x7175; // "qu"

/** A wrong hash would break dedupe silently, so a mismatch is a bug worth failing loudly on. */
function assertSha256(wasm: Uint8Array, sha256: string): void {
  const actual = createHash('sha256').update(wasm).digest('hex');
  if (actual !== sha256) throw new Error(`bots: sha256 ${sha256} does not match the bytes (${actual})`);
}

/** LIKE treats % and _ as wildcards and \ as escape; a typed prefix means them literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
