/**
 * The typed errors a host import throws to stop a guest. They are thrown from inside an import
 * and unwind through the guest's wasm frames to whoever called into the guest, so only the guest
 * ends: the host process, its stdio and every other instance carry on.
 *
 * They extend Error on purpose: jco's generated glue passes a thrown *non*-Error value back to the
 * guest as a WASI error payload, but rethrows an Error (as a trap), which is what we want here.
 */

/** The guest called `proc_exit` / `wasi:cli/exit`. Code 0 is a normal, successful end. */
export class GuestExit extends Error {
  override readonly name = 'GuestExit';
  constructor(readonly code: number) {
    super(`guest exited with code ${code}`);
  }
}

/** Which captured stream ran over its cap. */
export type OutputStreamName = 'stdout' | 'stderr' | 'output';

/** The guest wrote more than its cap to stdout or stderr (arena `debug` counts as stderr). */
export class OutputLimitExceeded extends Error {
  override readonly name = 'OutputLimitExceeded';
  constructor(
    readonly stream: OutputStreamName,
    readonly cap: number,
  ) {
    super(`${stream} exceeded its cap of ${cap} bytes`);
  }
}

/**
 * The guest broke the interface contract in a way that has no errno or error-code to report
 * (an empty poll list, an absurd random-bytes request, no exported memory): the guest traps.
 */
export class GuestFault extends Error {
  override readonly name = 'GuestFault';
}
