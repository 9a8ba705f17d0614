import asc from 'assemblyscript/asc';

/** A bot-like AssemblyScript program: prime counting, and Map/String/Array work for the GC. */
export const AS_BOT = `
export function countPrimes(n: i32): i32 {
  let count = 0;
  for (let i = 2; i < n; i++) {
    let prime = true;
    for (let j = 2; j * j <= i; j++) {
      if (i % j == 0) { prime = false; break; }
    }
    if (prime) count++;
  }
  return count;
}

export function mapWork(n: i32): i32 {
  const m = new Map<i32, string>();
  for (let i = 0; i < n; i++) m.set(i, i.toString());
  let total = 0;
  for (let i = 0; i < n; i++) total += m.get(i).length;
  const arr = new Array<f64>();
  for (let i = 0; i < n; i++) arr.push(Math.sqrt(<f64>i));
  arr.sort();
  return total + <i32>arr[n - 1];
}
`;

/** Compiles AssemblyScript source to a core module (optimized, incremental GC runtime). */
export async function compileAssemblyScript(source: string): Promise<Uint8Array> {
  const r = await asc.compileString(source, {
    optimizeLevel: 3,
    shrinkLevel: 0,
    runtime: 'incremental',
    noAssert: true,
  });
  if (r.error || !r.binary) throw new Error(`asc failed: ${r.error?.message}\n${r.stderr.toString()}`);
  return r.binary;
}

export const AS_IMPORTS = {
  env: {
    abort: () => {
      throw new Error('abort');
    },
  },
};
