// A command bot in C (WASI preview1, Snippy compatible): plays what beats the opponent's most
// frequent hand so far, paper on the first move (ties go to rock, then paper).
//
// A command bot runs in a fresh instance for every move: it reads one JSON line on stdin,
//   {"botname":"me","opponent":"you","round":2,"history":["Rock","Paper"],
//    "my_moves":["Rock","Paper"],"opponent_moves":["Scissors","Rock"],"total_rounds":1000}
// and prints its move as the last line of stdout. Nothing survives between moves, so it
// recounts the whole history each time (a few thousand instructions for 1000 rounds).
//
// Build: clang --target=wasm32-wasi -O2 -Wall -Wl,--strip-debug -o bot.wasm bot.c   (needs wasi-libc)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROCK, PAPER, SCISSORS };
static const char *const NAMES[] = {"Rock", "Paper", "Scissors"};

// Reads stdin to the end into a NUL-terminated buffer (the host closes stdin after the line).
static char *read_stdin(void) {
  size_t size = 0, capacity = 4096;
  char *text = malloc(capacity);
  for (;;) {
    if (!text) return NULL;
    size += fread(text + size, 1, capacity - size - 1, stdin);
    if (size < capacity - 1) break;
    capacity *= 2;
    text = realloc(text, capacity);
  }
  text[size] = '\0';
  return text;
}

int main(void) {
  char *input = read_stdin();
  unsigned counts[3] = {0, 0, 0};
  // JSON without a parser: the shape is fixed, so find the array and read each hand's first
  // letter ("Rock", "Paper", "Scissors").
  const char *key = "\"opponent_moves\":[";
  const char *at = input ? strstr(input, key) : NULL;
  if (at) {
    for (at += strlen(key); *at && *at != ']'; at++) {
      if (at[0] != '"') continue;
      if (at[1] == 'R') counts[ROCK]++;
      else if (at[1] == 'P') counts[PAPER]++;
      else if (at[1] == 'S') counts[SCISSORS]++;
      at = strchr(at + 1, '"'); // skip to the closing quote
      if (!at) break;
    }
  }
  int top = ROCK;
  if (counts[PAPER] > counts[top]) top = PAPER;
  if (counts[SCISSORS] > counts[top]) top = SCISSORS;
  // Anything printed before the last line is ignored; stderr is kept for your /bot log.
  fprintf(stderr, "seen %u rock, %u paper, %u scissors\n", counts[ROCK], counts[PAPER], counts[SCISSORS]);
  puts(NAMES[(top + 1) % 3]);
  free(input);
  return 0;
}
