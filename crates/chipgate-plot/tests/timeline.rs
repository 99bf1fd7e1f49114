//! Timeline tests: output formats and structure.

#![expect(clippy::expect_used, reason = "tests fail by `expect`")]

#[path = "common/fixtures.rs"]
mod fixtures;

use chipgate_plot::{render_timeline, render_timeline_with, Format, Lane, RenderOptions, Segment};
use fixtures::d;

fn parse(bytes: Vec<u8>) -> String {
    let text = String::from_utf8(bytes).expect("utf-8");
    roxmltree::Document::parse(&text).expect("well-formed SVG");
    text
}

#[test]
fn h20_timeline_svg_has_bands_events_and_legend() {
    let input = fixtures::h20_timeline(d(2026, 11, 28));
    let svg = parse(render_timeline(&input, Format::Svg).expect("renders"));
    let doc = roxmltree::Document::parse(&svg).expect("parses");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    let all = texts.join("|");
    for e in [
        "2025-04-09  H20 is-informed letter",
        "2025-05-13  Diffusion rule rescinded; guidance",
        "2025-07-14  Licences promised",
        "2025-08-08  First H20 licences reported",
    ] {
        assert!(texts.contains(&e), "event label {e:?} missing in {all}");
    }
    for t in [
        "2024",
        "2025",
        "2026",
        "Q2",
        "H20 → CN",
        "No licence required (NLR)",
        "Licence required",
        "Letter to a company",
    ] {
        assert!(texts.contains(&t), "{t:?} missing");
    }
    // The short presumption-of-denial period cannot hold its label; it gets a call-out.
    assert!(texts.contains(&"Licence required (presumption of denial)"));
    // Band colours of both decisions are used.
    assert!(svg.contains("#2e7d32") && svg.contains("#c62828"));
}

#[test]
fn png_decodes_with_canvas_width() {
    let input = fixtures::h20_timeline(d(2026, 11, 28));
    let bytes = render_timeline(&input, Format::Png).expect("renders");
    let reader = png::Decoder::new(&bytes[..])
        .read_info()
        .expect("PNG decodes");
    assert_eq!(reader.info().width, 1200);
    assert!(reader.info().height >= 200);
    let opts = RenderOptions {
        width: 1000,
        height: 300,
        scale: 2.0,
    };
    let bytes = render_timeline_with(&input, Format::Png, &opts).expect("renders");
    let reader = png::Decoder::new(&bytes[..])
        .read_info()
        .expect("PNG decodes");
    assert_eq!(reader.info().width, 2000);
    assert!(reader.info().height >= 600);
}

#[test]
fn several_lanes_and_clipped_segments() {
    let mut input = fixtures::h20_timeline(d(2026, 11, 28));
    input.lanes.push(Lane {
        label: "H20 → CN, buyer headquartered in the US".into(),
        segments: vec![
            Segment {
                start: d(2020, 1, 1),
                end: d(2030, 1, 1),
                category: "NLR".into(),
                label: "NLR".into(),
            },
            Segment {
                start: d(2025, 1, 1),
                end: d(2024, 1, 1),
                category: "NLR".into(),
                label: "reversed: ignored".into(),
            },
        ],
    });
    input.events.push(chipgate_plot::EventMark {
        date: d(2019, 1, 1),
        label: "before window".into(),
        kind: chipgate_plot::EventKind::Rule,
    });
    let svg = parse(render_timeline(&input, Format::Svg).expect("renders"));
    assert!(svg.contains("buyer headquartered"));
    assert!(!svg.contains("reversed: ignored"));
    assert!(svg.contains("Events outside the window, not drawn: 2019-01-01 before window."));
}
