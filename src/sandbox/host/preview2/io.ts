import type { VirtualClock } from '../clock.js';
import { GuestFault } from '../errors.js';
import { byteCost, type FuelAccount, HOST_COSTS, UNMETERED } from '../fuel.js';
import type { OutputSink } from '../output.js';

/**
 * wasi:io/{error, poll, streams} over in-memory stdio and the virtual clock.
 *
 * Resources are classes, as jco expects: the glue checks `instanceof` on what the host returns
 * and calls methods on the objects it hands back. The classes hold no state of their own (all
 * state lives in instances, reached through private fields) and are frozen, so two guests in one
 * process share nothing mutable even though they share the class objects.
 *
 * Errors follow jco's convention for `result<_, E>`: return the ok value, throw the error value.
 * A thrown plain object (`{ tag: 'closed' }`) becomes the guest's `err`; a thrown Error (our
 * OutputLimitExceeded, GuestExit, GuestFault) is rethrown by the glue as a trap, ending the guest.
 */

/** stream-error::closed. One frozen object: the glue only reads its tag. */
export const STREAM_CLOSED = Object.freeze({ tag: 'closed' as const });

/** What check-write grants; writes past the sink's cap still fail with OutputLimitExceeded. */
export const WRITE_PERMIT = 65_536n;
/** WASI caps blocking-write-and-flush and friends at 4096 bytes per call. */
const BLOCKING_WRITE_MAX = 4096;

/** u64 lengths from the guest, as a safe JS number (larger means "as much as there is"). */
export function lengthOf(len: bigint): number {
  return len > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(len);
}

/** wasi:io/error.error. We never produce one (no operation fails that way) but guests may import it. */
export class IoError {
  readonly #message: string;
  constructor(message: string) {
    this.#message = message;
  }
  toDebugString(): string {
    return this.#message;
  }
}

/** Let poll() read a pollable's deadline and readiness without exposing them to the guest's glue (or charging). */
let deadlineOf: (pollable: Pollable) => bigint;
let isReady: (pollable: Pollable) => boolean;
let blockOn: (pollable: Pollable) => void;

/**
 * wasi:io/poll.pollable. Either always ready (streams: stdin holds all its data up front, the
 * sinks always accept) or ready at a virtual monotonic deadline. Blocking on a deadline moves the
 * virtual clock forward to it, so nothing ever waits in real time.
 */
export class Pollable {
  readonly #clock: VirtualClock | undefined;
  readonly #deadline: bigint;
  /** Charged for the guest's own calls of ready and block (poll charges per pollable itself). */
  readonly #fuel: FuelAccount;

  static {
    deadlineOf = (pollable) => pollable.#deadline;
    isReady = (pollable) => pollable.#ready();
    blockOn = (pollable) => pollable.#block();
  }

  /** With no clock: always ready. */
  constructor(clock?: VirtualClock, deadlineNs = 0n, fuel: FuelAccount = UNMETERED) {
    this.#clock = clock;
    this.#deadline = deadlineNs;
    this.#fuel = fuel;
  }

  ready(): boolean {
    this.#fuel.charge(HOST_COSTS.call);
    return this.#ready();
  }

  block(): void {
    this.#fuel.charge(HOST_COSTS.call);
    this.#block();
  }

  #ready(): boolean {
    return this.#clock === undefined || this.#clock.peekMonotonicNs() >= this.#deadline;
  }

  #block(): void {
    const clock = this.#clock;
    if (clock === undefined) return;
    const now = clock.peekMonotonicNs();
    if (now < this.#deadline) clock.advance(this.#deadline - now);
  }
}

/** wasi:io/poll.poll: the indices of the ready pollables, sleeping (virtually) until one is. */
export function poll(list: Pollable[]): Uint32Array {
  if (list.length === 0) throw new GuestFault('wasi:io/poll.poll: empty list');
  let ready = readyIndices(list);
  if (ready.length === 0) {
    // Nothing ready means every entry is a clock pollable: jump to the earliest deadline.
    let earliest = list[0] as Pollable;
    for (const pollable of list) if (deadlineOf(pollable) < deadlineOf(earliest)) earliest = pollable;
    blockOn(earliest);
    ready = readyIndices(list);
  }
  return Uint32Array.from(ready);
}

function readyIndices(list: Pollable[]): number[] {
  const ready: number[] = [];
  for (let i = 0; i < list.length; i++) if (isReady(list[i] as Pollable)) ready.push(i);
  return ready;
}

/** The one stdin of an instance: every input-stream handle for it reads from the same position. */
export interface StdinSource {
  readonly bytes: Uint8Array;
  position: number;
  /** Charged for every read (the glue copies the bytes into guest memory). */
  readonly fuel?: FuelAccount;
}

/** wasi:io/streams.input-stream over the run's stdin bytes. */
export class InputStream {
  readonly #source: StdinSource;

  constructor(source: StdinSource) {
    this.#source = source;
  }

  /** Up to `len` bytes; `closed` once stdin is exhausted. */
  read(len: bigint): Uint8Array {
    const source = this.#source;
    // The call first: reading a closed stdin again and again is host work too.
    source.fuel?.charge(HOST_COSTS.call);
    const remaining = source.bytes.length - source.position;
    if (remaining === 0) throw STREAM_CLOSED;
    const n = Math.min(lengthOf(len), remaining);
    source.fuel?.charge(byteCost(n, HOST_COSTS.copyBytesPerFuel));
    const start = source.position;
    source.position = start + n;
    return source.bytes.subarray(start, start + n); // the glue copies it into guest memory
  }

  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }

  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }

  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }

  subscribe(): Pollable {
    const fuel = this.#source.fuel ?? UNMETERED;
    fuel.charge(HOST_COSTS.call);
    return new Pollable(undefined, 0n, fuel);
  }
}

/** wasi:io/streams.output-stream into a capped sink (stdout or stderr). */
export class OutputStream {
  readonly #sink: OutputSink;
  readonly #fuel: FuelAccount;

  constructor(sink: OutputSink, fuel: FuelAccount = UNMETERED) {
    this.#sink = sink;
    this.#fuel = fuel;
  }

  /** Charges a write of `n` bytes: at most what the sink can still take (plus one, to trip its cap) is copied. */
  #charge(n: number): void {
    const copied = Math.min(n, this.#sink.cap - this.#sink.length + 1);
    this.#fuel.charge(HOST_COSTS.call + byteCost(copied, HOST_COSTS.copyBytesPerFuel));
  }

  checkWrite(): bigint {
    this.#fuel.charge(HOST_COSTS.call);
    return WRITE_PERMIT;
  }

  /** Throws OutputLimitExceeded (a trap) past the cap. */
  write(contents: Uint8Array): void {
    this.#charge(contents.length);
    this.#sink.write(contents);
  }

  blockingWriteAndFlush(contents: Uint8Array): void {
    if (contents.length > BLOCKING_WRITE_MAX) {
      throw new GuestFault(
        `blocking-write-and-flush of ${contents.length} bytes (max ${BLOCKING_WRITE_MAX})`,
      );
    }
    this.#charge(contents.length);
    this.#sink.write(contents);
  }

  flush(): void {
    this.#fuel.charge(HOST_COSTS.call);
  }

  blockingFlush(): void {
    this.#fuel.charge(HOST_COSTS.call);
  }

  writeZeroes(len: bigint): void {
    // Allocate at most one byte past what the sink can still take: enough to trip its cap.
    const room = this.#sink.cap - this.#sink.length;
    this.#charge(lengthOf(len));
    this.#sink.write(new Uint8Array(Math.min(lengthOf(len), room + 1)));
  }

  blockingWriteZeroesAndFlush(len: bigint): void {
    if (len > BigInt(BLOCKING_WRITE_MAX)) {
      throw new GuestFault(`blocking-write-zeroes-and-flush of ${len} bytes (max ${BLOCKING_WRITE_MAX})`);
    }
    this.writeZeroes(len);
  }

  splice(source: InputStream, len: bigint): bigint {
    const bytes = source.read(len < WRITE_PERMIT ? len : WRITE_PERMIT);
    this.write(bytes);
    return BigInt(bytes.length);
  }

  blockingSplice(source: InputStream, len: bigint): bigint {
    return this.splice(source, len);
  }

  subscribe(): Pollable {
    this.#fuel.charge(HOST_COSTS.call);
    return new Pollable(undefined, 0n, this.#fuel);
  }
}

for (const type of [IoError, Pollable, InputStream, OutputStream]) {
  Object.freeze(type.prototype);
  Object.freeze(type);
}

/** The three wasi:io interfaces. Stateless: the state is in the resources. */
export function createIoImports(fuel: FuelAccount = UNMETERED) {
  return {
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': {
      Pollable,
      poll: (list: Pollable[]): Uint32Array => {
        fuel.charge(HOST_COSTS.call + list.length * HOST_COSTS.subscription);
        return poll(list);
      },
    },
    'wasi:io/streams': { InputStream, OutputStream },
  };
}
