//! The two evaluators agree: `expr::eval` (with evidence) and `expr::eval_tri` (fast, no
//! evidence) promise the same three-valued semantics. Random well-typed conditions over the real
//! fact vocabulary, evaluated against random facts (numbers, unknowns, sets with members pending
//! review, overrides), must give the same `Tri` from both.

#![expect(clippy::panic, reason = "tests fail by panicking")]

mod common;

use chipgate_core::countries::Countries;
use chipgate_core::expr::{eval, eval_tri, ArithOp, CmpOp, EvalCtx, Kind, Node, Tri};
use chipgate_core::facts::{FactId, Facts, SetFact, Ty, Value, FACTS};
use chipgate_core::metrics::Metrics;
use chrono::NaiveDate;
use proptest::prelude::*;
use std::sync::OnceLock;

fn countries() -> &'static Countries {
    static C: OnceLock<Countries> = OnceLock::new();
    C.get_or_init(|| {
        let f = common::files();
        Countries::load(
            &f.countries.name,
            &f.countries.text,
            &f.country_groups.name,
            &f.country_groups.text,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn node(kind: Kind) -> Node {
    Node { kind, span: (0, 0) }
}

fn facts_of(ty: Ty) -> Vec<FactId> {
    FACTS.iter().filter(|m| m.ty == ty).map(|m| m.id).collect()
}

/// Strings that facts, lists and sets share, so membership and equality sometimes hold.
const WORDS: &[&str] = &[
    "CN",
    "MO",
    "AE",
    "DE",
    "US",
    "osat",
    "designer",
    "3A090.a",
    "4A090.a",
    "entity_list",
    "sdn",
    "military",
];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS).prop_map(str::to_string)
}

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(word(), 0..4)
}

fn num_node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        prop::sample::select(vec![0.0, 1.0, 2.5, 30.0, 1600.0, 2027.0, -3.0])
            .prop_map(|v| node(Kind::Num(v))),
        prop::sample::select(facts_of(Ty::Num)).prop_map(|f| node(Kind::Fact(f))),
    ];
    leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| node(Kind::Neg(Box::new(a)))),
            (
                prop::sample::select(vec![ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div]),
                inner.clone(),
                inner
            )
                .prop_map(|(op, a, b)| node(Kind::Arith(op, Box::new(a), Box::new(b)))),
        ]
    })
}

fn str_node() -> impl Strategy<Value = Node> {
    prop_oneof![
        word().prop_map(|w| node(Kind::Str(w))),
        prop::sample::select(facts_of(Ty::Str)).prop_map(|f| node(Kind::Fact(f))),
    ]
}

fn bool_leaf() -> impl Strategy<Value = Node> {
    prop_oneof![
        any::<bool>().prop_map(|b| node(Kind::Bool(b))),
        prop::sample::select(facts_of(Ty::Bool)).prop_map(|f| node(Kind::Fact(f))),
    ]
}

fn set_node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        words().prop_map(|w| node(Kind::List(w))),
        prop::sample::select(vec!["D:1", "D:4", "D:5", "A:5", "E:1"])
            .prop_map(|g| node(Kind::Group(g.to_string()))),
        prop::sample::select(facts_of(Ty::Set)).prop_map(|f| node(Kind::Fact(f))),
        words().prop_map(|w| node(Kind::NamedSet {
            name: "named".into(),
            label: "a named set".into(),
            body: Box::new(node(Kind::List(w))),
        })),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        (
            prop::sample::select(vec![ArithOp::Add, ArithOp::Sub]),
            inner.clone(),
            inner,
        )
            .prop_map(|(op, a, b)| node(Kind::Arith(op, Box::new(a), Box::new(b))))
    })
}

fn order_op() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Eq,
        CmpOp::Ne,
    ])
}

fn eq_op() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![CmpOp::Eq, CmpOp::Ne])
}

/// Boolean conditions as the type checker admits them.
fn condition() -> impl Strategy<Value = Node> {
    let atom = prop_oneof![
        bool_leaf(),
        prop::sample::select(vec!["fired", "cleared", "open"])
            .prop_map(|id| node(Kind::Applies(id.to_string()))),
        (order_op(), num_node(), num_node()).prop_map(|(op, a, b)| node(Kind::Cmp(
            op,
            Box::new(a),
            Box::new(b)
        ))),
        (eq_op(), str_node(), str_node()).prop_map(|(op, a, b)| node(Kind::Cmp(
            op,
            Box::new(a),
            Box::new(b)
        ))),
        (eq_op(), bool_leaf(), bool_leaf()).prop_map(|(op, a, b)| node(Kind::Cmp(
            op,
            Box::new(a),
            Box::new(b)
        ))),
        (any::<bool>(), str_node(), set_node()).prop_map(|(negated, item, set)| node(Kind::In {
            negated,
            item: Box::new(item),
            set: Box::new(set),
        })),
        (
            any::<bool>(),
            prop::sample::select(facts_of(Ty::Set)),
            set_node()
        )
            .prop_map(|(negated, f, set)| node(Kind::In {
                negated,
                item: Box::new(node(Kind::Fact(f))),
                set: Box::new(set),
            })),
    ];
    atom.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| node(Kind::Not(Box::new(a)))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| node(Kind::And(v))),
            prop::collection::vec(inner, 1..4).prop_map(|v| node(Kind::Or(v))),
        ]
    })
}

fn maybe_num() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(prop::sample::select(vec![
        0.0,
        1.0,
        2.5,
        30.0,
        1600.0,
        4800.0,
        2027.0,
        f64::NAN,
        f64::INFINITY,
    ]))
}

fn set_fact() -> impl Strategy<Value = SetFact> {
    (words(), words()).prop_map(|(definite, possible)| SetFact { definite, possible })
}

fn maybe_word() -> impl Strategy<Value = Option<String>> {
    prop::option::of(word())
}

/// A value of the fact's own type, or unknown (what-if sweeps override facts this way).
fn value_for(f: FactId) -> BoxedStrategy<Value> {
    match f.meta().ty {
        Ty::Num => maybe_num()
            .prop_map(|n| n.map(Value::Num).unwrap_or(Value::Unknown))
            .boxed(),
        Ty::Bool => prop::option::of(any::<bool>())
            .prop_map(|b| b.map(Value::Bool).unwrap_or(Value::Unknown))
            .boxed(),
        Ty::Str => maybe_word()
            .prop_map(|w| w.map(Value::Str).unwrap_or(Value::Unknown))
            .boxed(),
        Ty::Set => prop::option::of(set_fact())
            .prop_map(|s| s.map(Value::Set).unwrap_or(Value::Unknown))
            .boxed(),
    }
}

fn override_() -> impl Strategy<Value = (FactId, Value)> {
    prop::sample::select(FACTS.iter().map(|m| m.id).collect::<Vec<_>>())
        .prop_flat_map(|f| value_for(f).prop_map(move |v| (f, v)))
}

prop_compose! {
    fn metrics()(
        nums in prop::collection::vec(maybe_num(), 8),
        bools in prop::collection::vec(prop::option::of(any::<bool>()), 3),
        hbm_stack in any::<bool>(),
        count in prop::option::of(0u32..9),
        vendor_country in maybe_word(),
    ) -> Metrics {
        let n = |i: usize| nums.get(i).copied().flatten();
        let b = |i: usize| bools.get(i).copied().flatten();
        Metrics {
            tpp: n(0),
            pd: n(1),
            memory_bw_gbs: n(2),
            interconnect_bw_gbs: n(3),
            memory_gb: n(4),
            die_area_mm2: n(5),
            transistors_billion: n(6),
            hbm_bw_density: n(7),
            datacenter: b(0),
            has_hbm: b(1),
            hbm_stack,
            count,
            advanced_logic: b(2),
            vendor_country,
            ..Default::default()
        }
    }
}

fn hq() -> impl Strategy<Value = Option<Vec<String>>> {
    prop::option::of(words())
}

prop_compose! {
    fn facts()(
        metrics in metrics(),
        day in 0i64..3000,
        dated in any::<bool>(),
        quantity in maybe_num(),
        strings in prop::collection::vec(maybe_word(), 7),
        buyer_hq in hq(),
        end_user_hq in hq(),
        approved_designer in prop::option::of(any::<bool>()),
        sets in prop::collection::vec(set_fact(), 4),
        product in words(),
        overrides in prop::collection::vec(override_(), 0..3),
    ) -> Facts {
        let s = |i: usize| strings.get(i).cloned().flatten();
        let set = |i: usize| sets.get(i).cloned().unwrap_or_default();
        Facts {
            metrics,
            date: dated.then(|| NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default() + chrono::Duration::days(day)),
            quantity,
            destination: s(0),
            buyer_hq,
            end_user_hq,
            exporter: s(1),
            vendor: s(2),
            eccn: s(3),
            ic_eccn: s(4),
            exporter_role: s(5),
            ship_from: s(6),
            approved_designer,
            end_use: set(0),
            buyer_lists: set(1),
            end_user_lists: set(2),
            owner_lists: set(3),
            product,
            overrides,
        }
    }
}

/// The condition as rule-file text (for failure messages).
fn show(n: &Node) -> String {
    let sym = |op: ArithOp| match op {
        ArithOp::Add => "+",
        ArithOp::Sub => "-",
        ArithOp::Mul => "*",
        ArithOp::Div => "/",
    };
    let cmp = |op: CmpOp| match op {
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
    };
    let join = |v: &[Node], w: &str| v.iter().map(show).collect::<Vec<_>>().join(w);
    match &n.kind {
        Kind::Num(v) => v.to_string(),
        Kind::Str(s) => format!("{s:?}"),
        Kind::Bool(b) => b.to_string(),
        Kind::Ident(s) => s.clone(),
        Kind::Fact(f) => f.meta().name.to_string(),
        Kind::List(v) => format!("{v:?}"),
        Kind::Group(g) => format!("group({g:?})"),
        Kind::NamedSet { body, .. } => format!("named{}", show(body)),
        Kind::Applies(id) => format!("applies({id:?})"),
        Kind::Not(a) => format!("not ({})", show(a)),
        Kind::And(v) => format!("({})", join(v, " and ")),
        Kind::Or(v) => format!("({})", join(v, " or ")),
        Kind::Arith(op, a, b) => format!("({} {} {})", show(a), sym(*op), show(b)),
        Kind::Neg(a) => format!("-{}", show(a)),
        Kind::Cmp(op, a, b) => format!("{} {} {}", show(a), cmp(*op), show(b)),
        Kind::In { negated, item, set } => format!(
            "{} {}in {}",
            show(item),
            if *negated { "not " } else { "" },
            show(set)
        ),
    }
}

fn applied(id: &str) -> Tri {
    match id {
        "fired" => Tri::True,
        "cleared" => Tri::False,
        _ => Tri::Unknown,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn eval_and_eval_tri_agree(cond in condition(), facts in facts(), day in 0i64..3000) {
        let date = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default() + chrono::Duration::days(day);
        let cx = EvalCtx {
            facts: &facts,
            date,
            countries: countries(),
            applied: &applied,
        };
        let slow = eval(&cond, &cx);
        let fast = eval_tri(&cond, &cx);
        prop_assert_eq!(slow.value, fast, "condition {}\nevidence {:?}", show(&cond), slow.evidence);
    }
}

/// The disagreements the property test found, kept as plain cases.
#[test]
fn found_disagreements_stay_fixed() {
    let both = |cond: &Node, facts: &Facts| {
        let cx = EvalCtx {
            facts,
            date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
            countries: countries(),
            applied: &applied,
        };
        (eval(cond, &cx).value, eval_tri(cond, &cx))
    };
    // A quantity that is not a number is unknown to both.
    let cond = node(Kind::Cmp(
        CmpOp::Lt,
        Box::new(node(Kind::Num(0.0))),
        Box::new(node(Kind::Fact(FactId::Quantity))),
    ));
    let facts = Facts {
        quantity: Some(f64::NAN),
        ..Default::default()
    };
    assert_eq!(both(&cond, &facts), (Tri::Unknown, Tri::Unknown));
    // A known member tested against a set that reads an unknown fact: unknown, not false.
    let cond = node(Kind::In {
        negated: false,
        item: Box::new(node(Kind::Fact(FactId::BuyerHq))),
        set: Box::new(node(Kind::Fact(FactId::EndUserHq))),
    });
    let facts = Facts {
        buyer_hq: Some(vec!["CN".into()]),
        ..Default::default()
    };
    assert_eq!(both(&cond, &facts), (Tri::Unknown, Tri::Unknown));
}
