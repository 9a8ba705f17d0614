// A component bot in Rust: plays what beats the opponent's most frequent hand so far, paper in
// round 1 (ties go to rock, then paper).
//
// One instance lives for the whole match, so the counts simply stay in a static. The host
// calls `play` once per round with the round state of wit/rps.wit, which the canonical ABI
// flattens to six integers:
//   play(state: round-state) -> hand
//   state = { round, total-rounds, my-last: option<hand>, their-last: option<hand> }
//   an option<hand> is two integers: is-some (0 or 1), then the hand (0 rock, 1 paper, 2 scissors)
//
// Build for wasm32-unknown-unknown, which has std (Vec, HashMap, format!) and imports nothing;
// no wit-bindgen or crates needed, `throwdown componentize` embeds the WIT:
//   rustc --target wasm32-unknown-unknown --edition 2021 -O --crate-type cdylib -C strip=debuginfo -o core.wasm bot.rs
//   throwdown componentize core.wasm -o bot.wasm
// On that target println! prints nothing and a panic traps (the bot faults): log with debug().
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

// arena.debug(message: string) from wit/rps.wit: a string goes as (pointer, length). The line
// lands in your bot's log (`/bot log`, `throwdown match --json`), counted against the stderr cap.
#[link(wasm_import_module = "throwdown:rps/arena@0.1.0")]
extern "C" {
    #[link_name = "debug"]
    fn arena_debug(ptr: *const u8, len: usize);
}

fn debug(message: &str) {
    unsafe { arena_debug(message.as_ptr(), message.len()) }
}

// Wasm bots are single-threaded; atomics are just a safe way to keep mutable statics.
static COUNTS: [AtomicU32; 3] = [AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0)];

#[no_mangle]
pub extern "C" fn play(
    round: u32,
    _total_rounds: u32,
    _my_last_some: u32,
    _my_last: u32,
    their_last_some: u32,
    their_last: u32,
) -> u32 {
    if round == 1 {
        debug("frequency.rs: counting your hands");
    }
    if their_last_some != 0 {
        COUNTS[their_last as usize % 3].fetch_add(1, Relaxed);
    }
    let counts = [COUNTS[0].load(Relaxed), COUNTS[1].load(Relaxed), COUNTS[2].load(Relaxed)];
    let mut top = 0;
    if counts[1] > counts[top] {
        top = 1;
    }
    if counts[2] > counts[top] {
        top = 2;
    }
    ((top + 1) % 3) as u32 // the hand that beats `top`
}
