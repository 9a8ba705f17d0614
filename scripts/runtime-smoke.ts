import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deterministicPart } from '../src/games/match-record.js';
import { makeRules } from '../src/games/rps.js';
import { sha256Hex } from '../src/sandbox/prepare/artifact.js';
import { createSandbox } from '../src/sandbox/sandbox.js';
import type { BotSource } from '../src/sandbox/types.js';
import type { BotEntry, HostileEntry, Manifest } from './bots/manifest.js';
import { findRoot } from './bots/root.js';

/**
 * The sandbox's observable results on the Node running this script, as JSON on stdout: every
 * starter bot validated and played, and every hostile bot's verdict. Nothing timing-dependent
 * is printed, so the output of two Node lines must be byte-identical (the cross-runtime test
 * and CI compare them). A hostile bot whose verdict differs from its manifest's expectation
 * makes the script exit 1, so this is also a smoke test of the sandbox on that Node.
 *
 * Usage: node dist/scripts/runtime-smoke.js > results.json   (needs bots/dist and test/hostile/dist)
 */
const ROUNDS = 300;
const SEED = 'runtime-smoke';

interface Outcome {
  name: string;
  verdict: string;
  detail: unknown;
}

async function manifest<E extends BotEntry | HostileEntry>(root: string, dir: string) {
  return JSON.parse(await readFile(join(root, dir, 'manifest.json'), 'utf8')) as Manifest<E>;
}

function source(name: string, bytes: Uint8Array): BotSource {
  return { kind: 'wasm', name, sha256: sha256Hex(bytes), bytes: async () => bytes };
}

function expectationMet(entry: HostileEntry, outcome: Outcome): boolean {
  const expected = entry.expected;
  if (expected.expect === 'rejected') {
    return expected.code
      ? outcome.verdict === `rejected:${expected.code}`
      : outcome.verdict.startsWith('rejected:');
  }
  if (expected.expect === 'fault') return outcome.verdict === `fault:${expected.kind}`;
  return outcome.verdict === 'plays';
}

export async function runtimeSmoke(root = findRoot()): Promise<{ outcomes: Outcome[]; failures: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'throwdown-runtime-smoke-'));
  const sandbox = createSandbox({ artifactsDir: join(dir, 'artifacts'), workers: 2 });
  const outcomes: Outcome[] = [];
  const failures: string[] = [];
  try {
    const bots = await manifest<BotEntry>(root, 'bots/dist');
    const read = async (folder: string, file: string) =>
      new Uint8Array(await readFile(join(root, folder, file)));
    const opponent = source('frequency.component', await read('bots/dist', 'frequency.component.wasm'));

    for (const entry of bots.entries) {
      const bytes = await read('bots/dist', entry.file);
      const checked = await sandbox.check(bytes);
      if (!checked.ok) {
        failures.push(`${entry.name}: a starter bot was refused: ${checked.error.message}`);
        outcomes.push({ name: entry.name, verdict: `rejected:${checked.error.code}`, detail: checked.error });
        continue;
      }
      const { smoke, ...report } = checked.value;
      const played = await sandbox.play({
        seed: SEED,
        rules: makeRules({ rounds: ROUNDS }),
        bots: [source(entry.name, bytes), opponent],
      });
      if (!played.ok)
        failures.push(`${entry.name}: the match could not be played: ${JSON.stringify(played.error)}`);
      outcomes.push({
        name: entry.name,
        verdict: played.ok ? 'plays' : 'not-played',
        detail: {
          report,
          // The upload's smoke match draws a fresh seed and opponent every time (so a bot cannot
          // tell it from a real match), so only that it was played is comparable, not its fuel.
          smokePlayed: Boolean(smoke),
          match: played.ok ? deterministicPart(played.value) : played.error,
        },
      });
    }

    const hostile = await manifest<HostileEntry>(root, 'test/hostile/dist');
    for (const entry of hostile.entries) {
      const bytes = await read('test/hostile/dist', entry.file);
      let outcome: Outcome;
      if (entry.expected.expect === 'rejected') {
        const checked = await sandbox.check(bytes);
        outcome = checked.ok
          ? { name: entry.name, verdict: 'accepted', detail: null }
          : { name: entry.name, verdict: `rejected:${checked.error.code}`, detail: checked.error.message };
      } else {
        const played = await sandbox.play({
          seed: SEED,
          rules: makeRules({ rounds: 1000 }),
          bots: [source(entry.name, bytes), { kind: 'builtin', name: 'referee', strategy: 'cycle' }],
        });
        if (!played.ok) {
          outcome = { name: entry.name, verdict: 'not-played', detail: played.error };
        } else {
          const fault = played.value.faults.find((f) => f.seat === 0);
          outcome = {
            name: entry.name,
            verdict: fault ? `fault:${fault.kind}` : 'plays',
            detail: deterministicPart(played.value),
          };
        }
      }
      if (!expectationMet(entry, outcome)) {
        failures.push(`${entry.name}: expected ${entry.expectText}; got ${outcome.verdict}`);
      }
      outcomes.push(outcome);
    }
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { outcomes, failures };
}

async function main(): Promise<void> {
  const { outcomes, failures } = await runtimeSmoke();
  process.stdout.write(`${JSON.stringify(outcomes, null, 1)}\n`);
  for (const failure of failures) process.stderr.write(`runtime-smoke (${process.version}): ${failure}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
