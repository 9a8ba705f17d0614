import { BodyWalker } from './body-walker.js';
import { MalformedError, Reader } from './bytes.js';
import { type Caps, checkModule } from './check.js';
import { parseModule } from './module.js';
import { K } from './opcodes.js';
import { rejectedInstruction } from './rejected-instruction.js';
import { fromMalformed, type MeterRejection, rejection } from './rejection.js';
import { readValType } from './types.js';
import { wasm } from './wasm-api.js';

/**
 * Explains why the engine refused a module, in terms a bot author can act on. Runs only after
 * `wasm.validate` said no, so it may be slower than the metering path.
 *
 * Order: a structural problem with its byte offset; then what the sandbox refuses anyway
 * (multiple memories, memory64, relaxed SIMD, GC...), which the engine also rejects when those
 * proposals are off; and last the engine's own message.
 */
export function diagnoseInvalid(bytes: Uint8Array, caps: Caps): MeterRejection {
  let m: ReturnType<typeof parseModule>;
  try {
    m = parseModule(bytes, { deep: true, skipCode: false });
  } catch (e) {
    if (e instanceof MalformedError) return fromMalformed(e);
    throw e;
  }
  const moduleLevel = checkModule(m, caps);
  if (moduleLevel) return moduleLevel;
  for (let i = 0; i < m.bodies.length; i++) {
    const found = scanBody(m, i);
    if (found) return found;
  }
  return rejection('invalid', `The module is not valid WebAssembly: ${engineMessage(bytes)}.`);
}

/** Finds the first instruction the sandbox refuses in a body that may itself be invalid. */
function scanBody(m: ReturnType<typeof parseModule>, i: number): MeterRejection | undefined {
  const b = m.bodies[i]!;
  const funcIndex = m.importedFunctions + i;
  const ft = m.types[m.funcTypes[funcIndex]!];
  if (!ft) return undefined;
  try {
    const r = new Reader(m.bytes, b.start, b.end);
    const decls = r.count('local declaration', 2);
    for (let j = 0; j < decls; j++) {
      r.u32();
      readValType(r, m.features);
    }
    const w = new BodyWalker(r, m, ft.results.length);
    while (!r.atEnd()) {
      const kind = w.step();
      if (kind !== K.invalid) {
        const found = rejectedInstruction(kind, w.d, funcIndex);
        if (found) return found;
      }
      if (kind === K.invalid || w.functionEnd) return undefined;
    }
  } catch {
    // The body is invalid in a way the engine's message will describe better.
  }
  return undefined;
}

/** The engine's reason, reworded a little: "@+123" becomes "at byte 123". */
export function engineMessage(bytes: Uint8Array): string {
  try {
    new wasm.Module(bytes);
    return 'the engine refused it without a reason';
  } catch (e) {
    let msg = e instanceof Error ? e.message : String(e);
    msg = msg.replace(/^WebAssembly\.Module\(\): /, '').replace(/ @\+(\d+)$/, ' (at byte $1)');
    return msg;
  }
}
