import { BinaryError, type ByteReader } from './bytes.js';
import type { CanonOptions, ComponentScope, CoreItemDef } from './scope.js';
import type { FuncType, ValType } from './types.js';

/**
 * Canonical definitions (the `canon` section): lifts become component functions; lowers,
 * resource built-ins and everything else become core functions, recorded by kind so the direct
 * path (plan.ts) can tell what it can run. Every opcode of the binary format is read, so an
 * unknown one is refused instead of misread.
 */
export interface CanonReader {
  valType(r: ByteReader, scope: ComponentScope): ValType;
  /** Counts a lifted or lowered function's type against the reader's caps. */
  countFunction(type: FuncType | null | undefined): void;
}

export function readCanonOptions(r: ByteReader): CanonOptions {
  const options: CanonOptions = { encoding: 'utf8', async: false };
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const opt = r.byte();
    switch (opt) {
      case 0x00:
        options.encoding = 'utf8';
        break;
      case 0x01:
        options.encoding = 'utf16';
        break;
      case 0x02:
        options.encoding = 'latin1+utf16';
        break;
      case 0x03:
        options.memory = r.u32();
        break;
      case 0x04:
        options.realloc = r.u32();
        break;
      case 0x05:
        options.postReturn = r.u32();
        break;
      case 0x06:
        options.async = true;
        break;
      case 0x07:
        options.callback = r.u32();
        break;
      default:
        throw new BinaryError(`unknown canonical option 0x${opt.toString(16)}`, r.pos - 1);
    }
  }
  return options;
}

/** One canon definition: a lift defines a component function, everything else a core function. */
export function readCanon(r: ByteReader, scope: ComponentScope, reader: CanonReader): void {
  const op = r.byte();
  const core = (def: CoreItemDef) => scope.coreFuncs.push(def);
  const other = (what: string) => core({ kind: 'other', what });
  switch (op) {
    case 0x00: {
      if (r.byte() !== 0x00) throw new BinaryError('bad canon lift', r.pos - 1);
      const coreFunc = r.u32();
      const options = readCanonOptions(r);
      const at = r.pos;
      const t = scope.types[r.u32()];
      if (t?.k !== 'func') throw new BinaryError('canon lift of a non-function type', at);
      reader.countFunction(t);
      scope.funcs.push({ kind: 'lift', coreFunc, options, type: t });
      return;
    }
    case 0x01: {
      if (r.byte() !== 0x00) throw new BinaryError('bad canon lower', r.pos - 1);
      const func = r.u32();
      reader.countFunction(scope.funcs[func]?.type);
      core({ kind: 'lower', func, options: readCanonOptions(r) });
      return;
    }
    case 0x02:
    case 0x03:
    case 0x04:
      core({ kind: 'resource', op: op === 0x02 ? 'new' : op === 0x03 ? 'drop' : 'rep', type: r.u32() });
      return;
    case 0x07: // resource.drop async (older encoders)
      r.u32();
      other('resource.drop async');
      return;
    case 0x0e:
    case 0x13:
    case 0x14:
    case 0x15:
    case 0x1a:
    case 0x1b:
      r.u32();
      other(`canonical built-in 0x${op.toString(16)}`);
      return;
    case 0x05:
    case 0x08:
    case 0x0d:
    case 0x1e:
    case 0x1f:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x28:
      other(`canonical built-in 0x${op.toString(16)}`);
      return;
    case 0x06:
    case 0x0c:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x2c:
    case 0x2d:
    case 0x42:
      r.byte();
      other(`canonical built-in 0x${op.toString(16)}`);
      return;
    case 0x09: {
      const tag = r.byte();
      if (tag === 0x00) reader.valType(r, scope);
      else if (tag === 0x01) r.byte();
      else throw new BinaryError('bad result list', r.pos - 1);
      readCanonOptions(r);
      other('task.return');
      return;
    }
    case 0x0a:
    case 0x0b:
      r.byte();
      r.u32();
      other(op === 0x0a ? 'context.get' : 'context.set');
      return;
    case 0x0f:
    case 0x10:
    case 0x16:
    case 0x17:
      r.u32();
      readCanonOptions(r);
      other(`canonical built-in 0x${op.toString(16)}`);
      return;
    case 0x11:
    case 0x12:
    case 0x18:
    case 0x19:
      r.u32();
      r.byte();
      other(`canonical built-in 0x${op.toString(16)}`);
      return;
    case 0x1c:
    case 0x1d:
      readCanonOptions(r);
      other('error-context');
      return;
    case 0x20:
    case 0x21:
      r.byte();
      r.u32();
      other('waitable-set');
      return;
    case 0x27:
      r.u32();
      r.u32();
      other('thread.new-indirect');
      return;
    case 0x40:
      r.byte();
      r.u32();
      other('thread.spawn-ref');
      return;
    case 0x41:
      r.byte();
      r.u32();
      r.u32();
      other('thread.spawn-indirect');
      return;
    default:
      throw new BinaryError(`unknown canonical definition 0x${op.toString(16)}`, r.pos - 1);
  }
}
