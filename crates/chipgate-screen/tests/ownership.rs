//! Ownership file: ultimate parents, HQ countries and 50 % owners, with the screening normaliser.

use chipgate_screen::Ownership;

#[test]
fn affiliates_rule_inputs() {
    let csv = "entity,parent,share,hq_country\n\
        Shenzhen Example Microelectronics Co Ltd,Example Holdings Ltd,51%,CN\n\
        Example Holdings Ltd,Huawei Investment & Holding Co Ltd,0.25,HK\n\
        Example Holdings Ltd,Harbour Nominees,0.30,\n\
        Harbour Nominees,Huawei Investment & Holding Co Ltd,100,\n\
        Huawei Investment & Holding Co Ltd,,,CN\n\
        Minor JV GmbH,Huawei Investment & Holding Co Ltd,0.49,DE\n";
    let o = Ownership::parse("parties.csv", csv.as_bytes()).unwrap();
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let i = o
        .resolve("SHENZHEN EXAMPLE MICROELECTRONICS CO., LTD.")
        .unwrap();
    assert_eq!(i.ultimate_parent, "Huawei Investment & Holding Co Ltd");
    assert_eq!(i.hq_country.as_deref(), Some("CN"));
    let names: Vec<&str> = i.path.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Example Holdings Ltd",
            "Harbour Nominees",
            "Huawei Investment & Holding Co Ltd"
        ]
    );
    // Huawei holds 25 % directly and 30 % through Harbour (100 % owned): 55 % of Example Holdings,
    // which holds 51 % of the subsidiary → the subsidiary is ≥ 50 % owned by Huawei.
    let hw = i
        .owners_50
        .iter()
        .find(|o| o.0.starts_with("Huawei"))
        .expect("huawei is a 50% owner");
    assert!((hw.1 - 0.51).abs() < 1e-9, "{hw:?}");
    assert_eq!(
        hw.2.first().map(String::as_str),
        Some("Shenzhen Example Microelectronics Co Ltd")
    );
    assert_eq!(
        hw.2.last().map(String::as_str),
        Some("Huawei Investment & Holding Co Ltd")
    );
    let jv = o.resolve("Minor JV GmbH").unwrap();
    assert!(jv.owners_50.is_empty());
    assert_eq!(jv.hq_country.as_deref(), Some("DE"));
    assert_eq!(jv.ultimate_parent, "Huawei Investment & Holding Co Ltd");
}
