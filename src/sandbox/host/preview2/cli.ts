import type { GuestContext } from '../context.js';
import { GuestExit } from '../errors.js';
import { byteCost, HOST_COSTS } from '../fuel.js';
import { InputStream, OutputStream, type StdinSource } from './io.js';

/**
 * wasi:cli/{environment, exit, stdin, stdout, stderr, terminal-*}: an empty environment, argv from
 * the context, no working directory, stdio in memory, never a terminal, and an exit that throws
 * GuestExit so only the guest ends (preview2-shim's Node build calls process.exit here).
 * Every call charges the bot one host call; get-arguments also the bytes it hands back.
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
  const charged =
    <R>(f: () => R) =>
    (): R => {
      ctx.fuel.charge(HOST_COSTS.call);
      return f();
    };
  // UTF-16 length x 3 bounds the UTF-8 bytes the lowering copies into the guest.
  const argBytes = ctx.args.reduce((sum, a) => sum + a.length * 3, 0);
  return {
    'wasi:cli/environment': {
      getEnvironment: charged((): [string, string][] => []),
      getArguments: (): string[] => {
        ctx.fuel.charge(HOST_COSTS.call + byteCost(argBytes, HOST_COSTS.copyBytesPerFuel));
        return ctx.args.slice();
      },
      initialCwd: charged((): string | undefined => undefined),
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
    'wasi:cli/stdin': { getStdin: charged(() => new InputStream(stdin)) },
    'wasi:cli/stdout': { getStdout: charged(() => new OutputStream(ctx.stdout, ctx.fuel)) },
    'wasi:cli/stderr': { getStderr: charged(() => new OutputStream(ctx.stderr, ctx.fuel)) },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: charged((): TerminalInput | undefined => undefined) },
    'wasi:cli/terminal-stdout': { getTerminalStdout: charged((): TerminalOutput | undefined => undefined) },
    'wasi:cli/terminal-stderr': { getTerminalStderr: charged((): TerminalOutput | undefined => undefined) },
  };
}
