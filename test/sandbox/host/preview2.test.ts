/**
 * The preview2 host under real components: a QuickJS guest (componentize-qjs) and a WAT guest
 * with no language runtime, both transpiled by jco with `instantiation: 'sync'`.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createGuestContext,
  DEFAULT_EPOCH_NS,
  DEFAULT_MONOTONIC_BASE_NS,
  type GuestContext,
  GuestExit,
  OutputLimitExceeded,
} from '../../../src/sandbox/host/context.js';
import { createPreview2Imports } from '../../../src/sandbox/host/preview2/index.js';
import { componentFromWat, componentizeJs, type LoadedComponent, loadComponent } from './components.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

function context(
  options: { stdin?: string; rng?: string; stdoutCap?: number; args?: string[] } = {},
): GuestContext {
  return createGuestContext({
    args: options.args ?? ['alice/beatlast'],
    stdin: options.stdin ?? '',
    stdoutCap: options.stdoutCap ?? 4096,
    stderrCap: 4096,
    rng: options.rng ?? 'match-1/alice',
  });
}

interface Probe {
  run(cmd: string): string;
}

describe('preview2 host, running a QuickJS component', () => {
  let probe: LoadedComponent<Probe>;
  beforeAll(async () => {
    const bytes = await componentizeJs(fixture('wit').pathname, 'probe', read('probe.js'));
    probe = await loadComponent<Probe>(bytes, 'probe');
  }, 120_000);

  /** A fresh instance (the protocol; also, a trap leaves jco's instance unusable). */
  function start(ctx: GuestContext = context()): { root: Probe; ctx: GuestContext } {
    return { root: probe.instantiate(createPreview2Imports(ctx)), ctx };
  }

  it('createPreview2Imports(): should cover every interface the component imports', () => {
    const provided = Object.keys(createPreview2Imports(context()));
    expect(probe.imports.filter((name) => !provided.includes(name))).toEqual([]);
    expect(probe.imports).toContain('wasi:random/insecure-seed');
  });

  it('QuickJS itself: should have no console, crypto, process or TextEncoder', () => {
    const { root } = start();
    expect(JSON.parse(root.run('native'))).toEqual({
      console: 'undefined',
      crypto: 'undefined',
      process: 'undefined',
      TextEncoder: 'undefined',
      performance: 'object',
    });
  });

  it('console.log/console.error (over wasi:cli/stdout|stderr): should land in the sinks', () => {
    const { root, ctx } = start();
    expect(root.run('log:hello, wörld')).toBe('ok');
    expect(root.run('error:oops')).toBe('ok');
    expect(root.run('log:again')).toBe('ok');
    expect(ctx.stdout.text()).toBe('hello, wörld\nagain\n');
    expect(ctx.stderr.text()).toBe('oops\n');
  });

  it('stdout cap: should throw OutputLimitExceeded out of the guest call, keeping exactly the cap', () => {
    const { root, ctx } = start(context({ stdoutCap: 1000 }));
    let thrown: unknown;
    try {
      root.run('spam:100');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OutputLimitExceeded);
    expect(thrown).toMatchObject({ stream: 'stdout', cap: 1000 });
    expect(ctx.stdout.length).toBe(1000);
    expect(ctx.stdout.exceeded).toBe(true);
    expect(start().root.run('spam:10')).toBe('survived'); // the host and other instances carry on
  });

  it('Math.random/crypto.getRandomValues (over wasi:random): equal iff the seeds are equal', () => {
    const a = start(context({ rng: 'match-1/alice' })).root.run('random');
    const b = start(context({ rng: 'match-1/alice' })).root.run('random');
    const c = start(context({ rng: 'match-1/bob' })).root.run('random');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const [float, bytes] = JSON.parse(a) as [number, number[]];
    expect(float).toBeGreaterThanOrEqual(0);
    expect(float).toBeLessThan(1);
    expect(bytes).toHaveLength(6);
  });

  it("QuickJS's own Math.random: should be fixed by the build snapshot, never asking the host", () => {
    // Documented limitation: without the prelude, Math.random is the same for every seed.
    const a = start(context({ rng: 'one' })).root.run('snapshot-random');
    const b = start(context({ rng: 'two' })).root.run('snapshot-random');
    expect(a).toBe(b);
  });

  it('Date.now/performance.now: should be virtual and identical across instances', () => {
    const first = JSON.parse(start().root.run('time')) as [number, string, number, number];
    const second = JSON.parse(start().root.run('time')) as [number, string, number, number];
    expect(first).toEqual(second);
    expect(first[0]).toBe(Number(DEFAULT_EPOCH_NS / 1_000_000n));
    expect(first[1]).toBe('2021-01-01T00:00:00.000Z');
    // performance.now() = virtual monotonic minus an origin baked in at build time: positive.
    expect(first[3]).toBeGreaterThan(0);
    expect(first[3]).toBeLessThan(Number(DEFAULT_MONOTONIC_BASE_NS / 1_000_000n));
  });

  it('process.env/argv (over wasi:cli/environment): empty environment, argv from the context', () => {
    const { root } = start(context({ args: ['alice/beatlast', 'extra'] }));
    expect(JSON.parse(root.run('env'))).toEqual({ env: {}, argv: ['alice/beatlast', 'extra'] });
  });

  it('stdin: should read the whole context stdin, then report closed', () => {
    const { root } = start(context({ stdin: 'rock\npaper\nscissors, ü\n' }));
    expect(root.run('stdin')).toBe('rock\npaper\nscissors, ü\n');
    expect(root.run('stdin')).toBe('');
  });

  it('exit: should end only the guest (GuestExit 0 for ok, 1 for err)', () => {
    const ok = start();
    expect(() => ok.root.run('exit:0')).toThrow(expect.objectContaining({ name: 'GuestExit', code: 0 }));
    const err = start();
    let thrown: unknown;
    try {
      err.root.run('exit:3');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GuestExit);
    expect((thrown as GuestExit).code).toBe(1); // wasi:cli/exit 0.2 carries only ok/err
    expect(start().root.run('log:alive')).toBe('ok');
  });

  it('filesystem and terminals: no preopens, never a terminal', () => {
    expect(JSON.parse(start().root.run('fs'))).toEqual({ preopens: 0, terminal: null });
  });

  it('a guest exception: should trap, with the runtime panic message in the stderr sink', () => {
    const { root, ctx } = start();
    expect(() => root.run('throw:kaboom')).toThrow(WebAssembly.RuntimeError);
    expect(ctx.stderr.text()).toContain('kaboom');
    expect(ctx.stdout.text()).toBe('');
  });

  it('two instances: should share nothing (sinks, stdin position, randomness)', () => {
    const a = start(context({ stdin: 'aaaa', rng: 'same' }));
    const b = start(context({ stdin: 'bbbb', rng: 'same' }));
    a.root.run('log:from a');
    b.root.run('log:from b');
    expect(a.root.run('stdin')).toBe('aaaa');
    expect(b.root.run('stdin')).toBe('bbbb');
    expect(a.root.run('random')).toBe(b.root.run('random'));
    expect(a.ctx.stdout.text()).toBe('from a\n');
    expect(b.ctx.stdout.text()).toBe('from b\n');
  });
});

interface WatGuest {
  writeLines(count: number): void;
  sleep(ns: bigint): bigint;
}

describe('preview2 host, running a WAT component (canonical ABI, no runtime)', () => {
  let guest: LoadedComponent<WatGuest>;
  beforeAll(async () => {
    const bytes = await componentFromWat(read('wat-guest.wat'), read('wat-guest.wit'), 'wat-guest');
    guest = await loadComponent<WatGuest>(bytes, 'watguest');
  }, 120_000);

  it('output-stream.blocking-write-and-flush: should append to stdout', () => {
    const ctx = context();
    guest.instantiate(createPreview2Imports(ctx)).writeLines(3);
    expect(ctx.stdout.text()).toBe('x\nx\nx\n');
  });

  it('output-stream: should throw OutputLimitExceeded when the cap is reached mid-loop', () => {
    const ctx = context({ stdoutCap: 7 });
    expect(() => guest.instantiate(createPreview2Imports(ctx)).writeLines(10)).toThrow(OutputLimitExceeded);
    expect(ctx.stdout.text()).toBe('x\nx\nx\nx');
  });

  it('subscribe-duration + pollable.block: should advance virtual time instead of waiting', () => {
    const ctx = context();
    const root = guest.instantiate(createPreview2Imports(ctx));
    const started = performance.now();
    const now = root.sleep(3_600_000_000_000n); // an hour
    expect(performance.now() - started).toBeLessThan(1000);
    expect(now).toBe(DEFAULT_MONOTONIC_BASE_NS + 3_600_000_000_000n + 1000n);
  });
});
