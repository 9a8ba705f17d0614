import type { GuestContext } from '../context.js';
import { GuestExit } from '../errors.js';
import { InputStream, OutputStream, type StdinSource } from './io.js';

/**
 * wasi:cli/{environment, exit, stdin, stdout, stderr, terminal-*}: an empty environment, argv from
 * the context, no working directory, stdio in memory, never a terminal, and an exit that throws
 * GuestExit so only the guest ends (preview2-shim's Node build calls process.exit here).
 */

/** terminal-input / terminal-output: no methods; we never hand one out. */
export class TerminalInput {}
export class TerminalOutput {}
for (const type of [TerminalInput, TerminalOutput]) {
  Object.freeze(type.prototype);
  Object.freeze(type);
}

/** jco passes result<_, _> as { tag: 'ok' | 'err' }. */
export interface ExitStatus {
  tag: 'ok' | 'err';
}

export function createCliImports(ctx: GuestContext) {
  const stdin: StdinSource = { bytes: ctx.stdin, position: 0, fuel: ctx.fuel };
  return {
    'wasi:cli/environment': {
      getEnvironment: (): [string, string][] => [],
      getArguments: (): string[] => ctx.args.slice(),
      initialCwd: (): string | undefined => undefined,
    },
    'wasi:cli/exit': {
      exit(status: ExitStatus): never {
        throw new GuestExit(status.tag === 'err' ? 1 : 0);
      },
      /** wasi:cli 0.2.x's unstable exit-with-code. */
      exitWithCode(code: number): never {
        throw new GuestExit(code);
      },
    },
    // A fresh handle per call: the guest may drop one without affecting another.
    'wasi:cli/stdin': { getStdin: () => new InputStream(stdin) },
    'wasi:cli/stdout': { getStdout: () => new OutputStream(ctx.stdout, ctx.fuel) },
    'wasi:cli/stderr': { getStderr: () => new OutputStream(ctx.stderr, ctx.fuel) },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: (): TerminalInput | undefined => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: (): TerminalOutput | undefined => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: (): TerminalOutput | undefined => undefined },
  };
}
