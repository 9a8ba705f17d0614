import type { MalformedError } from './bytes.js';

/**
 * Why a module cannot be metered. Every message is addressed to the bot's author: what the
 * module does, and what the sandbox allows instead.
 */
export type MeterRejectionCode =
  /** Not a well-formed binary (truncated, garbage, bad encoding). */
  | 'malformed'
  /** Well-formed but not valid WebAssembly (type errors and the like), per the engine. */
  | 'invalid'
  /** A component or another binary that is not a core module. */
  | 'not-core-module'
  | 'multiple-memories'
  | 'shared-memory'
  | 'memory64'
  | 'relaxed-simd'
  | 'atomic-wait'
  | 'memory-too-large'
  | 'table-too-large'
  | 'imported-memory'
  | 'imported-table'
  /** An export or index space collides with what metering adds. */
  | 'reserved-name'
  /** A proposal the sandbox does not run (GC, try_table, custom page sizes, ...). */
  | 'unsupported-feature'
  /** Metering would push the module past an engine limit (locals, function size, index spaces). */
  | 'too-large';

export interface MeterRejection {
  code: MeterRejectionCode;
  message: string;
}

export function rejection(code: MeterRejectionCode, message: string): MeterRejection {
  return { code, message };
}

export function fromMalformed(e: MalformedError): MeterRejection {
  if (e.problem.startsWith('this is a WebAssembly component')) {
    return rejection(
      'not-core-module',
      'The upload is a WebAssembly component, but a core module was expected here (the component path handles components).',
    );
  }
  return rejection('malformed', `The module is not a well-formed WebAssembly binary: ${e.message}.`);
}

/** 67108864 -> "64 MiB", 2147483648 -> "2 GiB", 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
  return `${text} ${units[u]}`;
}
