//! Output files that never destroy anything: an output path that names one of the run's
//! inputs (compared as canonical paths, and as the same file on Unix) is refused before any
//! byte is read, and every output is written to a temporary file next to its destination and
//! renamed over it only when complete — an interrupted or failed run leaves the previous file
//! (or no file) in place, never a half-written one.
//!
//! Output formats are chosen by the file extension; an extension chipgate does not write is an
//! error ([`extension`] gives the lower-cased extension for the callers' checks).

use anyhow::{bail, Context, Result};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The path as the file system resolves it; for a file that does not exist yet, its
/// directory resolved and its name appended.
fn resolved(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let name = p.file_name()?;
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.canonicalize().ok().map(|d| d.join(name))
}

/// Whether two paths name the same file (same canonical path, or the same inode on Unix).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Some(x), Some(y)) = (resolved(a), resolved(b)) {
        if x == y {
            return true;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// Refuses an output (`--what`) that names one of the inputs or another output. `-` (standard
/// input or output) never clashes.
pub fn refuse_clash(what: &str, out: &Path, inputs: &[(&str, &Path)]) -> Result<()> {
    if out.as_os_str() == "-" {
        return Ok(());
    }
    for (name, input) in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        if same_file(out, input) {
            bail!(
                "--{what} {} is the same file as the {name} {}: refusing to overwrite it (choose another output path)",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// The lower-cased extension of a path (empty when it has none).
pub fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Refuses an output whose extension is not one of `allowed` (names the ones that are).
pub fn require_extension(what: &str, p: &Path, allowed: &[&str]) -> Result<String> {
    let ext = extension(p);
    if p.as_os_str() == "-" || allowed.contains(&ext.as_str()) {
        return Ok(ext);
    }
    bail!(
        "--{what} {}: unknown output extension `{}` (chipgate writes {})",
        p.display(),
        if ext.is_empty() { "(none)" } else { &ext },
        allowed
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// An output being written: a temporary file in the destination's directory, renamed over
/// the destination by [`Pending::commit`]; dropped without commit, it is removed.
pub struct Pending {
    temp: tempfile::TempPath,
    path: PathBuf,
}

/// Creates the temporary file for `path`; returns it open for writing, and the rename to do.
pub fn create(path: &Path) -> Result<(File, Pending)> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let prefix = format!(".{name}.");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let tmp = b
        .tempfile_in(&dir)
        .with_context(|| format!("creating {}", path.display()))?;
    let (file, temp) = tmp.into_parts();
    Ok((
        file,
        Pending {
            temp,
            path: path.to_path_buf(),
        },
    ))
}

impl Pending {
    /// Moves the completed file into place.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        self.temp
            .persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("writing {}", path.display()))
    }

    /// The destination.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let (mut f, pending) = create(path)?;
    f.write_all(bytes)
        .and_then(|_| f.flush())
        .with_context(|| format!("writing {}", path.display()))?;
    drop(f);
    pending.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clash_is_found_through_other_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "x").unwrap();
        let other = dir.path().join(".").join("a.csv");
        assert!(same_file(&a, &other));
        assert!(refuse_clash("out", &other, &[("order book", &a)]).is_err());
        assert!(refuse_clash("out", &dir.path().join("b.csv"), &[("order book", &a)]).is_ok());
    }

    #[test]
    fn uncommitted_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.csv");
        std::fs::write(&p, "old").unwrap();
        {
            let (mut f, _pending) = create(&p).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }
}
