// A command bot in Rust (WASI preview1, Snippy compatible): plays what beats the opponent's most
// frequent hand so far, paper on the first move (ties go to rock, then paper).
//
// A command bot runs in a fresh instance for every move: it reads one JSON line on stdin,
//   {"botname":"me","opponent":"you","round":2,"history":["Rock","Paper"],
//    "my_moves":["Rock","Paper"],"opponent_moves":["Scissors","Rock"],"total_rounds":1000}
// and prints its move as the last line of stdout. No crates are needed: the shape is fixed, so
// the bot finds the array it wants instead of parsing all the JSON (serde works too, if you can
// download crates).
//
// Build: rustc --target wasm32-wasip1 --edition 2021 -O -C strip=debuginfo -o bot.wasm bot.rs
//        (wasm32-wasi on Rust before 1.78)
use std::io::Read;

const NAMES: [&str; 3] = ["Rock", "Paper", "Scissors"];

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");

    let mut counts = [0u32; 3];
    let key = "\"opponent_moves\":[";
    if let Some(start) = input.find(key) {
        let rest = &input[start + key.len()..];
        let list = &rest[..rest.find(']').unwrap_or(rest.len())];
        for hand in list.split(',') {
            match hand.trim().trim_matches('"') {
                "Rock" => counts[0] += 1,
                "Paper" => counts[1] += 1,
                "Scissors" => counts[2] += 1,
                _ => {} // "" (no rounds yet) or "Invalid"
            }
        }
    }
    let mut top = 0;
    if counts[1] > counts[top] {
        top = 1;
    }
    if counts[2] > counts[top] {
        top = 2;
    }
    // Anything printed before the last line is ignored; stderr is kept for your /bot log.
    eprintln!("seen {:?} (rock, paper, scissors)", counts);
    println!("{}", NAMES[(top + 1) % 3]);
}
