// A component bot in C that plays uniformly at random from the HOST's randomness: the bytes
// come from a generator seeded by the match, so a replay of the match plays the same game
// and another match gets other numbers. (rand() would be the same in every match.)
//
// It imports get-random-u64 from wasi:random/random@0.2.3; `throwdown componentize` sees the
// import and builds against the `player-random` world (player + wasi:random/random).
//   clang --target=wasm32-wasi -O2 -Wall -nostartfiles -Wl,--no-entry -Wl,--strip-debug -o core.wasm bot.c
//   throwdown componentize core.wasm -o bot.wasm
#include <stdint.h>

__attribute__((import_module("wasi:random/random@0.2.3"), import_name("get-random-u64")))
uint64_t random_u64(void);

__attribute__((export_name("play")))
int play(unsigned round, unsigned total_rounds, int my_last_some, int my_last, int their_last_some,
         int their_last) {
  (void)round, (void)total_rounds, (void)my_last_some, (void)my_last, (void)their_last_some, (void)their_last;
  return (int)(random_u64() % 3);
}
