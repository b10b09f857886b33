//! `cargo run -p supervisor-planner --example size -- SPEC.json [none|host|zone]`: sizes a spec.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("read the spec");
    let survive = supervisor_planner::sizing::Survive::parse(args.get(2).map_or("none", |s| s))
        .expect("survive");
    let t = std::time::Instant::now();
    match supervisor_planner::sizing::size_json(&text, survive) {
        Ok(s) => {
            for z in &s.zones {
                println!(
                    "{} {} {}/{} {:?} lb {}",
                    z.zone, z.cluster, z.hosts, z.available, z.binding, z.lower_bound
                );
            }
            println!(
                "total {} of {}, {} checks, {:?}",
                s.total_hosts,
                s.available_hosts,
                s.checks,
                t.elapsed()
            );
        }
        Err(e) => println!("error: {e}"),
    }
}
