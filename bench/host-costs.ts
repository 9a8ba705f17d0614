/**
 * What the in-memory WASI hosts cost on the hottest path (numbers for humans, nothing asserted):
 * - preview1: a fresh instance of a small AssemblyScript bot per move, stdin in, move out;
 * - preview2: one stdout write from a WAT component through jco's sync glue, next to the bare
 *   host method, and the cost of calling a component export at all.
 *
 * Run: npm run build && node dist/bench/host-costs.js   (from the repository root)
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import asc from 'assemblyscript/asc';
import { instantiateCommand } from '../src/sandbox/host/command.js';
import { createGuestContext } from '../src/sandbox/host/context.js';
import { createPreview1Imports } from '../src/sandbox/host/preview1.js';
import { createPreview2Imports } from '../src/sandbox/host/preview2/index.js';
import type { OutputStream } from '../src/sandbox/host/preview2/io.js';

/** A small bot: reads the opponent's history ("RPSR...") from stdin, counters their favourite. */
const AS_BOT = `
const buf = new ArrayBuffer(4096);
const n = process.stdin.read(buf);
const bytes = Uint8Array.wrap(buf, 0, n);
let r = 0, p = 0, s = 0;
for (let i = 0; i < n; i++) {
  const c = bytes[i];
  if (c == 82) r++; else if (c == 80) p++; else if (c == 83) s++;
}
process.stdout.write(r >= p && r >= s ? 'P\\n' : p >= s ? 'S\\n' : 'R\\n');
`;

async function compileBot(): Promise<WebAssembly.Module> {
  const dir = await mkdtemp(join(tmpdir(), 'throwdown-bench-'));
  await writeFile(join(dir, 'bot.ts'), AS_BOT);
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const config = relative(process.cwd(), 'node_modules/@assemblyscript/wasi-shim/asconfig.json');
  let binary: Uint8Array | undefined;
  const { error } = await asc.main(
    [join(dir, 'bot.ts'), '--config', config, '-O3', '--runtime', 'stub', '-o', join(dir, 'bot.wasm')],
    {
      writeFile(name: string, contents: Uint8Array | string) {
        if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
      },
    },
  );
  await cleanup();
  if (error || binary === undefined) throw new Error(`asc failed: ${error?.message}`);
  console.log(`AS bot: ${binary.length} bytes`);
  return new WebAssembly.Module(binary);
}

/** Median over `rounds` batches of `per` iterations, in microseconds per iteration. */
function measure(label: string, per: number, body: (i: number) => void, rounds = 15): number {
  for (let i = 0; i < per; i++) body(i); // warm up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < per; i++) body(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / per);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] as number;
  const p90 = samples[Math.floor(samples.length * 0.9)] as number;
  console.log(
    `${label.padEnd(58)} median ${median.toFixed(2).padStart(8)} us   p90 ${p90.toFixed(2).padStart(8)} us`,
  );
  return median;
}

async function benchPreview1(): Promise<void> {
  const bot = await compileBot();
  const history = new TextEncoder().encode('RPSRRPSRRRPS'.repeat(80)); // ~1 KB of history
  const ctx = createGuestContext({
    args: ['alice/bench'],
    stdin: history,
    stdoutCap: 1024,
    stderrCap: 1024,
    rng: 'b',
  });
  let check = '';
  measure('preview1: fresh instance + _start per move (AS bot)', 2000, () => {
    ctx.stdout.reset();
    const instance = instantiateCommand(bot, ctx);
    (instance.exports._start as () => void)();
    check = ctx.stdout.text();
  });
  if (check !== 'P\n') throw new Error(`unexpected move ${JSON.stringify(check)}`);
  measure('  of which createPreview1Imports', 20000, () => {
    createPreview1Imports(ctx, () => {
      throw new Error('unused');
    });
  });
  const imports = createPreview1Imports(ctx, () => {
    throw new Error('unused');
  });
  measure('  of which new WebAssembly.Instance (imports reused)', 2000, () => {
    new WebAssembly.Instance(bot, imports);
  });
  // The floor V8 sets: allocating a linear memory (guard-region reservation) dominates.
  const empty = new WebAssembly.Module(await parse('(module (func (export "_start")))'));
  const onePage = new WebAssembly.Module(
    await parse('(module (memory (export "memory") 1) (func (export "_start")))'),
  );
  measure('  floor: instantiate an empty module, no memory', 2000, () => new WebAssembly.Instance(empty, {}));
  measure(
    '  floor: instantiate an empty module with a 1-page memory',
    2000,
    () => new WebAssembly.Instance(onePage, {}),
  );
}

const WAT_DIR = 'test/sandbox/host/fixtures';

async function benchPreview2(): Promise<void> {
  const core = await parse(readFileSync(join(WAT_DIR, 'wat-guest.wat'), 'utf8'));
  const witSource = readFileSync(join(WAT_DIR, 'wat-guest.wit'), 'utf8');
  const component = await componentNew(await componentEmbed({ binary: core, witSource, world: 'wat-guest' }));
  const { files } = await transpileBytes(component, { name: 'watguest', instantiation: 'sync' });
  const dir = await mkdtemp(join(tmpdir(), 'throwdown-bench-p2-'));
  const modules = new Map<string, WebAssembly.Module>();
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), contents);
    if (path.endsWith('.wasm')) modules.set(path, new WebAssembly.Module(contents));
  }
  type Root = { writeLines(count: number): void };
  const glue = (await import(pathToFileURL(join(dir, 'watguest.js')).href)) as {
    instantiate(get: (path: string) => WebAssembly.Module, imports: Record<string, object>): Root;
  };
  await rm(dir, { recursive: true, force: true });
  const getCoreModule = (path: string) => modules.get(path) as WebAssembly.Module;

  const ctx = createGuestContext({ stdoutCap: 1 << 30, stderrCap: 1024, rng: 'b' });
  const root = glue.instantiate(getCoreModule, createPreview2Imports(ctx));
  const writes = 1000;
  const batch = measure(`preview2: one export call doing ${writes} stdout writes`, 20, () => {
    ctx.stdout.reset();
    root.writeLines(writes);
  });
  const empty = measure('preview2: one export call doing no write (get-stdout + drop)', 2000, () =>
    root.writeLines(0),
  );
  const perWrite = (batch - empty) / writes;
  console.log(
    `${'  => per guest -> host stdout write, through the glue'.padEnd(58)} ~${perWrite.toFixed(2)} us`,
  );
  const out = createPreview2Imports(ctx)['wasi:cli/stdout'] as { getStdout(): OutputStream };
  const stream = out.getStdout();
  const line = new Uint8Array([120, 10]);
  measure('preview2: the host method alone (blockingWriteAndFlush)', 100_000, () => {
    if (ctx.stdout.length > 1 << 29) ctx.stdout.reset();
    stream.blockingWriteAndFlush(line);
  });
  measure('preview2: createPreview2Imports', 20000, () => createPreview2Imports(ctx));
  measure('preview2: instantiate the WAT component (glue + imports)', 500, () =>
    glue.instantiate(getCoreModule, createPreview2Imports(ctx)),
  );
}

await benchPreview1();
await benchPreview2();
