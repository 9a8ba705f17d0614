// Reads the wall clock (Date.now, milliseconds) and the monotonic clock (process.hrtime,
// nanoseconds) twice and prints them as "wall: A B" and "monotonic: C D". The host's clocks
// are virtual, so a replay with the same seed prints the same numbers. Plays Rock when the
// monotonic clock did not go backwards, Paper otherwise.
const wall1 = Date.now();
const mono1 = process.hrtime();
const wall2 = Date.now();
const mono2 = process.hrtime();
console.log('wall: ' + wall1.toString() + ' ' + wall2.toString());
console.log('monotonic: ' + mono1.toString() + ' ' + mono2.toString());
console.log(mono2 >= mono1 ? 'Rock' : 'Paper');
