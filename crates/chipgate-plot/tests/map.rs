//! Threshold-map tests: output formats, region of known chips, label layout.

#![expect(
    clippy::expect_used,
    clippy::panic,
    clippy::approx_constant,
    reason = "tests fail by panicking; chip figures only look like mathematical constants"
)]

#[path = "common/fixtures.rs"]
mod fixtures;

use chipgate_plot::{
    map_coordinates, render_map, render_map_with, ChipPoint, Format, MapInput, PlacedPoint,
    Placement, Rect, RenderOptions,
};

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(bytes);
    let reader = decoder.read_info().expect("PNG header decodes");
    let info = reader.info();
    (info.width, info.height)
}

fn find<'a>(pts: &'a [PlacedPoint], chip: &str) -> &'a PlacedPoint {
    pts.iter()
        .find(|p| p.chips.iter().any(|c| c == chip))
        .unwrap_or_else(|| panic!("{chip} not placed"))
}

fn chip(label: &str, tpp: f64, pd: Option<f64>) -> ChipPoint {
    ChipPoint {
        label: label.into(),
        tpp,
        pd,
        category: "NLR".into(),
    }
}

#[test]
fn svg_parses_and_names_a_generic_font() {
    let bytes = render_map(&fixtures::catalog_map(), Format::Svg).expect("renders");
    let text = String::from_utf8(bytes).expect("utf-8");
    let doc = roxmltree::Document::parse(&text).expect("SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("1200"));
    assert_eq!(root.attribute("height"), Some("800"));
    assert!(root
        .attribute("font-family")
        .unwrap_or("")
        .ends_with("sans-serif"));
    // Threshold values found by bisection are printed on the plot edges.
    for t in ["1,600", "2,400", "4,800", "5.92", "3.2", "1.6"] {
        assert!(
            doc.descendants().any(|n| n.text() == Some(t)),
            "threshold {t} not printed"
        );
    }
    // Every chip name appears in some label line.
    let all_text: String = doc
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    for name in ["H20 (HGX)", "A30", "Instinct MI300X", "M4 (base SoC)"] {
        assert!(all_text.contains(name), "{name} missing");
    }
    assert!(text.len() < 200_000, "SVG too large: {} bytes", text.len());
}

#[test]
fn png_decodes_with_requested_dimensions() {
    let map = fixtures::catalog_map();
    let bytes = render_map(&map, Format::Png).expect("renders");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(png_size(&bytes), (1200, 800));
    let opts = RenderOptions {
        width: 900,
        height: 700,
        scale: 1.5,
    };
    let bytes = render_map_with(&map, Format::Png, &opts).expect("renders");
    assert_eq!(png_size(&bytes), (1350, 1050));
}

#[test]
fn known_chips_land_in_the_right_region() {
    let input = MapInput {
        points: vec![
            chip("H20", 2368.0, Some(2.91)),
            chip("A30", 2640.0, Some(3.196)),
            chip("H100", 15832.0, Some(19.45)),
            chip("L4", 1940.0, Some(6.59)),
            chip("A10", 2000.0, Some(3.18)),
            chip("L20", 1914.0, Some(3.14)),
            chip("RTX 3090", 2272.0, Some(3.62)),
            chip("A100", 4992.0, Some(6.04)),
            chip("RTX 3060", 816.0, Some(2.96)),
        ],
        unknown_area: vec![],
        ..fixtures::catalog_map()
    };
    let pts = map_coordinates(&input, 1200, 800);
    let region = |c: &str| find(&pts, c).region.clone().unwrap_or_default();
    assert_eq!(region("H20"), "none");
    assert_eq!(region("A30"), "3A090.b");
    assert_eq!(region("H100"), "3A090.a");
    assert_eq!(region("L4"), "3A090.a");
    assert_eq!(region("A10"), "none");
    assert_eq!(region("L20"), "none");
    assert_eq!(region("RTX 3090"), "3A090.b");
    assert_eq!(region("A100"), "3A090.a");
    assert_eq!(region("RTX 3060"), "none");
    // Screen geometry is monotone in the data: more TPP → further right, more PD → higher.
    let (h20, a30, h100) = (find(&pts, "H20"), find(&pts, "A30"), find(&pts, "H100"));
    assert!(h20.x < a30.x && a30.x < h100.x);
    assert!(h20.y > a30.y && a30.y > h100.y);
}

#[test]
fn catalog_regions_match_the_classifier_everywhere() {
    let map = fixtures::catalog_map();
    let pts = map_coordinates(&map, 1200, 800);
    for p in pts.iter().filter(|p| p.placement == Placement::Plot) {
        let pd = p.pd.expect("plane points have PD");
        assert_eq!(
            p.region.as_deref(),
            Some(fixtures::classify_2023(p.tpp, pd).as_str()),
            "{:?}",
            p.chips
        );
    }
}

#[test]
fn identical_points_are_merged_into_one_marker() {
    let pts = map_coordinates(&fixtures::catalog_map(), 1200, 800);
    let h100 = find(&pts, "H100 SXM5 80GB");
    for other in [
        "H800 SXM5",
        "H200 SXM",
        "GH200 (Hopper GPU of Grace Hopper)",
    ] {
        assert!(
            h100.chips.iter().any(|c| c == other),
            "{other} not merged: {:?}",
            h100.chips
        );
    }
    assert_eq!(
        pts.iter()
            .filter(|p| p.chips.iter().any(|c| c.starts_with("H200")))
            .count(),
        1
    );
    assert!(h100.label_lines.join(" ").contains("GH200"));
}

fn assert_clean_layout(pts: &[PlacedPoint]) {
    let drawn: Vec<&PlacedPoint> = pts
        .iter()
        .filter(|p| p.placement != Placement::Omitted)
        .collect();
    let boxes: Vec<(usize, Rect)> = drawn
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.label_box.map(|b| (i, b)))
        .collect();
    for (n, (i, a)) in boxes.iter().enumerate() {
        for (j, b) in boxes.iter().skip(n + 1) {
            assert!(
                !a.overlaps(b),
                "labels overlap: {:?} / {:?}",
                drawn[*i].chips,
                drawn[*j].chips
            );
        }
        // No label covers a marker.
        for (k, p) in drawn.iter().enumerate() {
            let m = Rect {
                x: p.x - 5.0,
                y: p.y - 5.0,
                w: 10.0,
                h: 10.0,
            };
            assert!(
                !a.overlaps(&m),
                "label of {:?} covers marker of {:?} ({k})",
                drawn[*i].chips,
                p.chips
            );
        }
    }
    // No leader passes through another label.
    for (i, p) in drawn.iter().enumerate() {
        if let Some((s, e)) = p.leader {
            for (j, b) in &boxes {
                if *j != i {
                    assert!(
                        !segment_hits(s, e, b),
                        "leader of {:?} crosses label of {:?}",
                        p.chips,
                        drawn[*j].chips
                    );
                }
            }
        }
    }
}

fn segment_hits(p: (f64, f64), q: (f64, f64), r: &Rect) -> bool {
    // Sample the segment densely; good enough for a test oracle.
    (1..200).any(|k| {
        let t = f64::from(k) / 200.0;
        let (x, y) = (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t);
        x > r.x + 0.5 && x < r.x + r.w - 0.5 && y > r.y + 0.5 && y < r.y + r.h - 0.5
    })
}

#[test]
fn catalog_labels_do_not_overlap_and_all_fit() {
    let map = fixtures::catalog_map();
    for (w, h) in [(1200, 800), (1600, 1000)] {
        let pts = map_coordinates(&map, w, h);
        assert_clean_layout(&pts);
        let missing: Vec<_> = pts
            .iter()
            .filter(|p| p.label_box.is_none())
            .map(|p| p.chips.clone())
            .collect();
        assert!(missing.is_empty(), "{w}×{h}: labels left out: {missing:?}");
        assert!(pts.iter().all(|p| p.placement != Placement::Omitted));
    }
}

#[test]
fn labels_stay_inside_their_area() {
    let pts = map_coordinates(&fixtures::catalog_map(), 1200, 800);
    let plot_bottom = pts
        .iter()
        .filter(|p| p.placement == Placement::Plot)
        .map(|p| p.y)
        .fold(f64::MIN, f64::max);
    let strip_top = pts
        .iter()
        .filter(|p| p.placement == Placement::UnknownAreaStrip)
        .filter_map(|p| p.label_box)
        .map(|b| b.y)
        .fold(f64::MAX, f64::min);
    for p in &pts {
        if let Some(b) = p.label_box {
            assert!(
                b.x >= 0.0 && b.y >= 0.0 && b.x + b.w <= 1200.0 && b.y + b.h <= 800.0,
                "{:?} off canvas",
                p.chips
            );
        }
    }
    assert!(
        strip_top > plot_bottom,
        "strip labels must lie below the plane"
    );
}

#[test]
fn unknown_area_chips_go_to_the_strip_in_tpp_order() {
    let map = fixtures::catalog_map();
    let pts = map_coordinates(&map, 1200, 800);
    let strip: Vec<&PlacedPoint> = pts
        .iter()
        .filter(|p| p.placement == Placement::UnknownAreaStrip)
        .collect();
    let expected: usize = map.unknown_area.len() - 1; // Ascend 950PR and 950DT share a TPP and merge
    assert_eq!(strip.len(), expected);
    for p in &strip {
        assert!(p.pd.is_none() && p.region.is_none());
    }
    let plane_max_y = pts
        .iter()
        .filter(|p| p.placement == Placement::Plot)
        .map(|p| p.y)
        .fold(f64::MIN, f64::max);
    let y0 = strip[0].y;
    assert!(strip
        .iter()
        .all(|p| (p.y - y0).abs() < 1e-9 && p.y > plane_max_y + 40.0));
    let b200 = find(&pts, "B200");
    let l2 = find(&pts, "L2");
    assert_eq!(b200.placement, Placement::UnknownAreaStrip);
    assert!(l2.x < b200.x);
    // A plane point and a strip point with the same TPP share x.
    let input = MapInput {
        points: vec![
            chip("known", 5000.0, Some(8.0)),
            chip("pd unknown in points", 5000.0, None),
        ],
        unknown_area: vec![chip("area unknown", 5000.0, Some(1.0))],
        ..fixtures::catalog_map()
    };
    let pts = map_coordinates(&input, 1200, 800);
    assert_eq!(find(&pts, "known").placement, Placement::Plot);
    assert_eq!(
        find(&pts, "pd unknown in points").placement,
        Placement::UnknownAreaStrip
    );
    assert_eq!(
        find(&pts, "area unknown").placement,
        Placement::UnknownAreaStrip
    );
    let x = find(&pts, "known").x;
    assert!(pts
        .iter()
        .filter(|p| p.placement != Placement::Omitted)
        .all(|p| (p.x - x).abs() < 12.0));
}

/// Deterministic pseudo-random numbers for synthetic clusters.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn synthetic_dense_clusters_never_overlap() {
    for seed in 1..4u64 {
        let mut r = Lcg(seed);
        let mut points: Vec<ChipPoint> = fixtures::catalog_map().points;
        for i in 0..25 {
            let tpp = 2000.0 * 10f64.powf(r.next()); // 2,000–20,000
            let pd = 2.0 + 18.0 * r.next();
            points.push(ChipPoint {
                label: format!("Synthetic chip {i}"),
                tpp,
                pd: Some(pd),
                category: "NLR".into(),
            });
        }
        let input = MapInput {
            points,
            ..fixtures::catalog_map()
        };
        let pts = map_coordinates(&input, 1200, 800);
        assert_clean_layout(&pts);
        let placed = pts.iter().filter(|p| p.label_box.is_some()).count();
        assert!(
            placed * 10 >= pts.len() * 9,
            "seed {seed}: only {placed}/{} labels placed",
            pts.len()
        );
    }
}

#[test]
fn png_text_is_drawn_with_the_embedded_font() {
    // The title area must contain dark pixels: the text was shaped with the
    // embedded DejaVu Sans (no system fonts are loaded).
    let bytes = render_map(&fixtures::catalog_map(), Format::Png).expect("renders");
    let mut reader = png::Decoder::new(&bytes[..]).read_info().expect("decodes");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("frame");
    let channels = info.color_type.samples();
    let dark_in = |x0: usize, x1: usize, y0: usize, y1: usize| {
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y * info.width as usize + x) * channels;
                if buf[i] < 100 && buf[i + 1] < 100 && buf[i + 2] < 100 {
                    n += 1;
                }
            }
        }
        n
    };
    assert!(dark_in(16, 600, 10, 34) > 500, "title text missing");
    // The top-left corner is plain white background.
    assert_eq!(dark_in(0, 10, 0, 8), 0);
}
