/**
 * WASI preview1 (wasi_snapshot_preview1) numbers and struct layouts, from
 * WebAssembly/WASI legacy/preview1/witx/typenames.witx. Only what our host uses.
 */

/** errno (u16). */
export const Errno = {
  SUCCESS: 0,
  BADF: 8,
  FAULT: 21,
  INVAL: 28,
  NOSYS: 52,
  NOTSUP: 58,
  OVERFLOW: 61,
  SPIPE: 70,
  NOTCAPABLE: 76,
} as const;

/** clockid (u32). */
export const ClockId = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME: 2,
  THREAD_CPUTIME: 3,
} as const;

/** filetype (u8). */
export const Filetype = {
  UNKNOWN: 0,
  CHARACTER_DEVICE: 2,
} as const;

/** rights (u64) bits we report for stdio. */
export const Rights = {
  FD_READ: 1n << 1n,
  FD_WRITE: 1n << 6n,
  POLL_FD_READWRITE: 1n << 27n,
} as const;

/** fdflags (u16) bits fd_fdstat_set_flags accepts. */
export const FdFlags = {
  APPEND: 1 << 0,
  NONBLOCK: 1 << 2,
} as const;

/** eventtype (u8). */
export const EventType = {
  CLOCK: 0,
  FD_READ: 1,
  FD_WRITE: 2,
} as const;

/** subclockflags (u16). */
export const SUBSCRIPTION_CLOCK_ABSTIME = 1;
/** eventrwflags (u16). */
export const EVENT_FD_READWRITE_HANGUP = 1;

/** iovec / ciovec: { buf: u32, buf_len: u32 }. */
export const IOVEC_SIZE = 8;
/** fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16. */
export const FDSTAT_SIZE = 24;
/** filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56. */
export const FILESTAT_SIZE = 64;
/**
 * subscription: userdata u64 @0, tag u8 @8, then either clock {id u32 @16, timeout u64 @24,
 * precision u64 @32, flags u16 @40} or fd u32 @16.
 */
export const SUBSCRIPTION_SIZE = 48;
/** event: userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24. */
export const EVENT_SIZE = 32;
