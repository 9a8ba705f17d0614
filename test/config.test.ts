import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DEFAULT_LIMITS } from '../src/sandbox/limits.js';

function parseEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

describe('configuration', () => {
  it('.env.example as it ships is valid and gives the documented defaults', () => {
    const config = loadConfig(parseEnvFile(path.resolve(import.meta.dirname, '../.env.example')));
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.sandbox.limits).toEqual(DEFAULT_LIMITS);
    expect(config.value.discord.token).toBeNull();
    expect(config.value.databaseUrl).toBeNull();
    expect(config.value.discord.attachmentHosts).toEqual(['cdn.discordapp.com', 'media.discordapp.net']);
  });

  it('an empty environment gives the same defaults', () => {
    const config = loadConfig({});
    expect(config.ok && config.value.sandbox.limits).toEqual(DEFAULT_LIMITS);
    expect(config.ok && config.value.rateLimits).toEqual({ submitsPerHour: 10, challengesPerHour: 60 });
  });

  it('a tournament keeps three matches in flight per sandbox process by default, 96 through the queue', () => {
    const concurrency = (env: Record<string, string>) => {
      const config = loadConfig(env);
      return config.ok ? config.value.tournaments.concurrency : null;
    };
    expect(concurrency({ THROWDOWN_SANDBOX_WORKERS: '2' })).toBe(6);
    expect(concurrency({ THROWDOWN_SANDBOX_WORKERS: '5' })).toBe(15);
    expect(concurrency({})).toBe(3 * Math.max(1, availableParallelism()));
    expect(concurrency({ THROWDOWN_SANDBOX_WORKERS: '2', THROWDOWN_TOURNAMENT_CONCURRENCY: '4' })).toBe(4);
    // Above the queue's default (96), for deployments with many worker machines.
    expect(concurrency({ THROWDOWN_TOURNAMENT_CONCURRENCY: '500' })).toBe(500);
    expect(concurrency({ DATABASE_URL: 'postgres://x@127.0.0.1/db', THROWDOWN_MATCH_QUEUE: 'pgboss' })).toBe(
      96,
    );
  });

  it('reads limits in their documented units', () => {
    const config = loadConfig({
      THROWDOWN_MEMORY_MIB: '32',
      THROWDOWN_STACK_KIB: '256',
      THROWDOWN_FUEL_PER_MOVE: '5000',
    });
    expect(config.ok && config.value.sandbox.limits).toMatchObject({
      memoryBytes: 32 * 1024 * 1024,
      stackBytes: 256 * 1024,
      fuelPerMove: 5000,
    });
  });

  it('names every bad variable in plain words', () => {
    const config = loadConfig({
      THROWDOWN_FUEL_PER_MOVE: 'lots',
      DATABASE_URL: 'mysql://x',
      DISCORD_APPLICATION_ID: 'abc',
      THROWDOWN_LOG_LEVEL: 'loud',
    });
    expect(config.ok).toBe(false);
    if (config.ok) return;
    const variables = config.error.map((p) => p.variable).sort();
    expect(variables).toEqual([
      'DATABASE_URL',
      'DISCORD_APPLICATION_ID',
      'THROWDOWN_FUEL_PER_MOVE',
      'THROWDOWN_LOG_LEVEL',
    ]);
    expect(config.error.find((p) => p.variable === 'THROWDOWN_FUEL_PER_MOVE')?.message).toMatch(
      /whole number/,
    );
    expect(loadConfig({ THROWDOWN_TIMEZONE: 'Mars/Olympus' })).toMatchObject({
      ok: false,
      error: [{ variable: 'THROWDOWN_TIMEZONE' }],
    });
  });

  it('refuses limits past what WebAssembly engines can do, saying the range', () => {
    // 99999 MiB of memory used to pass here and fail later inside the sandbox as "a bug".
    const config = loadConfig({ THROWDOWN_MEMORY_MIB: '99999', THROWDOWN_TABLE_ELEMENTS: '20000000' });
    expect(config.ok).toBe(false);
    if (config.ok) return;
    expect(config.error.map((p) => p.message)).toEqual([
      'THROWDOWN_MEMORY_MIB must be a whole number from 1 to 4096 (got "99999")',
      'THROWDOWN_TABLE_ELEMENTS must be a whole number from 1 to 10000000 (got "20000000")',
    ]);
    expect(loadConfig({ THROWDOWN_MEMORY_MIB: '4096' }).ok).toBe(true);
  });

  it('interactions over HTTP need the public key and the token; the key is 64 hex digits', () => {
    const key = 'AB'.repeat(32);
    const http = { DISCORD_INTERACTIONS: 'http', DISCORD_TOKEN: 't.o.k', DISCORD_PUBLIC_KEY: key };
    const config = loadConfig({ ...http, THROWDOWN_HTTP_PORT: '0', THROWDOWN_HTTP_HOST: '0.0.0.0' });
    expect(config.ok && config.value.discord).toMatchObject({
      interactions: 'http',
      publicKey: key.toLowerCase(),
      http: { host: '0.0.0.0', port: 0, path: '/interactions' },
    });
    const plain = loadConfig({});
    expect(plain.ok && plain.value.discord.interactions).toBe('gateway');
    expect(loadConfig({ ...http, DISCORD_PUBLIC_KEY: '' })).toMatchObject({
      ok: false,
      error: [{ variable: 'DISCORD_PUBLIC_KEY', message: expect.stringMatching(/needs DISCORD_PUBLIC_KEY/) }],
    });
    expect(loadConfig({ ...http, DISCORD_TOKEN: '' })).toMatchObject({
      ok: false,
      error: [{ variable: 'DISCORD_TOKEN' }],
    });
    expect(loadConfig({ ...http, DISCORD_PUBLIC_KEY: 'xyz' })).toMatchObject({
      ok: false,
      error: [{ variable: 'DISCORD_PUBLIC_KEY', message: expect.stringMatching(/64 hex digits/) }],
    });
    expect(loadConfig({ THROWDOWN_HTTP_PATH: 'no-slash' }).ok).toBe(false);
    expect(loadConfig({ THROWDOWN_HTTP_PORT: '70000' }).ok).toBe(false);
  });
});
