//! Parse the built-in lists and build their index with the real `chipgate-screen` code, and
//! write the snapshot that the library embeds. Cargo reruns this whenever `chipgate-screen`
//! (its code, tables or embedded lists) changes, since it is a build-dependency. If building
//! fails, an empty snapshot is written and the library builds the index at run time instead.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("builtin.snap");
    let bytes = match chipgate_screen::snapshot::encode_builtin() {
        Ok(b) => b,
        Err(e) => {
            println!("cargo:warning=built-in index snapshot not made ({e}); the index will be built at run time");
            Vec::new()
        }
    };
    std::fs::write(&out, bytes)?;
    Ok(())
}
