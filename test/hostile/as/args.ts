// Prints its arguments as "arg: A", then "arg-count: N". The host passes exactly one, the bot's
// name (Snippy passes none beyond the program name); Rock when there is exactly one, else Paper.
const argv = process.argv;
for (let i = 0; i < argv.length; i++) console.log('arg: ' + argv[i]);
console.log('arg-count: ' + argv.length.toString());
console.log(argv.length == 1 ? 'Rock' : 'Paper');
