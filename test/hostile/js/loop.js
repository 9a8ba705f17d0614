// Spins forever inside play: fuel metering has to reach into the QuickJS interpreter loop.
export function play(_state) {
  for (;;) {}
}
