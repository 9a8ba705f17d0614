// A component bot in C: plays what beats the opponent's most frequent hand so far, paper in
// round 1 (ties go to rock, then paper).
//
// One instance lives for the whole match, so the counts simply stay in a static array. The
// host calls `play` once per round with the round state of wit/rps.wit, which the canonical
// ABI flattens to six integers:
//   play(state: round-state) -> hand
//   state = { round, total-rounds, my-last: option<hand>, their-last: option<hand> }
//   an option<hand> is two integers: is-some (0 or 1), then the hand (0 rock, 1 paper, 2 scissors)
//
// Build (no wit-bindgen needed; `throwdown componentize` embeds the WIT and makes the component):
//   clang --target=wasm32-wasi -O2 -Wall -nostartfiles -Wl,--no-entry -Wl,--strip-debug -o core.wasm bot.c
//   throwdown componentize core.wasm -o bot.wasm
// The C library is there (string.h, malloc), but a component has no stdio: anything that
// reaches WASI (printf, fopen, ...) makes componentize refuse the module. Log with debug().
#include <stddef.h>
#include <string.h>

enum { ROCK, PAPER, SCISSORS };

// arena.debug(message: string) from wit/rps.wit: a string goes as (pointer, length). The line
// lands in your bot's log (`/bot log`, `throwdown match --json`), counted against the stderr cap.
__attribute__((import_module("throwdown:rps/arena@0.1.0"), import_name("debug")))
void arena_debug(const char *message, size_t length);

static void debug(const char *message) { arena_debug(message, strlen(message)); }

static unsigned counts[3];

__attribute__((export_name("play")))
int play(unsigned round, unsigned total_rounds, int my_last_some, int my_last, int their_last_some,
         int their_last) {
  (void)total_rounds, (void)my_last_some, (void)my_last;
  if (round == 1) debug("frequency.c: counting your hands");
  if (their_last_some) counts[their_last]++;
  int top = ROCK;
  if (counts[PAPER] > counts[top]) top = PAPER;
  if (counts[SCISSORS] > counts[top]) top = SCISSORS;
  return (top + 1) % 3; // the hand that beats `top`
}
