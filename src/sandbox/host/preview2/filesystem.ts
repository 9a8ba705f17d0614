/**
 * wasi:filesystem/{types, preopens} with no filesystem at all: get-directories returns no
 * preopens, so a guest never holds a descriptor. The Descriptor class exists because the
 * interface names it; should a call ever reach one, it fails with error-code `bad-descriptor`
 * (thrown as a plain string, which jco turns into the guest's `err`).
 */

import { type FuelAccount, HOST_COSTS, UNMETERED } from '../fuel.js';

/** error-code::bad-descriptor. */
export const BAD_DESCRIPTOR = 'bad-descriptor';

function fail(): never {
  throw BAD_DESCRIPTOR;
}

export class Descriptor {
  readViaStream(_offset: bigint): never {
    fail();
  }
  writeViaStream(_offset: bigint): never {
    fail();
  }
  appendViaStream(): never {
    fail();
  }
  advise(_offset: bigint, _length: bigint, _advice: string): never {
    fail();
  }
  syncData(): never {
    fail();
  }
  getFlags(): never {
    fail();
  }
  getType(): never {
    fail();
  }
  setSize(_size: bigint): never {
    fail();
  }
  setTimes(_dataAccess: unknown, _dataModification: unknown): never {
    fail();
  }
  read(_length: bigint, _offset: bigint): never {
    fail();
  }
  write(_buffer: Uint8Array, _offset: bigint): never {
    fail();
  }
  readDirectory(): never {
    fail();
  }
  sync(): never {
    fail();
  }
  createDirectoryAt(_path: string): never {
    fail();
  }
  stat(): never {
    fail();
  }
  statAt(_pathFlags: unknown, _path: string): never {
    fail();
  }
  setTimesAt(_pathFlags: unknown, _path: string, _dataAccess: unknown, _dataModification: unknown): never {
    fail();
  }
  linkAt(_oldPathFlags: unknown, _oldPath: string, _newDescriptor: Descriptor, _newPath: string): never {
    fail();
  }
  openAt(_pathFlags: unknown, _path: string, _openFlags: unknown, _flags: unknown): never {
    fail();
  }
  readlinkAt(_path: string): never {
    fail();
  }
  removeDirectoryAt(_path: string): never {
    fail();
  }
  renameAt(_oldPath: string, _newDescriptor: Descriptor, _newPath: string): never {
    fail();
  }
  symlinkAt(_oldPath: string, _newPath: string): never {
    fail();
  }
  unlinkFileAt(_path: string): never {
    fail();
  }
  isSameObject(other: Descriptor): boolean {
    return this === other;
  }
  metadataHash(): never {
    fail();
  }
  metadataHashAt(_pathFlags: unknown, _path: string): never {
    fail();
  }
}

export class DirectoryEntryStream {
  readDirectoryEntry(): never {
    fail();
  }
}

for (const type of [Descriptor, DirectoryEntryStream]) {
  Object.freeze(type.prototype);
  Object.freeze(type);
}

/** Each call charges one host call; Descriptor's methods are unreachable (no descriptor is ever handed out). */
export function createFilesystemImports(fuel: FuelAccount = UNMETERED) {
  return {
    'wasi:filesystem/types': {
      Descriptor,
      DirectoryEntryStream,
      /** No stream error ever comes from a file, so there is never a code to report. */
      filesystemErrorCode: (_error: unknown): string | undefined => {
        fuel.charge(HOST_COSTS.call);
        return undefined;
      },
    },
    'wasi:filesystem/preopens': {
      getDirectories: (): [Descriptor, string][] => {
        fuel.charge(HOST_COSTS.call);
        return [];
      },
    },
  };
}
