//! Malformed and extreme inputs: errors or notes, never panics.

#![expect(clippy::expect_used, reason = "tests fail by `expect`")]

#[path = "common/fixtures.rs"]
mod fixtures;

use chipgate_plot::{
    map_coordinates, render_map, render_map_with, render_timeline, AxisScale, ChipPoint, Format,
    MapInput, Placement, PlotError, RenderOptions,
};
use fixtures::d;

fn chip(label: &str, tpp: f64, pd: Option<f64>) -> ChipPoint {
    ChipPoint {
        label: label.into(),
        tpp,
        pd,
        category: "WHATEVER".into(),
    }
}

fn empty_map() -> MapInput {
    MapInput {
        points: vec![],
        unknown_area: vec![],
        notes: vec![],
        subtitle: None,
        ..fixtures::catalog_map()
    }
}

fn svg_ok(input: &MapInput) -> String {
    let text = String::from_utf8(render_map(input, Format::Svg).expect("renders")).expect("utf-8");
    roxmltree::Document::parse(&text).expect("well-formed");
    text
}

#[test]
fn empty_map_renders_in_both_formats() {
    let input = empty_map();
    svg_ok(&input);
    assert!(render_map(&input, Format::Png).is_ok());
    assert!(map_coordinates(&input, 1200, 800).is_empty());
}

#[test]
fn bad_values_are_omitted_with_a_note() {
    let input = MapInput {
        points: vec![
            chip("nan tpp", f64::NAN, Some(3.0)),
            chip("negative tpp", -5.0, Some(3.0)),
            chip("zero tpp", 0.0, Some(3.0)),
            chip("inf tpp", f64::INFINITY, Some(3.0)),
            chip("too big", 1e9, Some(3.0)),
            chip("negative pd", 3000.0, Some(-1.0)),
            chip("pd above range", 3000.0, Some(99.0)),
            chip("nan pd", 3000.0, Some(f64::NAN)),
            chip("fine <&> \"quoted\"", 3000.0, Some(3.0)),
        ],
        unknown_area: vec![chip("strip nan", f64::NAN, None)],
        ..empty_map()
    };
    let pts = map_coordinates(&input, 1200, 800);
    let placement = |n: &str| {
        pts.iter()
            .find(|p| p.chips.iter().any(|c| c == n))
            .map(|p| p.placement)
    };
    for n in [
        "nan tpp",
        "negative tpp",
        "zero tpp",
        "inf tpp",
        "too big",
        "negative pd",
        "pd above range",
        "strip nan",
    ] {
        assert_eq!(placement(n), Some(Placement::Omitted), "{n}");
    }
    assert_eq!(placement("nan pd"), Some(Placement::UnknownAreaStrip));
    assert_eq!(placement("fine <&> \"quoted\""), Some(Placement::Plot));
    let svg = svg_ok(&input);
    assert!(svg.contains("Not drawn:"));
    assert!(svg.contains("fine &lt;&amp;&gt; &quot;quoted&quot;"));
    assert!(render_map(&input, Format::Png).is_ok());
}

#[test]
fn unusable_ranges_and_sizes_are_errors() {
    let cases: Vec<MapInput> = vec![
        MapInput {
            tpp_range: (0.0, 100_000.0),
            ..empty_map()
        },
        MapInput {
            tpp_range: (-10.0, 100.0),
            ..empty_map()
        },
        MapInput {
            tpp_range: (f64::NAN, 100.0),
            ..empty_map()
        },
        MapInput {
            tpp_range: (5000.0, 300.0),
            ..empty_map()
        },
        MapInput {
            pd_range: (5.0, 5.0),
            ..empty_map()
        },
        MapInput {
            pd_range: (0.0, f64::INFINITY),
            ..empty_map()
        },
        MapInput {
            pd_range: (0.0, 25.0),
            pd_scale: AxisScale::Log,
            ..empty_map()
        },
    ];
    for c in &cases {
        assert!(
            matches!(render_map(c, Format::Svg), Err(PlotError::InvalidRange(_))),
            "{:?}",
            c.tpp_range
        );
        assert!(matches!(
            render_map(c, Format::Png),
            Err(PlotError::InvalidRange(_))
        ));
    }
    let input = MapInput {
        points: vec![chip("x", 3000.0, Some(3.0))],
        ..empty_map()
    };
    for opts in [
        RenderOptions {
            width: 10,
            height: 10,
            scale: 1.0,
        },
        RenderOptions {
            width: 0,
            height: 800,
            scale: 1.0,
        },
        RenderOptions {
            width: 1200,
            height: 800,
            scale: 0.0,
        },
        RenderOptions {
            width: 1200,
            height: 800,
            scale: f32::NAN,
        },
    ] {
        assert!(
            matches!(
                render_map_with(&input, Format::Png, &opts),
                Err(PlotError::InvalidSize(_))
            ),
            "{opts:?}"
        );
    }
    let pts = map_coordinates(&input, 5, 5);
    assert_eq!(pts.len(), 1);
    assert_eq!(pts[0].placement, Placement::Omitted);
    assert!(pts[0].note.is_some());
}

#[test]
fn log_y_axis_and_odd_classifiers_render() {
    let input = MapInput {
        pd_range: (0.5, 50.0),
        pd_scale: AxisScale::Log,
        points: vec![chip("a", 3000.0, Some(3.0)), chip("b", 3000.0, Some(0.1))],
        classify: Box::new(|t, p| {
            if t.is_nan() || p.is_nan() {
                "nan".into()
            } else {
                format!("k{}", (t.log10() * 3.0 + p) as i64 % 7)
            }
        }),
        ..empty_map()
    };
    let svg = svg_ok(&input);
    assert!(svg.contains("k"), "unknown region keys get a legend entry");
    let pts = map_coordinates(&input, 1200, 800);
    assert_eq!(
        pts.iter()
            .filter(|p| p.placement == Placement::Omitted)
            .count(),
        1
    );
    // A classifier that returns "" everywhere leaves the plane unshaded.
    let blank = MapInput {
        classify: Box::new(|_, _| String::new()),
        ..empty_map()
    };
    svg_ok(&blank);
}

#[test]
fn many_points_at_one_spot_and_hundreds_of_points() {
    let mut points: Vec<ChipPoint> = (0..40)
        .map(|i| chip(&format!("Same spot {i}"), 5000.0, Some(10.0)))
        .collect();
    points.extend((0..160).map(|i| {
        chip(
            &format!("P{i}"),
            400.0 * 1.012f64.powi(i),
            Some(0.08 * f64::from(i)),
        )
    }));
    let input = MapInput {
        points,
        ..empty_map()
    };
    let pts = map_coordinates(&input, 1200, 800);
    let boxes: Vec<_> = pts.iter().filter_map(|p| p.label_box).collect();
    for (i, a) in boxes.iter().enumerate() {
        for b in boxes.iter().skip(i + 1) {
            assert!(!a.overlaps(b));
        }
    }
    let svg = svg_ok(&input);
    assert!(svg.contains("Labels left out for lack of room"));
}

#[test]
fn timeline_errors() {
    let mut t = fixtures::h20_timeline(d(2026, 11, 28));
    t.lanes.clear();
    assert!(matches!(
        render_timeline(&t, Format::Svg),
        Err(PlotError::EmptyInput(_))
    ));
    let mut t = fixtures::h20_timeline(d(2026, 11, 28));
    t.end = t.start;
    assert!(matches!(
        render_timeline(&t, Format::Png),
        Err(PlotError::InvalidRange(_))
    ));
    let mut t = fixtures::h20_timeline(d(2026, 11, 28));
    t.events.clear();
    t.categories.clear();
    t.notes.clear();
    t.title = String::new();
    assert!(render_timeline(&t, Format::Png).is_ok());
    // A one-day window and a 60-year window both render.
    let mut t = fixtures::h20_timeline(d(2026, 11, 28));
    t.start = d(2025, 4, 9);
    t.end = d(2025, 4, 10);
    assert!(render_timeline(&t, Format::Svg).is_ok());
    t.start = d(1990, 1, 1);
    t.end = d(2050, 1, 1);
    assert!(render_timeline(&t, Format::Svg).is_ok());
}

#[test]
fn thousands_of_points_finish_quickly() {
    let points: Vec<ChipPoint> = (0..800)
        .map(|i| {
            chip(
                &format!("C{i}"),
                300.0 + f64::from(i) * 110.0,
                Some(f64::from(i % 250) * 0.1),
            )
        })
        .collect();
    let unknown: Vec<ChipPoint> = (0..400)
        .map(|i| chip(&format!("U{i}"), 300.0 + f64::from(i) * 220.0, None))
        .collect();
    let input = MapInput {
        points,
        unknown_area: unknown,
        ..empty_map()
    };
    let start = std::time::Instant::now();
    let svg = svg_ok(&input);
    assert!(svg.contains("and "), "long lists are abbreviated");
    assert!(
        start.elapsed().as_secs() < 120,
        "took {:?}",
        start.elapsed()
    );
    let huge = RenderOptions {
        width: 6000,
        height: 6000,
        scale: 8.0,
    };
    assert!(matches!(
        render_map_with(&empty_map(), Format::Png, &huge),
        Err(PlotError::InvalidSize(_))
    ));
}
