import { err, ok, type Result } from '../../util/result.js';
import type { Rejection } from '../types.js';

export type BinaryKind = 'module' | 'component';

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** Names what a non-wasm upload probably is, so the author knows what went wrong. */
function guessFormat(bytes: Uint8Array): string | null {
  const startsWith = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return 'a zip archive';
  if (startsWith(0x1f, 0x8b)) return 'a gzip file';
  if (startsWith(0x7f, 0x45, 0x4c, 0x46)) return 'a native (ELF) executable';
  if (startsWith(0x4d, 0x5a)) return 'a Windows executable';
  if (startsWith(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 256)).trimStart();
  if (/^\((module|component)\b/.test(head))
    return 'WebAssembly text (WAT): compile it to a binary .wasm first';
  if (/^(import|export|function|const|let|#include|fn |use |package )/.test(head))
    return 'source code, not a compiled .wasm';
  return null;
}

/**
 * The first, cheapest checks on an upload: size, the wasm magic number, and whether the
 * binary is a core module (command bots) or a component (component bots).
 */
export function classifyUpload(bytes: Uint8Array, maxBytes: number): Result<BinaryKind, Rejection> {
  if (bytes.length === 0) return err({ code: 'empty', message: 'The file is empty.' });
  if (bytes.length > maxBytes) {
    return err({
      code: 'too-large',
      message: `The file is ${formatSize(bytes.length)}; bots may be at most ${formatSize(maxBytes)}.`,
    });
  }
  if (!(bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d)) {
    const guess = guessFormat(bytes);
    return err({
      code: 'not-wasm',
      message: `This is not a WebAssembly binary${guess ? ` (it looks like ${guess})` : ''}. Upload the compiled .wasm file.`,
    });
  }
  if (bytes.length < 8)
    return err({ code: 'malformed', message: 'The file ends right after the WebAssembly header.' });
  const v = bytes.subarray(4, 8);
  if (v[0] === 0x01 && v[1] === 0x00 && v[2] === 0x00 && v[3] === 0x00) return ok('module');
  if (v[2] === 0x01 && v[3] === 0x00) {
    if (v[0] === 0x0d && v[1] === 0x00) return ok('component');
    return err({
      code: 'unsupported-version',
      message: `This component uses binary version 0x${v[0]?.toString(16)}, from a different draft of the component model than ours (0xd). Rebuild it with a current toolchain.`,
    });
  }
  return err({
    code: 'unsupported-version',
    message:
      'The WebAssembly header has an unknown version; only core modules (version 1) and components are accepted.',
  });
}

export { formatSize };
