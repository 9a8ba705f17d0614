import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { componentize } from 'componentize-qjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meteringModulePath, removeMeteringModule, runNodeJson, TIERS } from './helpers/child.js';

/**
 * A JavaScript bot built the way users build them (componentize-qjs), metered module by module
 * through jco's instantiation hooks. QuickJS's interpreter loop has the largest native frames
 * seen in practice, and its engine module imports the memory its main module defines.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const JS_BOT = `
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
export function play(state) {
  return ['rock', 'paper', 'scissors'][depth(state.round) % 3];
}`;

let dir = '';

beforeAll(async () => {
  const { component } = await componentize({
    witPath: join(root, 'wit/rps.wit'),
    jsSource: JS_BOT,
    world: 'player',
    sync: true,
    stubWasi: true,
  });
  const out = await transpileBytes(new Uint8Array(component), {
    name: 'bot',
    instantiation: 'sync',
  } as never);
  dir = mkdtempSync(join(tmpdir(), 'throwdown-qjs-'));
  const files = (out as { files: Record<string, Uint8Array> }).files;
  for (const [name, bytes] of Object.entries(files)) {
    if (name.includes('/')) continue;
    writeFileSync(join(dir, name), bytes);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  removeMeteringModule();
});

const RUN = (metering: string, botDir: string) => `
import { readFileSync } from 'node:fs';
import { instrument } from ${JSON.stringify(metering)};
const { instantiate } = await import(${JSON.stringify(join(botDir, 'bot.js'))});
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { rounds } = JSON.parse(Buffer.concat(chunks).toString());
const modules = new Map();
const getCoreModule = (name) => {
  if (!modules.has(name)) {
    const res = instrument(new Uint8Array(readFileSync(${JSON.stringify(botDir)} + '/' + name)), {
      memoryPages: 1024, tableElements: 100000, stackBytes: 524288,
      importedMemoryAndTables: 'cap', instantiationFuel: 1e10,
    });
    if (!res.ok) throw new Error(name + ': ' + res.error.message);
    modules.set(name, new WebAssembly.Module(res.value.bytes));
  }
  return modules.get(name);
};
const arena = { opponentName: () => 'them', myName: () => 'me', debug: () => {} };
const results = [];
for (const round of rounds) {
  const instances = [];
  const bot = instantiate(getCoreModule, { 'throwdown:rps/arena': arena, 'throwdown:rps/types': {} },
    (module, imports) => { const i = new WebAssembly.Instance(module, imports); instances.push(i); return i; });
  const metered = instances.filter((i) => i.exports.throwdown_fuel);
  for (const i of metered) { i.exports.throwdown_fuel.value = 10n ** 12n; i.exports.throwdown_stack.value = 524288; }
  let outcome;
  try { outcome = bot.play({ round, totalRounds: 1000 }); }
  catch (e) { outcome = e instanceof RangeError ? 'v8-range-error' : metered.some((i) => i.exports.throwdown_stack.value < 0) ? 'stack-budget' : 'trap: ' + e.message; }
  const fuel = metered.map((i) => String(10n ** 12n - i.exports.throwdown_fuel.value));
  results.push({ round, outcome, fuel });
}
console.log(JSON.stringify(results));
`;

describe('a componentize-qjs JavaScript bot', () => {
  it('plays the same, uses the same fuel, and stops deep recursion on the budget, in every tier', async () => {
    const script = RUN(meteringModulePath(), dir);
    const rounds = [1, 5, 50, 100_000];
    const byTier: Record<string, { round: number; outcome: string; fuel: string[] }[]> = {};
    for (const [tier, flags] of Object.entries(TIERS)) {
      byTier[tier] = await runNodeJson(flags, script, { rounds });
    }
    const reference = byTier.liftoff!;
    expect(reference.map((r) => r.outcome)).toEqual(['paper', 'scissors', 'scissors', 'stack-budget']);
    for (const [tier, results] of Object.entries(byTier)) expect(results, tier).toEqual(reference);
  });
});
