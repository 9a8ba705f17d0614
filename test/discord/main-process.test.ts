// The service exactly as `npm start` runs it (node dist/src/main.js), configured by environment
// variables alone, against the fake: deploy the commands with the script, answer /help and a
// /submit, and stop cleanly on SIGTERM. Needs an up-to-date dist/ (`npm test` builds it).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord/index.js';
import { botBytes } from '../support/sandbox.js';
import { answered, embedText } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'dist/src/main.js');
const deployScript = path.join(root, 'dist/scripts/deploy-commands.js');

const database = await useTestDatabase();
const dataDir = mkdtempSync(path.join(tmpdir(), 'throwdown-main-'));
const fake: FakeDiscord = await startFakeDiscord();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  if (!database.url) throw new Error('this test needs PostgreSQL (DATABASE_URL), not PGlite');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_REST_URL: fake.restUrl,
    DISCORD_ATTACHMENT_HOSTS: fake.cdnOrigin(),
    DATABASE_URL: database.url,
    THROWDOWN_DATA_DIR: dataDir,
    THROWDOWN_SANDBOX_WORKERS: '1',
  };
}

/** Runs a compiled entry point from an empty directory (so no stray .env is read). */
function start(file: string, args: string[] = [], overrides: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [file, ...args], {
    cwd: dataDir,
    env: { ...env(), ...overrides },
    stdio: 'pipe',
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, output, exited };
}

describe('node dist/src/main.js with environment variables only', () => {
  it('deploys, answers /help and /submit, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(main), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);

    const deploy = start(deployScript, ['--global']);
    const [deployCode] = await deploy.exited;
    expect(deploy.output.stderr).toBe('');
    expect(deployCode).toBe(0);
    expect(deploy.output.stdout).toContain('Registered 8 commands globally');
    expect(fake.registeredCommands().map((c) => c.name)).toEqual([
      'submit',
      'challenge',
      'leaderboard',
      'bot',
      'settings',
      'help',
      'admin',
      'tournament',
    ]);

    const service = start(main);
    await fake.waitFor(
      () => service.output.stderr.includes('connected to Discord'),
      30_000,
      'the service to connect',
    );
    expect(service.output.stderr).toMatch(/connected to Discord .*guilds=1/);

    const help = await answered(fake, fake.sendChatInput({ name: 'help' }));
    expect(help.ephemeral).toBe(true);
    expect(embedText(help.message)).toContain('Throwdown: rock-paper-scissors');

    const file = fake.addAttachment({ filename: 'rock.wasm', bytes: botBytes('rock.component') });
    const submit = await answered(
      fake,
      fake.sendChatInput({ name: 'submit', options: { bot: file } }),
      30_000,
    );
    expect(submit.message.embeds[0]?.title).toBe('Accepted: rock');

    service.child.kill('SIGTERM');
    const [code, signal] = await service.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(service.output.stderr).toMatch(/stopping .*signal=SIGTERM/);
    expect(service.output.stderr).toContain('disconnected from Discord');
    expect(service.output.stderr).toContain('stopped');
    expect(service.output.stderr).not.toContain(fake.token);
    expect(service.output.stderr).not.toMatch(/ERROR/);
    await fake.waitFor(() => fake.gateway.connected === 0, 5000, 'the gateway socket to close');
  });

  it('exits with a plain message when Discord refuses the token', async () => {
    const service = start(main, [], { DISCORD_TOKEN: 'revoked-token.abc' });
    const [code] = await service.exited;
    expect(code).toBe(1);
    expect(service.output.stderr).toContain('throwdown: Discord refused the token: check DISCORD_TOKEN');
    expect(service.output.stderr).not.toContain('revoked-token');
  });

  it('DISCORD_INTERACTIONS=http: two processes on one database behind a load balancer both answer', async () => {
    const http = {
      DISCORD_INTERACTIONS: 'http',
      DISCORD_PUBLIC_KEY: fake.publicKey,
      THROWDOWN_HTTP_PORT: '0',
      THROWDOWN_DATA_DIR: '',
    };
    const dirs = [
      mkdtempSync(path.join(tmpdir(), 'throwdown-http-a-')),
      mkdtempSync(path.join(tmpdir(), 'throwdown-http-b-')),
    ];
    const services = dirs.map((dir) => start(main, [], { ...http, THROWDOWN_DATA_DIR: dir }));
    const urls: string[] = [];
    for (const service of services) {
      const line = await fake.waitFor(
        () => /interactions endpoint listening .*url=(\S+)/.exec(service.output.stderr),
        30_000,
        'the endpoint to listen',
      );
      urls.push(line[1]!);
    }
    fake.useInteractionsEndpoint(...urls);
    try {
      const delivered: string[] = [];
      for (let i = 0; i < 4; i++) {
        const handle = fake.sendChatInput({ name: 'help' });
        const help = await answered(fake, handle, 30_000);
        expect(embedText(help.message)).toContain('Throwdown: rock-paper-scissors');
        const delivery = await handle.delivered();
        expect(delivery.status).toBe(202);
        delivered.push(delivery.url);
      }
      expect(delivered).toEqual([urls[0], urls[1], urls[0], urls[1]]);
    } finally {
      fake.useInteractionsEndpoint();
    }
    for (const service of services) service.child.kill('SIGTERM');
    for (const service of services) {
      const [code] = await service.exited;
      expect(code).toBe(0);
      expect(service.output.stderr).not.toContain(fake.token);
      expect(service.output.stderr).not.toMatch(/ERROR/);
      // No gateway session: interactions came over HTTP only.
      expect(service.output.stderr).not.toContain('connected to Discord');
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
});
