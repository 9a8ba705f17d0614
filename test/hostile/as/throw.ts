// Throws an error. AssemblyScript's WASI shim reports it on stderr and calls proc_exit(255),
// the way most AssemblyScript bots fail.
console.log('about to throw');
throw new Error('this bot always fails');
