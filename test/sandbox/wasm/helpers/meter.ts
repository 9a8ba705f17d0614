import { expect } from 'vitest';
import {
  type Instrumented,
  type InstrumentOptions,
  instrument,
  type MeterHost,
  meterHost,
} from '../../../../src/sandbox/wasm/index.js';

export const OPTIONS: InstrumentOptions = {
  memoryPages: 1024,
  tableElements: 10_000,
  stackBytes: 512 * 1024,
};

/** Instruments and asserts success. */
export function metered(bytes: Uint8Array, options: Partial<InstrumentOptions> = {}): Instrumented {
  const res = instrument(bytes, { ...OPTIONS, ...options });
  if (!res.ok) expect.fail(`instrument rejected the module: ${res.error.code}: ${res.error.message}`);
  return res.value;
}

export type Exports = Record<string, (...args: unknown[]) => unknown>;

export function instantiate(
  bytes: Uint8Array,
  imports: Record<string, Record<string, unknown>> = {},
): Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports as WebAssembly.Imports)
    .exports as Exports;
}

export interface MeteredInstance {
  exports: Exports;
  host: MeterHost;
  info: Instrumented;
}

export function instantiateMetered(
  bytes: Uint8Array,
  options: Partial<InstrumentOptions> = {},
  imports: Record<string, Record<string, unknown>> = {},
): MeteredInstance {
  const info = metered(bytes, options);
  const instance = new WebAssembly.Instance(
    new WebAssembly.Module(info.bytes),
    imports as WebAssembly.Imports,
  );
  return { exports: instance.exports as Exports, host: meterHost(instance), info };
}

/** Calls `fn` with a fresh budget and returns the result and the fuel it used. */
export function run<T>(m: MeteredInstance, fn: () => T, fuel = 1_000_000_000, stack = OPTIONS.stackBytes) {
  m.host.setBudget(fuel, stack);
  const value = fn();
  return { value, used: fuel - m.host.fuelLeft() };
}
