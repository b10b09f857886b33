//! Prints the report of a spec file:
//! `cargo run -p supervisor-planner --example plan -- SPEC.json [--json | --svg FILE]`.
use supervisor_planner::{render, Supervisor};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: plan SPEC.json [--json | --svg FILE]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2);
    });
    match Supervisor::from_json(&text) {
        Ok(sup) if args.iter().any(|a| a == "--svg") => {
            let out = args
                .iter()
                .skip_while(|a| *a != "--svg")
                .nth(1)
                .expect("--svg FILE");
            std::fs::write(out, render::svg(&sup.report())).expect("write the SVG");
        }
        Ok(sup) if args.iter().any(|a| a == "--json") => {
            println!("{}", sup.report().to_json_pretty())
        }
        Ok(sup) => print!("{}", render::summary(&sup.report())),
        Err(e) => {
            for issue in e.issues() {
                eprintln!("error: {issue}");
            }
            if e.issues().is_empty() {
                eprintln!("error: {e}");
            }
            std::process::exit(2);
        }
    }
}
