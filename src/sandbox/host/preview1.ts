import { fillBytes } from '../../games/rng.js';
import type { GuestContext } from './context.js';
import { GuestExit, GuestFault } from './errors.js';
import { byteCost, HOST_COSTS } from './fuel.js';
import type { OutputSink } from './output.js';
import {
  ClockId,
  Errno,
  EVENT_FD_READWRITE_HANGUP,
  EVENT_SIZE,
  EventType,
  FDSTAT_SIZE,
  FdFlags,
  FILESTAT_SIZE,
  Filetype,
  IOVEC_SIZE,
  Rights,
  SUBSCRIPTION_CLOCK_ABSTIME,
  SUBSCRIPTION_SIZE,
} from './preview1-abi.js';

/**
 * An in-memory WASI preview1 host for core command modules (`wasi_snapshot_preview1`).
 *
 * The guest's whole world is its GuestContext: fds 0, 1 and 2 (stdin from `ctx.stdin`, stdout and
 * stderr into the capped sinks), no other descriptors and no preopens (so every path_* call fails
 * with EBADF, exactly as for a runtime started with no --dir), an empty environment, virtual clocks
 * and the seeded generator. Where a choice of errno exists we follow wasmtime's preview1 adapter
 * (crates/wasi-preview1-component-adapter), the behaviour wasi-libc is tested against.
 *
 * Untrusted input: every pointer and length comes from the guest. Each is read as unsigned
 * (`>>> 0`) and checked against the current memory size before any access; out of range gives
 * EFAULT. Nothing here can read or write outside the guest's own linear memory.
 *
 * Hot path (a fresh instance per move): no allocation per call beyond subarray views of guest
 * memory, and the Uint8Array/DataView over memory are rebuilt only when `memory.grow` replaced
 * the buffer.
 */

/** One preview1 import: numbers in (BigInt for the i64 parameters), an errno out. */
export type Preview1Function = (...args: never[]) => number | undefined;
// A type alias (not an interface) so it is assignable to WebAssembly.Imports.
export type Preview1Imports = {
  wasi_snapshot_preview1: Record<string, Preview1Function>;
};

/** What an fd slot holds. */
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const CLOSED = -1;

/** Host limits on guest-supplied counts, so host time per call stays bounded. */
const IOV_MAX = 1024; // wasi-libc's IOV_MAX; more is EINVAL, as for POSIX readv/writev
const MAX_SUBSCRIPTIONS = 4096;

const STDIO_FILETYPE = Filetype.UNKNOWN; // not a terminal: wasi:cli/terminal-* report none too
const STDIN_RIGHTS = Rights.FD_READ | Rights.POLL_FD_READWRITE;
const STDOUT_RIGHTS = Rights.FD_WRITE | Rights.POLL_FD_READWRITE;

const encoder = new TextEncoder();
const EMPTY_BUFFER = new ArrayBuffer(0);

/**
 * The `wasi_snapshot_preview1` import object for one instance. `memory` is called (once, lazily)
 * to reach the instance's exported memory, since that exists only after instantiation.
 *
 * @example
 * let instance: WebAssembly.Instance;
 * const imports = createPreview1Imports(ctx, () => instance.exports.memory as WebAssembly.Memory);
 * instance = new WebAssembly.Instance(module, imports);
 * (instance.exports._start as () => void)(); // throws GuestExit if the guest calls proc_exit
 */
export function createPreview1Imports(ctx: GuestContext, memory: () => WebAssembly.Memory): Preview1Imports {
  // The descriptor table: only stdio exists; fd_close and fd_renumber edit these three slots.
  const fds = new Int8Array([STDIN, STDOUT, STDERR]);
  let stdinPos = 0;
  let args: Uint8Array[] | undefined;
  let argsSize = 0;

  let mem: WebAssembly.Memory | undefined;
  let buffer: ArrayBufferLike = EMPTY_BUFFER;
  let u8 = new Uint8Array(buffer);
  let dv = new DataView(buffer);

  /** Brings `u8`/`dv` up to date with the guest's memory (it may have grown). */
  function view(): void {
    if (mem === undefined) {
      const m = memory();
      if (!(m instanceof WebAssembly.Memory)) throw new GuestFault('the guest exports no memory');
      mem = m;
    }
    const current = mem.buffer;
    if (current !== buffer) {
      buffer = current;
      u8 = new Uint8Array(current);
      dv = new DataView(current);
    }
  }

  /** Whether [ptr, ptr + size) lies inside memory; both already unsigned. */
  function fits(ptr: number, size: number): boolean {
    return ptr + size <= u8.length;
  }

  function kindOf(fd: number): number {
    const i = fd >>> 0;
    return i < 3 ? (fds[i] as number) : CLOSED;
  }

  function sinkOf(kind: number): OutputSink | undefined {
    return kind === STDOUT ? ctx.stdout : kind === STDERR ? ctx.stderr : undefined;
  }

  /** For calls that exist only for files: EBADF for a closed fd, else `stdioErrno`. */
  function fileOnly(fd: number, stdioErrno: number): number {
    return kindOf(fd) === CLOSED ? Errno.BADF : stdioErrno;
  }

  function encodeArgs(): Uint8Array[] {
    if (args === undefined) {
      args = ctx.args.map((arg) => encoder.encode(arg));
      argsSize = args.reduce((sum, arg) => sum + arg.length + 1, 0);
    }
    return args;
  }

  /** Checks an iovec array and every buffer it names; returns an errno. Charges per iovec. */
  function checkIovecs(iovs: number, count: number): number {
    if (count > IOV_MAX) return Errno.INVAL;
    ctx.fuel.charge(count * HOST_COSTS.iovec);
    if (!fits(iovs, count * IOVEC_SIZE)) return Errno.FAULT;
    for (let i = 0; i < count; i++) {
      const at = iovs + i * IOVEC_SIZE;
      if (!fits(dv.getUint32(at, true), dv.getUint32(at + 4, true))) return Errno.FAULT;
    }
    return Errno.SUCCESS;
  }

  /** Current time of a preview1 clock id, or -1n for an unknown id. */
  function timeOf(id: number): bigint {
    if (id === ClockId.REALTIME) return ctx.clock.wallNs();
    // CPU-time clocks are virtual too: the same elapsed counter as monotonic.
    if (id === ClockId.MONOTONIC || id === ClockId.PROCESS_CPUTIME || id === ClockId.THREAD_CPUTIME) {
      return ctx.clock.monotonicNs();
    }
    return -1n;
  }

  function writeEvent(at: number, userdata: bigint, error: number, type: number): void {
    u8.fill(0, at, at + EVENT_SIZE);
    dv.setBigUint64(at, userdata, true);
    dv.setUint16(at + 8, error, true);
    u8[at + 10] = type;
  }

  const wasi = {
    args_get(argv: number, argvBuf: number): number {
      const list = encodeArgs();
      view();
      argv >>>= 0;
      argvBuf >>>= 0;
      if (!fits(argv, list.length * 4) || !fits(argvBuf, argsSize)) return Errno.FAULT;
      ctx.fuel.charge(byteCost(argsSize, HOST_COSTS.copyBytesPerFuel));
      let at = argvBuf;
      for (let i = 0; i < list.length; i++) {
        const arg = list[i] as Uint8Array;
        dv.setUint32(argv + i * 4, at, true);
        u8.set(arg, at);
        u8[at + arg.length] = 0;
        at += arg.length + 1;
      }
      return Errno.SUCCESS;
    },

    args_sizes_get(argc: number, argvBufSize: number): number {
      const list = encodeArgs();
      view();
      argc >>>= 0;
      argvBufSize >>>= 0;
      if (!fits(argc, 4) || !fits(argvBufSize, 4)) return Errno.FAULT;
      dv.setUint32(argc, list.length, true);
      dv.setUint32(argvBufSize, argsSize, true);
      return Errno.SUCCESS;
    },

    // The environment is always empty: nothing to write.
    environ_get(_environ: number, _environBuf: number): number {
      return Errno.SUCCESS;
    },

    environ_sizes_get(count: number, bufSize: number): number {
      view();
      count >>>= 0;
      bufSize >>>= 0;
      if (!fits(count, 4) || !fits(bufSize, 4)) return Errno.FAULT;
      dv.setUint32(count, 0, true);
      dv.setUint32(bufSize, 0, true);
      return Errno.SUCCESS;
    },

    clock_res_get(id: number, resolution: number): number {
      if (id >>> 0 > ClockId.THREAD_CPUTIME) return Errno.INVAL;
      view();
      resolution >>>= 0;
      if (!fits(resolution, 8)) return Errno.FAULT;
      dv.setBigUint64(resolution, ctx.clock.resolutionNs, true);
      return Errno.SUCCESS;
    },

    clock_time_get(id: number, _precision: bigint, time: number): number {
      view();
      time >>>= 0;
      if (!fits(time, 8)) return Errno.FAULT;
      const now = timeOf(id >>> 0);
      if (now < 0n) return Errno.INVAL;
      dv.setBigUint64(time, now, true);
      return Errno.SUCCESS;
    },

    fd_advise(fd: number, _offset: bigint, _len: bigint, advice: number): number {
      if (advice >>> 0 > 5) return Errno.INVAL;
      return fileOnly(fd, Errno.SPIPE);
    },

    fd_allocate(fd: number, _offset: bigint, _len: bigint): number {
      return fileOnly(fd, Errno.INVAL);
    },

    fd_close(fd: number): number {
      if (kindOf(fd) === CLOSED) return Errno.BADF;
      fds[fd >>> 0] = CLOSED;
      return Errno.SUCCESS;
    },

    fd_datasync(fd: number): number {
      return fileOnly(fd, Errno.INVAL);
    },

    fd_fdstat_get(fd: number, stat: number): number {
      const kind = kindOf(fd);
      if (kind === CLOSED) return Errno.BADF;
      view();
      stat >>>= 0;
      if (!fits(stat, FDSTAT_SIZE)) return Errno.FAULT;
      const rights = kind === STDIN ? STDIN_RIGHTS : STDOUT_RIGHTS;
      u8.fill(0, stat, stat + FDSTAT_SIZE);
      u8[stat] = STDIO_FILETYPE;
      dv.setBigUint64(stat + 8, rights, true);
      dv.setBigUint64(stat + 16, rights, true);
      return Errno.SUCCESS;
    },

    fd_fdstat_set_flags(_fd: number, flags: number): number {
      if ((flags & ~(FdFlags.APPEND | FdFlags.NONBLOCK)) !== 0) return Errno.INVAL;
      return Errno.BADF; // closed, or stdio (whose flags cannot change)
    },

    fd_fdstat_set_rights(fd: number, _base: bigint, _inheriting: bigint): number {
      return fileOnly(fd, Errno.NOTSUP);
    },

    fd_filestat_get(fd: number, stat: number): number {
      if (kindOf(fd) === CLOSED) return Errno.BADF;
      view();
      stat >>>= 0;
      if (!fits(stat, FILESTAT_SIZE)) return Errno.FAULT;
      // Stdio: every field zero except the file type.
      u8.fill(0, stat, stat + FILESTAT_SIZE);
      u8[stat + 16] = STDIO_FILETYPE;
      return Errno.SUCCESS;
    },

    fd_filestat_set_size(fd: number, _size: bigint): number {
      return fileOnly(fd, Errno.INVAL);
    },

    fd_filestat_set_times(fd: number, _atim: bigint, _mtim: bigint, _flags: number): number {
      return fileOnly(fd, Errno.INVAL);
    },

    fd_pread(fd: number, _iovs: number, _iovsLen: number, _offset: bigint, _nread: number): number {
      return fileOnly(fd, Errno.SPIPE);
    },

    // No preopens: wasi-libc probes fds from 3 up until EBADF.
    fd_prestat_get(_fd: number, _prestat: number): number {
      return Errno.BADF;
    },

    fd_prestat_dir_name(_fd: number, _path: number, _pathLen: number): number {
      return Errno.BADF;
    },

    fd_pwrite(fd: number, _iovs: number, _iovsLen: number, _offset: bigint, _nwritten: number): number {
      return fileOnly(fd, Errno.SPIPE);
    },

    fd_read(fd: number, iovs: number, iovsLen: number, nread: number): number {
      if (kindOf(fd) !== STDIN) return Errno.BADF;
      view();
      iovs >>>= 0;
      iovsLen >>>= 0;
      nread >>>= 0;
      if (!fits(nread, 4)) return Errno.FAULT;
      const bad = checkIovecs(iovs, iovsLen);
      if (bad !== Errno.SUCCESS) return bad;
      const src = ctx.stdin;
      let total = 0;
      for (let i = 0; i < iovsLen && stdinPos < src.length; i++) {
        const at = iovs + i * IOVEC_SIZE;
        const ptr = dv.getUint32(at, true);
        const n = Math.min(dv.getUint32(at + 4, true), src.length - stdinPos);
        // Read again after earlier iovecs were filled: the guest's iovec array may lie inside a
        // buffer it reads into, so what checkIovecs saw may have changed.
        if (!fits(ptr, n)) return Errno.FAULT;
        ctx.fuel.charge(byteCost(n, HOST_COSTS.copyBytesPerFuel));
        u8.set(src.subarray(stdinPos, stdinPos + n), ptr);
        stdinPos += n;
        total += n;
      }
      dv.setUint32(nread, total, true);
      return Errno.SUCCESS;
    },

    fd_readdir(_fd: number, _buf: number, _bufLen: number, _cookie: bigint, _bufused: number): number {
      return Errno.BADF; // no directory is open
    },

    fd_renumber(from: number, to: number): number {
      // Only the three stdio slots exist; renumbering into any other fd is EBADF.
      if (kindOf(from) === CLOSED || to >>> 0 > 2) return Errno.BADF;
      const kind = fds[from >>> 0] as number;
      fds[from >>> 0] = CLOSED;
      fds[to >>> 0] = kind;
      return Errno.SUCCESS;
    },

    fd_seek(fd: number, _offset: bigint, _whence: number, _newOffset: number): number {
      return fileOnly(fd, Errno.SPIPE);
    },

    fd_sync(fd: number): number {
      return fileOnly(fd, Errno.INVAL);
    },

    fd_tell(fd: number, _offset: number): number {
      return fileOnly(fd, Errno.SPIPE);
    },

    fd_write(fd: number, iovs: number, iovsLen: number, nwritten: number): number {
      const sink = sinkOf(kindOf(fd));
      if (sink === undefined) return Errno.BADF;
      view();
      iovs >>>= 0;
      iovsLen >>>= 0;
      nwritten >>>= 0;
      if (!fits(nwritten, 4)) return Errno.FAULT;
      const bad = checkIovecs(iovs, iovsLen);
      if (bad !== Errno.SUCCESS) return bad;
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const at = iovs + i * IOVEC_SIZE;
        const ptr = dv.getUint32(at, true);
        const len = dv.getUint32(at + 4, true);
        if (len === 0) continue;
        // At most what the sink can still take (plus one byte to trip its cap) is copied.
        ctx.fuel.charge(byteCost(Math.min(len, sink.cap - sink.length + 1), HOST_COSTS.copyBytesPerFuel));
        sink.write(u8.subarray(ptr, ptr + len)); // throws OutputLimitExceeded past the cap
        total += len;
      }
      dv.setUint32(nwritten, total, true);
      return Errno.SUCCESS;
    },

    // No descriptor is a directory, so every path operation fails on its directory fd.
    path_create_directory(_fd: number, _path: number, _pathLen: number): number {
      return Errno.BADF;
    },

    path_filestat_get(_fd: number, _flags: number, _path: number, _pathLen: number, _stat: number): number {
      return Errno.BADF;
    },

    path_filestat_set_times(
      _fd: number,
      _flags: number,
      _path: number,
      _pathLen: number,
      _atim: bigint,
      _mtim: bigint,
      _fstFlags: number,
    ): number {
      return Errno.BADF;
    },

    path_link(
      _oldFd: number,
      _oldFlags: number,
      _oldPath: number,
      _oldPathLen: number,
      _newFd: number,
      _newPath: number,
      _newPathLen: number,
    ): number {
      return Errno.BADF;
    },

    path_open(
      _fd: number,
      _dirflags: number,
      _path: number,
      _pathLen: number,
      _oflags: number,
      _rightsBase: bigint,
      _rightsInheriting: bigint,
      _fdflags: number,
      _openedFd: number,
    ): number {
      return Errno.BADF;
    },

    path_readlink(
      _fd: number,
      _path: number,
      _pathLen: number,
      _buf: number,
      _bufLen: number,
      _bufused: number,
    ): number {
      return Errno.BADF;
    },

    path_remove_directory(_fd: number, _path: number, _pathLen: number): number {
      return Errno.BADF;
    },

    path_rename(
      _fd: number,
      _oldPath: number,
      _oldPathLen: number,
      _newFd: number,
      _newPath: number,
      _newPathLen: number,
    ): number {
      return Errno.BADF;
    },

    path_symlink(
      _oldPath: number,
      _oldPathLen: number,
      _fd: number,
      _newPath: number,
      _newPathLen: number,
    ): number {
      return Errno.BADF;
    },

    path_unlink_file(_fd: number, _path: number, _pathLen: number): number {
      return Errno.BADF;
    },

    /**
     * Nothing here ever waits. Stdio is always ready (stdin holds all its data up front). If no
     * fd subscription is present, the clock jumps forward to the earliest deadline, so sleeping
     * costs the host no time and stays deterministic.
     */
    poll_oneoff(subs: number, events: number, count: number, nevents: number): number {
      view();
      subs >>>= 0;
      events >>>= 0;
      count >>>= 0;
      nevents >>>= 0;
      if (count === 0 || count > MAX_SUBSCRIPTIONS) return Errno.INVAL;
      ctx.fuel.charge(count * HOST_COSTS.subscription);
      if (!fits(subs, count * SUBSCRIPTION_SIZE) || !fits(events, count * EVENT_SIZE) || !fits(nevents, 4)) {
        return Errno.FAULT;
      }
      const clock = ctx.clock;
      const start = clock.peekMonotonicNs();
      const wallOffset = clock.wallMinusMonotonicNs;
      /**
       * A subscription's deadline on the monotonic scale (may be past, even negative), or
       * undefined for an unknown clock id.
       */
      const deadlineOf = (at: number): bigint | undefined => {
        const id = dv.getUint32(at + 16, true);
        if (id > ClockId.THREAD_CPUTIME) return undefined;
        const timeout = dv.getBigUint64(at + 24, true);
        if ((dv.getUint16(at + 40, true) & SUBSCRIPTION_CLOCK_ABSTIME) === 0) return start + timeout;
        return id === ClockId.REALTIME ? timeout - wallOffset : timeout;
      };

      // Pass 1: anything ready at once? Otherwise, how long until the first deadline?
      let immediate = false;
      let earliest: bigint | undefined;
      for (let i = 0; i < count; i++) {
        const at = subs + i * SUBSCRIPTION_SIZE;
        const tag = u8[at + 8];
        if (tag === EventType.CLOCK) {
          const deadline = deadlineOf(at);
          if (deadline === undefined) immediate = true;
          else if (earliest === undefined || deadline < earliest) earliest = deadline;
        } else if (tag === EventType.FD_READ || tag === EventType.FD_WRITE) {
          immediate = true;
        } else {
          return Errno.INVAL;
        }
      }
      if (!immediate && earliest !== undefined && earliest > start) clock.advance(earliest - start);
      const now = clock.peekMonotonicNs();

      // Pass 2: write one event per subscription that is ready now.
      let n = 0;
      for (let i = 0; i < count; i++) {
        const at = subs + i * SUBSCRIPTION_SIZE;
        const out = events + n * EVENT_SIZE;
        const userdata = dv.getBigUint64(at, true);
        const tag = u8[at + 8] as number;
        if (tag === EventType.CLOCK) {
          const deadline = deadlineOf(at);
          if (deadline === undefined) writeEvent(out, userdata, Errno.INVAL, tag);
          else if (deadline <= now) writeEvent(out, userdata, Errno.SUCCESS, tag);
          else continue;
          n++;
          continue;
        }
        const kind = kindOf(dv.getUint32(at + 16, true));
        if (tag === EventType.FD_READ ? kind !== STDIN : kind !== STDOUT && kind !== STDERR) {
          writeEvent(out, userdata, Errno.BADF, tag);
        } else {
          writeEvent(out, userdata, Errno.SUCCESS, tag);
          const sink = sinkOf(kind);
          const available = sink === undefined ? ctx.stdin.length - stdinPos : sink.cap - sink.length;
          dv.setBigUint64(out + 16, BigInt(available), true);
          if (sink === undefined && available === 0) dv.setUint16(out + 24, EVENT_FD_READWRITE_HANGUP, true);
        }
        n++;
      }
      dv.setUint32(nevents, n, true);
      return Errno.SUCCESS;
    },

    proc_exit(code: number): never {
      throw new GuestExit(code >>> 0);
    },

    proc_raise(_signal: number): number {
      return Errno.NOSYS;
    },

    sched_yield(): number {
      return Errno.SUCCESS;
    },

    random_get(buf: number, len: number): number {
      view();
      buf >>>= 0;
      len >>>= 0;
      if (!fits(buf, len)) return Errno.FAULT;
      ctx.fuel.charge(len * HOST_COSTS.randomFuelPerByte);
      fillBytes(ctx.rng, u8.subarray(buf, buf + len));
      return Errno.SUCCESS;
    },

    // No sockets are ever handed in, so every socket call fails (ENOTSUP).
    sock_accept(_fd: number, _flags: number, _newFd: number): number {
      return Errno.NOTSUP;
    },

    sock_recv(
      _fd: number,
      _riData: number,
      _riDataLen: number,
      _riFlags: number,
      _roLen: number,
      _roFlags: number,
    ): number {
      return Errno.NOTSUP;
    },

    sock_send(_fd: number, _siData: number, _siDataLen: number, _siFlags: number, _soLen: number): number {
      return Errno.NOTSUP;
    },

    sock_shutdown(_fd: number, _how: number): number {
      return Errno.NOTSUP;
    },
  };

  // Every call pays for crossing into the host, before it does anything.
  const charged: Record<string, Preview1Function> = Object.create(null);
  for (const [name, fn] of Object.entries(wasi) as Array<[string, (...a: never[]) => number | undefined]>) {
    charged[name] = (...args: never[]) => {
      ctx.fuel.charge(HOST_COSTS.call);
      return fn(...args);
    };
  }
  return { wasi_snapshot_preview1: charged };
}
