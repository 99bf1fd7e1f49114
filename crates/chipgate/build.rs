//! Rebuild the binary whenever the embedded data changes (rules, catalog, countries, lists):
//! `include_dir!` alone does not notice files added to a folder.

fn main() {
    println!("cargo:rerun-if-changed=../../data");
    println!("cargo:rerun-if-changed=../../scenarios");
}
