// A bot written for Snippy, as its Rust samples are: a wasm32-wasip1 command that reads the one
// JSON line Snippy sends ({"botname","opponent","round","history"}, history = its OWN earlier
// hands) and prints its move. No crates (none can be downloaded here), so it scans the JSON.
//
// It checks the protocol as it goes and plays an invalid move if anything is off, so a host
// that feeds it differently from Snippy makes it fault: "round" must equal the history's
// length, and both names must be there. Strategy: the hand after its own previous one.
use std::io::Read;

fn field<'a>(json: &'a str, key: &str) -> Option<&'a str> {
    let marker = format!("\"{}\":", key);
    let start = json.find(&marker)? + marker.len();
    Some(&json[start..])
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let line = input.trim_end_matches('\n');
    let ok_names = field(line, "botname").map_or(false, |v| v.starts_with('"'))
        && field(line, "opponent").map_or(false, |v| v.starts_with('"'));
    let round: usize = field(line, "round")
        .map(|v| v.chars().take_while(|c| c.is_ascii_digit()).collect::<String>())
        .and_then(|d| d.parse().ok())
        .unwrap_or(usize::MAX);
    let history: Vec<&str> = field(line, "history")
        .and_then(|v| v.strip_prefix('['))
        .map(|v| &v[..v.find(']').unwrap_or(0)])
        .map(|list| list.split(',').filter(|h| !h.is_empty()).map(|h| h.trim_matches('"')).collect())
        .unwrap_or_default();
    if !ok_names || round != history.len() {
        println!("Protocol-mismatch");
        return;
    }
    let next = match history.last() {
        None => "Rock",
        Some(&"Rock") => "Paper",
        Some(&"Paper") => "Scissors",
        Some(_) => "Rock",
    };
    println!("{}", next);
}
