import { BinaryError, type ByteReader } from './bytes.js';
import { skipLimits, skipRefType, skipValType } from './core-module.js';

/**
 * Core types inside a component (its core type section, and core types declared in instance and
 * component types): skipped by their structure, since nothing here needs them, except the import
 * and export names of core module types, which are read (and so checked) like every other name.
 * At the component level 0x50 starts a module type; a non-final core subtype is `0x00 0x50`.
 */
export type NameReader = (r: ByteReader, where: () => string) => string;

export function skipCoreType(r: ByteReader, readName: NameReader, where: () => string): void {
  const b = r.bytes[r.pos];
  if (b === 0x50) {
    r.byte();
    moduleType(r, readName, where);
    return;
  }
  if (b === 0x00) {
    r.byte();
    if (r.byte() !== 0x50) throw new BinaryError('bad core subtype', r.pos - 1);
    subTypeBody(r);
    return;
  }
  recType(r);
}

function recType(r: ByteReader): void {
  if (r.bytes[r.pos] === 0x4e) {
    r.byte();
    const count = r.u32();
    for (let i = 0; i < count; i++) subType(r, true);
    return;
  }
  subType(r, false);
}

function subType(r: ByteReader, inRecGroup: boolean): void {
  const b = r.bytes[r.pos];
  if (b === 0x4f || (b === 0x50 && inRecGroup)) {
    r.byte();
    subTypeBody(r);
    return;
  }
  compType(r);
}

function subTypeBody(r: ByteReader): void {
  const supers = r.u32();
  for (let i = 0; i < supers; i++) r.u32();
  compType(r);
}

function compType(r: ByteReader): void {
  const b = r.byte();
  switch (b) {
    case 0x60: {
      for (let side = 0; side < 2; side++) {
        const count = r.u32();
        for (let i = 0; i < count; i++) skipValType(r);
      }
      return;
    }
    case 0x5f: {
      const count = r.u32();
      for (let i = 0; i < count; i++) fieldType(r);
      return;
    }
    case 0x5e:
      fieldType(r);
      return;
    default:
      throw new BinaryError(`unknown core type form 0x${b.toString(16)}`, r.pos - 1);
  }
}

function fieldType(r: ByteReader): void {
  const b = r.bytes[r.pos];
  if (b === 0x78 || b === 0x77) r.byte();
  else skipValType(r);
  r.byte();
}

function moduleType(r: ByteReader, readName: NameReader, where: () => string): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const tag = r.byte();
    const at = () => `declaration ${i} of the module type in ${where()}`;
    switch (tag) {
      case 0x00: {
        readName(r, () => `the module name of import ${at()}`);
        readName(r, () => `the field name of import ${at()}`);
        coreImportDesc(r);
        break;
      }
      case 0x01:
        skipCoreType(r, readName, at);
        break;
      case 0x02:
        if (r.byte() !== 0x10 || r.byte() !== 0x01) throw new BinaryError('bad module type alias', r.pos - 1);
        r.u32();
        r.u32();
        break;
      case 0x03:
        readName(r, () => `the name of export ${at()}`);
        coreImportDesc(r);
        break;
      default:
        throw new BinaryError(`unknown module type declaration 0x${tag.toString(16)}`, r.pos - 1);
    }
  }
}

function coreImportDesc(r: ByteReader): void {
  const kind = r.byte();
  switch (kind) {
    case 0x00:
      r.u32();
      return;
    case 0x01:
      skipRefType(r);
      skipLimits(r);
      return;
    case 0x02:
      skipLimits(r);
      return;
    case 0x03:
      skipValType(r);
      r.byte();
      return;
    case 0x04:
      r.byte();
      r.u32();
      return;
    default:
      throw new BinaryError(`unknown import kind 0x${kind.toString(16)}`, r.pos - 1);
  }
}
