import type { Limits } from '../sandbox/limits.js';
import { err, ok, type Result } from '../util/result.js';
import { nameForMessage } from './bot-names.js';
import type { EngineDeps, GuildRef } from './deps.js';
import { type UserError, userError } from './errors.js';

/**
 * The limits a guild's admins may tune: only lower than the server's (the server operator's
 * .env is the ceiling, since the server pays for the compute), and never below a floor that
 * would stop ordinary bots from running at all.
 */
export const TUNABLE_LIMITS = {
  fuel_per_move: { field: 'fuelPerMove', unit: 1, floor: 100_000, label: 'fuel per move (instructions)' },
  fuel_per_match: {
    field: 'fuelPerMatch',
    unit: 1,
    floor: 10_000_000,
    label: 'fuel per match (instructions)',
  },
  memory_mib: { field: 'memoryBytes', unit: 1024 * 1024, floor: 1, label: 'memory (MiB)' },
  upload_mib: { field: 'moduleBytes', unit: 1024 * 1024, floor: 1, label: 'upload size (MiB)' },
  output_kib: { field: 'stdoutBytes', unit: 1024, floor: 1, label: 'stdout and stderr per move (KiB)' },
} as const satisfies Record<string, { field: keyof Limits; unit: number; floor: number; label: string }>;
export type TunableLimit = keyof typeof TUNABLE_LIMITS;

export function isTunableLimit(name: string): name is TunableLimit {
  return Object.hasOwn(TUNABLE_LIMITS, name);
}

/**
 * The limits a guild's bots run under: each of its overrides, but never above the server
 * operator's value (the .env is the ceiling, read at every use: an override stored while the
 * operator allowed more does not survive a lower .env). Keys that are not limits, and values
 * that are not positive numbers, are ignored.
 */
export function effectiveLimits(operator: Limits, overrides: Partial<Limits> | null | undefined): Limits {
  const out: Limits = { ...operator };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!Object.hasOwn(operator, key)) continue;
    const field = key as keyof Limits;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
      out[field] = Math.min(operator[field], value);
    }
  }
  return out;
}

export async function setGuildLimit(
  deps: EngineDeps,
  input: { guild: GuildRef; name: string; value: number },
): Promise<Result<Limits, UserError>> {
  if (!isTunableLimit(input.name)) {
    return err(
      userError(
        'invalid-input',
        `Unknown limit "${nameForMessage(input.name)}"; choose one of ${Object.keys(TUNABLE_LIMITS).join(', ')}.`,
      ),
    );
  }
  const spec = TUNABLE_LIMITS[input.name];
  if (!Number.isSafeInteger(input.value) || input.value < spec.floor) {
    return err(userError('invalid-input', `${spec.label} must be a whole number of at least ${spec.floor}.`));
  }
  const bytes = input.value * spec.unit;
  // One option may set two limits (stdout and stderr): each is held to its own ceiling.
  const fields: (keyof Limits)[] =
    input.name === 'output_kib' ? ['stdoutBytes', 'stderrBytes'] : [spec.field];
  const ceiling = Math.max(...fields.map((f) => deps.limits[f]));
  if (bytes > ceiling) {
    return err(
      userError(
        'invalid-input',
        `This server allows at most ${Math.floor(ceiling / spec.unit)} for ${spec.label}; a guild may only lower it.`,
      ),
    );
  }
  const guild = await deps.repos.guilds.upsert(input.guild);
  const overrides: Partial<Limits> = { ...guild.limits };
  for (const f of fields) overrides[f] = Math.min(bytes, deps.limits[f]);
  await deps.repos.guilds.setLimits(guild.id, overrides);
  deps.logger.info('guild limit changed', { guild: guild.id, limit: input.name, value: input.value });
  return ok(effectiveLimits(deps.limits, overrides));
}

export async function resetGuildLimits(deps: EngineDeps, guild: GuildRef): Promise<Limits> {
  await deps.repos.guilds.upsert(guild);
  await deps.repos.guilds.setLimits(guild.id, {});
  return { ...deps.limits };
}
