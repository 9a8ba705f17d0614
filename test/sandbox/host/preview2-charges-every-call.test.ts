import { describe, expect, it } from 'vitest';
import {
  createArenaImports,
  createFuelAccount,
  createGuestContext,
  createPreview2Imports,
  HOST_COSTS,
} from '../../../src/sandbox/host/index.js';

/**
 * Issue 10: every preview2 call crosses into the host, so every one is charged at least one
 * host call, even those that return a constant (a loop of clock reads or stream handles is host
 * work the bot's own instructions do not pay for).
 */
function setup() {
  const counter = new WebAssembly.Global({ value: 'i64', mutable: true }, 1_000_000_000n);
  const fuel = createFuelAccount();
  fuel.bind(counter);
  const ctx = createGuestContext({ fuel, stdoutCap: 1024, stderrCap: 1024, rng: 'charges', args: ['me'] });
  const host = Object.assign(
    createPreview2Imports(ctx),
    createArenaImports(ctx, { opponentName: 'them', stringsPrecharged: true }),
  ) as Record<string, Record<string, (...a: unknown[]) => unknown>>;
  let last = counter.value as bigint;
  /** Fuel charged since the previous call of `spent`. */
  const spent = () => {
    const now = counter.value as bigint;
    const used = Number(last - now);
    last = now;
    return used;
  };
  return { host, spent };
}

type Callable = (...a: unknown[]) => unknown;

describe('preview2 host calls are charged per call', () => {
  it('charges one host call for each call that does no work in proportion to its arguments', () => {
    const { host, spent } = setup();
    const at = (iface: string, fn: string): Callable => {
      const f = host[iface]?.[fn];
      if (typeof f !== 'function') throw new Error(`no ${iface} ${fn}`);
      return f;
    };
    const calls: Array<[string, () => unknown]> = [
      ['monotonic now', () => at('wasi:clocks/monotonic-clock', 'now')()],
      ['monotonic resolution', () => at('wasi:clocks/monotonic-clock', 'resolution')()],
      ['subscribe-duration', () => at('wasi:clocks/monotonic-clock', 'subscribeDuration')(5n)],
      ['subscribe-instant', () => at('wasi:clocks/monotonic-clock', 'subscribeInstant')(5n)],
      ['wall now', () => at('wasi:clocks/wall-clock', 'now')()],
      ['wall resolution', () => at('wasi:clocks/wall-clock', 'resolution')()],
      ['get-environment', () => at('wasi:cli/environment', 'getEnvironment')()],
      ['initial-cwd', () => at('wasi:cli/environment', 'initialCwd')()],
      ['get-stdin', () => at('wasi:cli/stdin', 'getStdin')()],
      ['get-stdout', () => at('wasi:cli/stdout', 'getStdout')()],
      ['get-stderr', () => at('wasi:cli/stderr', 'getStderr')()],
      ['get-terminal-stdin', () => at('wasi:cli/terminal-stdin', 'getTerminalStdin')()],
      ['get-terminal-stdout', () => at('wasi:cli/terminal-stdout', 'getTerminalStdout')()],
      ['get-terminal-stderr', () => at('wasi:cli/terminal-stderr', 'getTerminalStderr')()],
      ['insecure-seed', () => at('wasi:random/insecure-seed', 'insecureSeed')()],
      ['get-directories', () => at('wasi:filesystem/preopens', 'getDirectories')()],
      ['filesystem-error-code', () => at('wasi:filesystem/types', 'filesystemErrorCode')({})],
    ];
    for (const [name, call] of calls) {
      call();
      expect(spent(), name).toBe(HOST_COSTS.call);
    }
  });

  it('charges the resource methods too: stream and pollable calls', () => {
    const { host, spent } = setup();
    const stdout = (host['wasi:cli/stdout']!.getStdout as Callable)() as Record<string, Callable>;
    const stdin = (host['wasi:cli/stdin']!.getStdin as Callable)() as Record<string, Callable>;
    const sleep = (host['wasi:clocks/monotonic-clock']!.subscribeDuration as Callable)(1_000n) as Record<
      string,
      Callable
    >;
    spent();
    const methods: Array<[string, () => unknown]> = [
      ['check-write', () => stdout.checkWrite!()],
      ['flush', () => stdout.flush!()],
      ['blocking-flush', () => stdout.blockingFlush!()],
      ['output subscribe', () => stdout.subscribe!()],
      ['input subscribe', () => stdin.subscribe!()],
      ['pollable ready', () => sleep.ready!()],
      ['pollable block', () => sleep.block!()],
    ];
    for (const [name, call] of methods) {
      call();
      expect(spent(), name).toBe(HOST_COSTS.call);
    }
    // Reading an exhausted stdin fails, and is still a call into the host.
    expect(() => stdin.read!(16n)).toThrow();
    expect(spent()).toBe(HOST_COSTS.call);
  });

  it('charges the arena names and arguments by the bytes copied back', () => {
    const { host, spent } = setup();
    (host['throwdown:rps/arena']!.opponentName as Callable)();
    expect(spent()).toBe(HOST_COSTS.call + Math.ceil(('them'.length * 3) / HOST_COSTS.copyBytesPerFuel));
    (host['wasi:cli/environment']!.getArguments as Callable)();
    expect(spent()).toBe(HOST_COSTS.call + Math.ceil(('me'.length * 3) / HOST_COSTS.copyBytesPerFuel));
  });

  it('charges arena.debug the decoding afterwards only when the lowering did not charge it first', () => {
    const message = 'x'.repeat(1000);
    const write = HOST_COSTS.call + Math.ceil((message.length * 3 + 1) / HOST_COSTS.copyBytesPerFuel);
    const decode = Math.ceil(message.length / HOST_COSTS.decodeBytesPerFuel);

    const direct = setup();
    (direct.host['throwdown:rps/arena']!.debug as Callable)(message);
    expect(direct.spent()).toBe(write);

    const counter = new WebAssembly.Global({ value: 'i64', mutable: true }, 1_000_000n);
    const fuel = createFuelAccount();
    fuel.bind(counter);
    const ctx = createGuestContext({ fuel, stdoutCap: 10_000, stderrCap: 10_000, rng: 'glue' });
    const arena = createArenaImports(ctx, { opponentName: 'them' })['throwdown:rps/arena'];
    arena.debug(message);
    expect(1_000_000 - Number(counter.value)).toBe(write + decode);
  });
});
