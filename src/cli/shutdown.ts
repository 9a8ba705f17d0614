/**
 * How every mode of `throwdown` stops on SIGINT (Ctrl-C) or SIGTERM:
 *
 * - the first signal asks to stop: `signal` is aborted and `requested` resolves, so the service
 *   stops taking work and winds down (main.ts); a one-shot command's sandbox is closed at once
 *   (its `onStop` hooks), so the command ends with a short message and closes its database;
 * - if that has not ended the process within `boundMs`, it is ended with a one-line message;
 * - a second signal ends it at once (exit code 130), for whoever cannot wait.
 *
 * Sandbox workers ignore these signals (a terminal's Ctrl-C reaches the whole process group):
 * the service decides when they stop.
 */
export interface Shutdown {
  readonly signal: AbortSignal;
  readonly requested: Promise<NodeJS.Signals>;
  /** Runs `hook` at the first signal (e.g. closing a one-shot command's sandbox); returns an unregister. */
  onStop(hook: () => unknown): () => void;
  /** Listens for the signals (once per process). */
  install(): void;
}

export const SHUTDOWN_BOUND_MS = 20_000;

export function createShutdown(
  options: { boundMs?: number; write?: (line: string) => void; exit?: (code: number) => void } = {},
): Shutdown {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  const hooks = new Set<() => unknown>();
  let resolveRequested: (signal: NodeJS.Signals) => void = () => {};
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    resolveRequested = resolve;
  });
  let installed = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      write(`throwdown: ${signal} again: stopping now.`);
      exit(130);
      return;
    }
    write(`throwdown: ${signal}: stopping (send it again to stop at once).`);
    // A one-shot command interrupted did not finish its job: scripts must see that (130).
    // The service sets 0 once it has stopped cleanly.
    process.exitCode = 130;
    controller.abort(signal);
    resolveRequested(signal);
    for (const hook of hooks) {
      try {
        void Promise.resolve(hook()).catch(() => {});
      } catch {
        // A hook that fails must not stop the others.
      }
    }
    // Only fires if something still holds the process after the bound.
    setTimeout(() => {
      write(
        `throwdown: did not stop within ${Math.round((options.boundMs ?? SHUTDOWN_BOUND_MS) / 1000)} s; stopping now.`,
      );
      exit(1);
    }, options.boundMs ?? SHUTDOWN_BOUND_MS).unref();
  };

  return {
    signal: controller.signal,
    requested,
    onStop(hook) {
      hooks.add(hook);
      if (controller.signal.aborted) void Promise.resolve(hook()).catch(() => {});
      return () => hooks.delete(hook);
    },
    install() {
      if (installed) return;
      installed = true;
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
  };
}

/** The process's one shutdown (installed by runProgram). */
export const shutdown = createShutdown();
