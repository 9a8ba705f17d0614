import { randomBytes } from 'node:crypto';

/** A fresh match or tournament seed: 64 random bits as 16 hex digits, short enough to type. */
export function newSeed(): string {
  return randomBytes(8).toString('hex');
}
