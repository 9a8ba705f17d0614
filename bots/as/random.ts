// Plays uniformly at random. The WASI shim seeds Math.random from random_get, which the host
// seeds from the match seed: same seed, same game; another seed, another game.
import { handName } from './lib/input';

console.log(handName(<i32>Math.floor(Math.random() * 3)));
