// Tries to read a host secret: prints every environment variable it can see as "env: K=V",
// then "env-count: N". The host must give an empty environment; it plays Rock when it sees
// nothing and Paper when it sees anything, so a match of all Rock shows nothing leaked.
const env = process.env;
const keys = env.keys();
for (let i = 0; i < keys.length; i++) {
  console.log('env: ' + keys[i] + '=' + env.get(keys[i]));
}
console.log('env-count: ' + keys.length.toString());
console.log(keys.length == 0 ? 'Rock' : 'Paper');
