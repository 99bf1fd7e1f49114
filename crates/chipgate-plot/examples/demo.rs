//! Renders the catalog threshold map and the H20-to-China timeline to /tmp
//! (SVG and PNG) so a person can look at them.

#[path = "../tests/common/fixtures.rs"]
mod fixtures;

use chipgate_plot::{render_map, render_timeline, Format};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let map = fixtures::catalog_map();
    let today = chrono::Utc::now().date_naive();
    let tl = fixtures::h20_timeline(today);
    for (name, fmt) in [("svg", Format::Svg), ("png", Format::Png)] {
        let p = format!("/tmp/chipgate-map.{name}");
        std::fs::write(&p, render_map(&map, fmt)?)?;
        println!("wrote {p}");
        let p = format!("/tmp/chipgate-timeline.{name}");
        std::fs::write(&p, render_timeline(&tl, fmt)?)?;
        println!("wrote {p}");
    }
    Ok(())
}
