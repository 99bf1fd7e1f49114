#[test]
fn probe() {
    for s in ["JSC TACTICAL MISSILES CORP.", "TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY", "SiemensAG", "LONDON EV COMPANY LIMITED", "KB INVESTMENTS LIMITED", "عارف علی زرداری", "آصف علی زرداری", "สมชาย", "Дмитрий"] {
        let n = chipgate_screen::normalize(s);
        println!("{s} => {:?}", n.tokens.iter().map(|t| format!("{}:{:?}", t.text, t.role)).collect::<Vec<_>>());
    }
}
