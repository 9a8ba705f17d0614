// Allocates 1 MiB arrays and keeps every one reachable, so the garbage collector cannot help:
// memory grows until memory.grow fails, and then AssemblyScript's allocator traps.
const hoard = new Array<Uint8Array>();
while (true) {
  const block = new Uint8Array(1 << 20);
  block[0] = 1;
  hoard.push(block);
}
console.log('Rock');
