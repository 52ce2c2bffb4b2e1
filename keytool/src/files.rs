//! Writing files that hold secrets or plaintext: new files only (never overwriting), readable by
//! their owner only (mode 0600, as rage-keygen and age-keygen do).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Creates `path`, which must not exist, with mode 0600, and writes `bytes` to it. If writing
/// fails, the partial file is removed.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = create_private(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        drop(file);
        let _ = fs::remove_file(path);
    }
    written
}

/// Writes `bytes` to a new file at `path` (mode 0600) through a temporary file in the same
/// folder, so that `path` never holds a partial export. Fails with `AlreadyExists` if `path`
/// exists, even if it appears while the temporary file is being written.
pub fn write_new_private_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    let (temp_path, mut temp) = create_temp_beside(path)?;
    let temp_guard = RemoveOnDrop(&temp_path);
    temp.write_all(bytes)?;
    temp.sync_all()?;
    drop(temp);
    // A hard link fails if `path` exists, where a rename would replace it. Some file systems
    // (FAT on USB sticks) have no hard links: there, check and rename.
    match fs::hard_link(&temp_path, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if fs::symlink_metadata(path).is_ok() => Err(io::ErrorKind::AlreadyExists.into()),
        Err(_) => fs::rename(&temp_path, path),
    }?;
    drop(temp_guard);
    Ok(())
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A new, private, hidden file next to `path`.
fn create_temp_beside(path: &Path) -> io::Result<(PathBuf, File)> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut attempt = 0u32;
    loop {
        let candidate = folder.join(format!(
            ".{name}.{}-{nanos}-{attempt}.tmp",
            std::process::id()
        ));
        match create_private(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Removes a temporary file when dropped, whether the write succeeded (the export then lives on
/// under its final name) or failed half-way.
struct RemoveOnDrop<'a>(&'a Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        let _ = fs::remove_file(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_new_private_files_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key.txt");
        write_new_private(&key, b"first").unwrap();
        let err = write_new_private(&key, b"second").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&key).unwrap(), b"first");
        #[cfg(unix)]
        assert_eq!(mode(&key), 0o600);

        let export = dir.path().join("export.csv");
        write_new_private_atomically(&export, b"rows").unwrap();
        let err = write_new_private_atomically(&export, b"other rows").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&export).unwrap(), b"rows");
        #[cfg(unix)]
        assert_eq!(mode(&export), 0o600);
        // No temporary file is left behind.
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["export.csv", "key.txt"]);
    }
}
