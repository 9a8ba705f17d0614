import { beforeAll, describe, expect, it } from 'vitest';
import { fillBytes, seedRng } from '../../../src/games/rng.js';
import { instantiateCommand } from '../../../src/sandbox/host/command.js';
import {
  DEFAULT_MONOTONIC_BASE_NS as BASE,
  DEFAULT_EPOCH_NS,
  type GuestContext,
  GuestExit,
  OutputLimitExceeded,
} from '../../../src/sandbox/host/context.js';
import { createPreview1Imports } from '../../../src/sandbox/host/preview1.js';
import { Errno } from '../../../src/sandbox/host/preview1-abi.js';
import { PREVIEW1_SIGNATURES, type ProbeExports, probeModule } from './preview1-probe.js';
import { compileAssemblyScript, context, run } from './support.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('preview1 host, called through a WAT probe', () => {
  let probe: WebAssembly.Module;
  beforeAll(async () => {
    probe = await probeModule();
  });

  function setup(ctx: GuestContext = context()) {
    const instance = instantiateCommand(probe, ctx);
    const wasi = instance.exports as unknown as ProbeExports;
    const mem = () => new Uint8Array(wasi.memory.buffer);
    const dv = () => new DataView(wasi.memory.buffer);
    /** Writes iovecs [ptr, len] at `at`. */
    const iovecs = (at: number, list: [number, number][]) =>
      list.forEach(([ptr, len], i) => {
        dv().setUint32(at + i * 8, ptr, true);
        dv().setUint32(at + i * 8 + 4, len, true);
      });
    const put = (at: number, text: string) => mem().set(encoder.encode(text), at);
    return { ctx, wasi, mem, dv, iovecs, put };
  }

  it('createPreview1Imports(): should provide exactly the preview1 functions', () => {
    const names = Object.keys(
      createPreview1Imports(context(), () => new WebAssembly.Memory({ initial: 1 })).wasi_snapshot_preview1,
    );
    expect(names.sort()).toEqual(Object.keys(PREVIEW1_SIGNATURES).sort());
  });

  it('args_sizes_get/args_get: should expose exactly ctx.args, NUL-terminated', () => {
    const { wasi, dv, mem } = setup(context({ args: ['alice/beatlast', 'héllo'] }));
    expect(wasi.args_sizes_get(0, 4)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(0, true)).toBe(2);
    expect(dv().getUint32(4, true)).toBe(15 + 7);
    expect(wasi.args_get(16, 64)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(16, true)).toBe(64);
    expect(dv().getUint32(20, true)).toBe(79);
    expect(decoder.decode(mem().subarray(64, 64 + 22))).toBe('alice/beatlast\0héllo\0');
  });

  it('environ_sizes_get/environ_get: should report an empty environment', () => {
    const { wasi, dv } = setup();
    dv().setUint32(0, 99, true);
    dv().setUint32(4, 99, true);
    expect(wasi.environ_sizes_get(0, 4)).toBe(Errno.SUCCESS);
    expect([dv().getUint32(0, true), dv().getUint32(4, true)]).toEqual([0, 0]);
    expect(wasi.environ_get(8, 16)).toBe(Errno.SUCCESS);
  });

  it('clock_time_get: should be virtual, deterministic and advance 1 us per read', () => {
    const { wasi, dv } = setup();
    expect(wasi.clock_time_get(0, 0n, 8)).toBe(Errno.SUCCESS);
    expect(dv().getBigUint64(8, true)).toBe(DEFAULT_EPOCH_NS + 1000n);
    expect(wasi.clock_time_get(1, 1000n, 8)).toBe(Errno.SUCCESS);
    expect(dv().getBigUint64(8, true)).toBe(BASE + 2000n);
    expect(wasi.clock_time_get(0, 0n, 8)).toBe(Errno.SUCCESS);
    expect(dv().getBigUint64(8, true)).toBe(DEFAULT_EPOCH_NS + 3000n);
    expect(wasi.clock_time_get(2, 0n, 8)).toBe(Errno.SUCCESS); // process CPU time: virtual too
    expect(dv().getBigUint64(8, true)).toBe(BASE + 4000n);
    expect(wasi.clock_time_get(4, 0n, 8)).toBe(Errno.INVAL);
  });

  it('clock_time_get: should follow the caller-supplied work counter', () => {
    let work = 0;
    const { wasi, dv } = setup(context({ clock: { workNs: () => work } }));
    wasi.clock_time_get(1, 0n, 8);
    expect(dv().getBigUint64(8, true)).toBe(BASE + 1000n);
    work = 5_000_000;
    wasi.clock_time_get(1, 0n, 8);
    expect(dv().getBigUint64(8, true)).toBe(BASE + 5_002_000n);
  });

  it('clock_res_get: should report the 1 us tick, EINVAL for unknown clocks', () => {
    const { wasi, dv } = setup();
    expect(wasi.clock_res_get(1, 8)).toBe(Errno.SUCCESS);
    expect(dv().getBigUint64(8, true)).toBe(1000n);
    expect(wasi.clock_res_get(7, 8)).toBe(Errno.INVAL);
  });

  it('random_get: should draw from the seeded generator', () => {
    const a = setup(context({ rng: 'seed-1' }));
    const b = setup(context({ rng: 'seed-1' }));
    const c = setup(context({ rng: 'seed-2' }));
    for (const s of [a, b, c]) expect(s.wasi.random_get(100, 37)).toBe(Errno.SUCCESS);
    const expected = new Uint8Array(37);
    fillBytes(seedRng('seed-1'), expected);
    expect(a.mem().slice(100, 137)).toEqual(expected);
    expect(b.mem().slice(100, 137)).toEqual(expected);
    expect(c.mem().slice(100, 137)).not.toEqual(expected);
  });

  it('fd_write: should append every iovec to the fd sink and report the count', () => {
    const { wasi, ctx, dv, iovecs, put } = setup();
    put(100, 'hello, ');
    put(200, 'world\n');
    iovecs(0, [
      [100, 7],
      [150, 0],
      [200, 6],
    ]);
    expect(wasi.fd_write(1, 0, 3, 40)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(40, true)).toBe(13);
    expect(wasi.fd_write(2, 0, 1, 40)).toBe(Errno.SUCCESS);
    expect(ctx.stdout.text()).toBe('hello, world\n');
    expect(ctx.stderr.text()).toBe('hello, ');
    expect(wasi.fd_write(0, 0, 1, 40)).toBe(Errno.BADF);
    expect(wasi.fd_write(3, 0, 1, 40)).toBe(Errno.BADF);
    expect(wasi.fd_write(1, 0, 1025, 40)).toBe(Errno.INVAL);
  });

  it('fd_write: should throw OutputLimitExceeded past the cap, keeping what fit', () => {
    const { wasi, ctx, iovecs, put } = setup(context({ stdoutCap: 10 }));
    put(100, '0123456789abcdef');
    iovecs(0, [[100, 6]]);
    expect(wasi.fd_write(1, 0, 1, 40)).toBe(Errno.SUCCESS);
    let thrown: unknown;
    try {
      wasi.fd_write(1, 0, 1, 40);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OutputLimitExceeded);
    expect(thrown).toMatchObject({ stream: 'stdout', cap: 10 });
    expect(ctx.stdout.text()).toBe('0123450123');
  });

  it('fd_read: should read stdin across iovecs, then report EOF as 0 bytes', () => {
    const { wasi, dv, mem, iovecs } = setup(context({ stdin: 'rock paper' }));
    iovecs(0, [
      [100, 4],
      [200, 3],
    ]);
    expect(wasi.fd_read(0, 0, 2, 40)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(40, true)).toBe(7);
    expect(decoder.decode(mem().subarray(100, 104)) + decoder.decode(mem().subarray(200, 203))).toBe(
      'rock pa',
    );
    expect(wasi.fd_read(0, 0, 2, 40)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(40, true)).toBe(3);
    expect(wasi.fd_read(0, 0, 2, 40)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(40, true)).toBe(0);
    expect(wasi.fd_read(1, 0, 2, 40)).toBe(Errno.BADF);
  });

  it('fd_fdstat_get/fd_filestat_get: should describe stdio as non-terminal streams', () => {
    const { wasi, dv, mem } = setup();
    mem().fill(0xee, 0, 200);
    expect(wasi.fd_fdstat_get(0, 0)).toBe(Errno.SUCCESS);
    expect(mem()[0]).toBe(0); // filetype unknown
    expect(dv().getBigUint64(8, true)).toBe((1n << 1n) | (1n << 27n)); // fd_read | poll_fd_readwrite
    expect(wasi.fd_fdstat_get(1, 0)).toBe(Errno.SUCCESS);
    expect(dv().getBigUint64(8, true)).toBe((1n << 6n) | (1n << 27n)); // fd_write | poll_fd_readwrite
    expect(wasi.fd_fdstat_get(3, 0)).toBe(Errno.BADF);
    expect(wasi.fd_filestat_get(2, 100)).toBe(Errno.SUCCESS);
    expect(mem().slice(100, 164)).toEqual(new Uint8Array(64));
  });

  it('fd_seek/fd_tell/fd_pread/fd_pwrite: should be ESPIPE on stdio, EBADF elsewhere', () => {
    const { wasi } = setup();
    expect(wasi.fd_seek(1, 0n, 0, 0)).toBe(Errno.SPIPE);
    expect(wasi.fd_tell(0, 0)).toBe(Errno.SPIPE);
    expect(wasi.fd_pread(0, 0, 0, 0n, 0)).toBe(Errno.SPIPE);
    expect(wasi.fd_pwrite(1, 0, 0, 0n, 0)).toBe(Errno.SPIPE);
    expect(wasi.fd_seek(9, 0n, 0, 0)).toBe(Errno.BADF);
    expect(wasi.fd_sync(1)).toBe(Errno.INVAL);
    expect(wasi.fd_sync(9)).toBe(Errno.BADF);
  });

  it('fd_prestat_get: should fail with EBADF for every fd (no preopens)', () => {
    const { wasi } = setup();
    for (const fd of [0, 1, 2, 3, 4, 100, -1]) expect(wasi.fd_prestat_get(fd, 0)).toBe(Errno.BADF);
    expect(wasi.fd_prestat_dir_name(3, 0, 10)).toBe(Errno.BADF);
  });

  it("path_open('/etc/passwd'): should fail on every fd, and so should every path_* call", () => {
    const { wasi, put, ctx } = setup();
    put(100, '/etc/passwd');
    for (const fd of [0, 1, 2, 3, 4]) {
      expect(wasi.path_open(fd, 1, 100, 11, 0, 0x1ffffffn, 0x1ffffffn, 0, 200)).toBe(Errno.BADF);
      expect(wasi.path_open(fd, 1, 101, 10, 0, 2n, 0n, 0, 200)).toBe(Errno.BADF);
    }
    expect(wasi.path_filestat_get(3, 0, 100, 11, 200)).toBe(Errno.BADF);
    expect(wasi.path_create_directory(3, 100, 4)).toBe(Errno.BADF);
    expect(wasi.path_unlink_file(3, 100, 11)).toBe(Errno.BADF);
    expect(wasi.path_remove_directory(3, 100, 4)).toBe(Errno.BADF);
    expect(wasi.path_rename(3, 100, 4, 3, 100, 4)).toBe(Errno.BADF);
    expect(wasi.path_symlink(100, 4, 3, 100, 4)).toBe(Errno.BADF);
    expect(wasi.path_link(3, 0, 100, 4, 3, 100, 4)).toBe(Errno.BADF);
    expect(wasi.path_readlink(3, 100, 4, 200, 10, 300)).toBe(Errno.BADF);
    expect(wasi.path_filestat_set_times(3, 0, 100, 4, 0n, 0n, 0)).toBe(Errno.BADF);
    expect(wasi.fd_readdir(3, 0, 100, 0n, 200)).toBe(Errno.BADF);
    expect(ctx.stdout.length + ctx.stderr.length).toBe(0);
  });

  it('fd_close/fd_renumber: should edit the stdio table', () => {
    const { wasi, ctx, iovecs, put } = setup();
    put(100, 'x');
    iovecs(0, [[100, 1]]);
    expect(wasi.fd_renumber(2, 1)).toBe(Errno.SUCCESS); // fd 1 is now stderr, fd 2 closed
    expect(wasi.fd_write(1, 0, 1, 40)).toBe(Errno.SUCCESS);
    expect(wasi.fd_write(2, 0, 1, 40)).toBe(Errno.BADF);
    expect(ctx.stderr.text()).toBe('x');
    expect(ctx.stdout.text()).toBe('');
    expect(wasi.fd_close(1)).toBe(Errno.SUCCESS);
    expect(wasi.fd_close(1)).toBe(Errno.BADF);
    expect(wasi.fd_write(1, 0, 1, 40)).toBe(Errno.BADF);
    expect(wasi.fd_renumber(0, 7)).toBe(Errno.BADF);
  });

  it('poll_oneoff: should complete a clock subscription at once by advancing virtual time', () => {
    const { wasi, dv, ctx } = setup();
    const before = ctx.clock.peekMonotonicNs();
    // subscription 0: userdata 42, clock monotonic, relative timeout 5 ms
    dv().setBigUint64(0, 42n, true);
    dv().setUint8(8, 0);
    dv().setUint32(16, 1, true);
    dv().setBigUint64(24, 5_000_000n, true);
    dv().setUint16(40, 0, true);
    expect(wasi.poll_oneoff(0, 100, 1, 200)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(200, true)).toBe(1);
    expect(dv().getBigUint64(100, true)).toBe(42n);
    expect(dv().getUint16(108, true)).toBe(Errno.SUCCESS);
    expect(dv().getUint8(110)).toBe(0);
    expect(ctx.clock.peekMonotonicNs() - before).toBe(5_000_000n);
  });

  it('poll_oneoff: should fire a past absolute realtime deadline at once, and flag unknown clocks', () => {
    const { wasi, dv, ctx } = setup();
    const before = ctx.clock.peekMonotonicNs();
    dv().setBigUint64(0, 7n, true); // realtime, absolute 1970-01-01: long past
    dv().setUint8(8, 0);
    dv().setUint32(16, 0, true);
    dv().setBigUint64(24, 0n, true);
    dv().setUint16(40, 1, true);
    dv().setBigUint64(48, 8n, true); // clock id 9: unknown
    dv().setUint8(56, 0);
    dv().setUint32(64, 9, true);
    expect(wasi.poll_oneoff(0, 400, 2, 600)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(600, true)).toBe(2);
    expect([dv().getBigUint64(400, true), dv().getUint16(408, true)]).toEqual([7n, Errno.SUCCESS]);
    expect([dv().getBigUint64(432, true), dv().getUint16(440, true)]).toEqual([8n, Errno.INVAL]);
    expect(ctx.clock.peekMonotonicNs()).toBe(before);
  });

  it('poll_oneoff: should wake at the earliest of several deadlines (absolute realtime included)', () => {
    const { wasi, dv, ctx } = setup();
    const before = ctx.clock.peekMonotonicNs();
    dv().setBigUint64(0, 1n, true); // monotonic, relative 9 ms
    dv().setUint32(16, 1, true);
    dv().setBigUint64(24, 9_000_000n, true);
    dv().setBigUint64(48, 2n, true); // realtime, absolute epoch + 4 ms
    dv().setUint32(64, 0, true);
    dv().setBigUint64(72, DEFAULT_EPOCH_NS + 4_000_000n, true);
    dv().setUint16(88, 1, true);
    expect(wasi.poll_oneoff(0, 400, 2, 600)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(600, true)).toBe(1);
    expect(dv().getBigUint64(400, true)).toBe(2n);
    expect(ctx.clock.peekMonotonicNs() - before).toBe(4_000_000n);
  });

  it('poll_oneoff: should report stdin readable (with byte count) without sleeping', () => {
    const { wasi, dv, ctx } = setup(context({ stdin: 'abc' }));
    const before = ctx.clock.peekMonotonicNs();
    dv().setBigUint64(0, 1n, true); // clock, 1 s
    dv().setUint8(8, 0);
    dv().setUint32(16, 1, true);
    dv().setBigUint64(24, 1_000_000_000n, true);
    dv().setBigUint64(48, 2n, true); // fd_read on stdin
    dv().setUint8(56, 1);
    dv().setUint32(64, 0, true);
    dv().setBigUint64(96, 3n, true); // fd_read on fd 5: error event
    dv().setUint8(104, 1);
    dv().setUint32(112, 5, true);
    expect(wasi.poll_oneoff(0, 400, 3, 600)).toBe(Errno.SUCCESS);
    expect(dv().getUint32(600, true)).toBe(2);
    expect(dv().getBigUint64(400, true)).toBe(2n);
    expect(dv().getBigUint64(416, true)).toBe(3n); // nbytes
    expect(dv().getBigUint64(432, true)).toBe(3n);
    expect(dv().getUint16(440, true)).toBe(Errno.BADF);
    expect(ctx.clock.peekMonotonicNs()).toBe(before);
    expect(wasi.poll_oneoff(0, 400, 0, 600)).toBe(Errno.INVAL);
  });

  it('proc_exit: should throw GuestExit with the code, leaving the host running', () => {
    const { wasi } = setup();
    expect(() => wasi.proc_exit(3)).toThrow(GuestExit);
    try {
      wasi.proc_exit(-1);
    } catch (error) {
      expect((error as GuestExit).code).toBe(0xffffffff);
    }
  });

  it('proc_raise/sched_yield/sock_*: should answer ENOSYS, success, ENOTSUP', () => {
    const { wasi } = setup();
    expect(wasi.proc_raise(9)).toBe(Errno.NOSYS);
    expect(wasi.sched_yield()).toBe(Errno.SUCCESS);
    expect(wasi.sock_accept(3, 0, 0)).toBe(Errno.NOTSUP);
    expect(wasi.sock_recv(3, 0, 0, 0, 0, 0)).toBe(Errno.NOTSUP);
    expect(wasi.sock_send(3, 0, 0, 0, 0)).toBe(Errno.NOTSUP);
    expect(wasi.sock_shutdown(3, 0)).toBe(Errno.NOTSUP);
  });

  it('out-of-bounds pointers: should get EFAULT and leave the host and sinks untouched', () => {
    const { wasi, ctx, iovecs, dv } = setup(context({ stdin: 'secret', args: ['a'] }));
    const end = 65536;
    const cases: [string, () => number][] = [
      ['args_sizes_get', () => wasi.args_sizes_get(end - 2, 0)],
      ['args_get argv', () => wasi.args_get(end - 2, 0)],
      ['args_get buf', () => wasi.args_get(0, end - 1)],
      ['environ_sizes_get', () => wasi.environ_sizes_get(-4, 0)],
      ['clock_time_get', () => wasi.clock_time_get(0, 0n, end - 4)],
      ['clock_res_get', () => wasi.clock_res_get(0, -1)],
      ['random_get', () => wasi.random_get(end - 10, 11)],
      ['random_get huge', () => wasi.random_get(0, -1)],
      ['fd_write iovs', () => wasi.fd_write(1, end - 4, 1, 0)],
      ['fd_write nwritten', () => wasi.fd_write(1, 0, 0, end)],
      ['fd_read iovs', () => wasi.fd_read(0, -8, 1, 0)],
      ['fd_fdstat_get', () => wasi.fd_fdstat_get(1, end - 23)],
      ['fd_filestat_get', () => wasi.fd_filestat_get(1, 0x7fffffff)],
      ['poll_oneoff subs', () => wasi.poll_oneoff(end - 47, 0, 1, 0)],
      ['poll_oneoff events', () => wasi.poll_oneoff(0, end - 31, 1, 100)],
    ];
    for (const [name, call] of cases) expect([name, call()]).toEqual([name, Errno.FAULT]);

    // iovecs inside memory that point outside it
    iovecs(0, [
      [end - 3, 4],
      [0, 1],
    ]);
    expect(wasi.fd_write(1, 0, 2, 100)).toBe(Errno.FAULT);
    iovecs(0, [[0xfffffff0, 0x20]]);
    expect(wasi.fd_write(2, 0, 1, 100)).toBe(Errno.FAULT);
    expect(wasi.fd_read(0, 0, 1, 100)).toBe(Errno.FAULT);
    dv().setUint32(0, 10, true);
    dv().setUint32(4, 0xffffffff, true);
    expect(wasi.fd_write(1, 0, 1, 100)).toBe(Errno.FAULT);
    expect(ctx.stdout.length + ctx.stderr.length).toBe(0);
  });

  it('memory.grow: should see the new pages', () => {
    const { wasi, ctx, iovecs, put } = setup();
    wasi.memory.grow(1);
    put(70_000, 'grown');
    iovecs(65_536 + 8, [[70_000, 5]]);
    expect(wasi.fd_write(1, 65_544, 1, 65_600)).toBe(Errno.SUCCESS);
    expect(ctx.stdout.text()).toBe('grown');
  });
});

const AS_ECHO = `
const buf = new ArrayBuffer(64);
let n = process.stdin.read(buf);
while (n > 0) {
  process.stdout.write(buf.slice(0, n));
  n = process.stdin.read(buf);
}
process.stderr.write('done\\n'); // (the shim's console.error writes to stdout)
`;
const AS_EXIT = `
console.log('before');
process.exit(<i32>parseInt(process.argv[0]));
console.log('after');
`;
const AS_SPAM = `
for (let i = 0; i < 1000; i++) console.log('spam spam spam spam spam spam spam spam spam spam');
`;
const AS_ENV = `
console.log(process.argv.join(','));
console.log(process.env.size.toString());
`;
const AS_TIME = `
const d = Date.now();
const h1 = process.hrtime();
const h2 = process.hrtime();
console.log(d.toString() + ' ' + h1.toString() + ' ' + h2.toString());
`;
const AS_RANDOM = `
const a = new Uint8Array(8);
crypto.getRandomValues(a);
let s = '';
for (let i = 0; i < a.length; i++) s += a[i].toString() + ' ';
console.log(s + Math.random().toString());
`;
const AS_THROW = `
throw new Error('boom');
`;

describe('preview1 host, running AssemblyScript commands (wasi-shim)', () => {
  const bots: Record<string, WebAssembly.Module> = {};
  beforeAll(async () => {
    const sources = { AS_ECHO, AS_EXIT, AS_SPAM, AS_ENV, AS_TIME, AS_RANDOM, AS_THROW };
    for (const [name, source] of Object.entries(sources)) {
      bots[name] = new WebAssembly.Module(await compileAssemblyScript(source));
    }
  }, 120_000);

  it('echo: should copy stdin to stdout and print to stderr', () => {
    const result = run(
      bots.AS_ECHO!,
      context({ stdin: 'rock\npaper\nscissors and a line longer than 64 bytes...........\n' }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('rock\npaper\nscissors and a line longer than 64 bytes...........\n');
    expect(result.stderr).toBe('done\n');
    expect(run(bots.AS_ECHO!, context()).stdout).toBe('');
  });

  it('exit: should end only the guest with its code (3 and 0)', () => {
    const three = run(bots.AS_EXIT!, context({ args: ['3'] }));
    expect(three).toMatchObject({ exitCode: 3, stdout: 'before\n' });
    const zero = run(bots.AS_EXIT!, context({ args: ['0'] }));
    expect(zero).toMatchObject({ exitCode: 0, stdout: 'before\n' });
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('uncaught error: should abort through stderr and proc_exit(255)', () => {
    const result = run(bots.AS_THROW!);
    expect(result.exitCode).toBe(255);
    expect(result.stderr).toMatch(/^abort: boom in .*\(\d+:\d+\)\n$/);
  });

  it('stdout cap: should stop the guest with OutputLimitExceeded', () => {
    const ctx = context({ stdoutCap: 1000 });
    expect(() => run(bots.AS_SPAM!, ctx)).toThrow(OutputLimitExceeded);
    expect(ctx.stdout.length).toBe(1000);
    expect(run(bots.AS_SPAM!, context({ stdoutCap: 100_000 })).stdout.length).toBe(50_000);
  });

  it('args and env: should see ctx.args and an empty environment', () => {
    const result = run(bots.AS_ENV!, context({ args: ['alice/beatlast', 'x'] }));
    expect(result.stdout).toBe('alice/beatlast,x\n0\n');
  });

  it('clocks: should be identical across runs and advance within one', () => {
    const first = run(bots.AS_TIME!).stdout;
    const second = run(bots.AS_TIME!).stdout;
    expect(first).toBe(second);
    const [date, h1, h2] = first.trim().split(' ').map(Number);
    expect(date).toBe(Number(DEFAULT_EPOCH_NS / 1_000_000n));
    expect(h2).toBeGreaterThan(h1!);
  });

  it('random: should be equal for equal seeds and differ for different seeds', () => {
    const a = run(bots.AS_RANDOM!, context({ rng: 'match-1/bot-a' })).stdout;
    const b = run(bots.AS_RANDOM!, context({ rng: 'match-1/bot-a' })).stdout;
    const c = run(bots.AS_RANDOM!, context({ rng: 'match-1/bot-b' })).stdout;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^(\d+ ){8}0\.\d+\n$/);
  });
});
