// A component bot in Rust: plays what beats the opponent's previous hand, paper in round 1.
// The smallest complete component bot: no state, no imports.
//   rustc --target wasm32-unknown-unknown --edition 2021 -O --crate-type cdylib -C strip=debuginfo -o core.wasm bot.rs
//   throwdown componentize core.wasm -o bot.wasm

/// play(state: round-state) -> hand, flattened by the canonical ABI; hands are 0 rock, 1 paper,
/// 2 scissors, and an option<hand> is (is-some, hand).
#[no_mangle]
pub extern "C" fn play(
    _round: u32,
    _total_rounds: u32,
    _my_last_some: u32,
    _my_last: u32,
    their_last_some: u32,
    their_last: u32,
) -> u32 {
    if their_last_some != 0 {
        (their_last + 1) % 3
    } else {
        1
    }
}
