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

/// A new private file (mode 0600) written bit by bit, which appears at its path, whole, only
/// when [`NewPrivateFile::persist`] is called: until then it is a hidden temporary file in the
/// same folder, removed if the writing stops half-way. So an export's path never holds a partial
/// export, and is never overwritten, even by a file that appears while it is being written.
#[derive(Debug)]
pub struct NewPrivateFile {
    path: PathBuf,
    temp_path: PathBuf,
    temp: File,
}

impl NewPrivateFile {
    /// Starts a new file for `path`, which must not exist (`AlreadyExists` otherwise).
    pub fn create(path: &Path) -> io::Result<Self> {
        if fs::symlink_metadata(path).is_ok() {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        Self::create_beside(path)
    }

    /// Starts a new file for `path`, whatever is there now (it must be gone when
    /// [`NewPrivateFile::persist`] is called).
    pub fn create_beside(path: &Path) -> io::Result<Self> {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (temp_path, temp) = create_temp_in(folder_of(path), &name)?;
        Ok(Self {
            path: path.to_owned(),
            temp_path,
            temp,
        })
    }

    /// Syncs the file and puts it at its path. Fails with `AlreadyExists` if a file appeared
    /// there in the meantime, and then leaves it alone.
    pub fn persist(self) -> io::Result<()> {
        self.temp.sync_all()?;
        // A hard link fails if `path` exists, where a rename would replace it. Some file systems
        // (FAT on USB sticks) have no hard links: there, check and rename.
        match fs::hard_link(&self.temp_path, &self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            Err(_) if fs::symlink_metadata(&self.path).is_ok() => {
                Err(io::ErrorKind::AlreadyExists.into())
            }
            Err(_) => fs::rename(&self.temp_path, &self.path),
        }
        // Dropped here: the temporary name goes (after a rename, there is none to remove).
    }
}

impl NewPrivateFile {
    /// Gives up the file: what was written, to be read from its start through the returned
    /// descriptor. Its temporary name goes now, and the file with the descriptor.
    pub fn into_written(self) -> io::Result<File> {
        let mut written = self.temp.try_clone()?;
        io::Seek::seek(&mut written, io::SeekFrom::Start(0))?;
        Ok(written)
    }
}

impl Write for NewPrivateFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.temp.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.temp.write_all(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

impl Drop for NewPrivateFile {
    /// Removes the temporary name, whether the file now lives on under its final name or the
    /// writing failed half-way.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.temp_path);
    }
}

/// The folder `path` is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    // Readable too: a spool is read back through the same descriptor.
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A new, private, hidden file in `folder`, named after `what` (`.<what>.<pid>-<nanos>-<n>.tmp`).
pub fn create_temp_in(folder: &Path, what: &str) -> io::Result<(PathBuf, File)> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut attempt = 0u32;
    loop {
        let candidate = folder.join(format!(
            ".{what}.{}-{nanos}-{attempt}.tmp",
            std::process::id()
        ));
        match create_private(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
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
        let write_atomically = |bytes: &[u8]| {
            let mut file = NewPrivateFile::create(&export)?;
            file.write_all(bytes)?;
            file.persist()
        };
        write_atomically(b"rows").unwrap();
        let err = write_atomically(b"other rows").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        // A file that appears at the path while the new one is written is left alone.
        let late = dir.path().join("late.csv");
        let mut file = NewPrivateFile::create(&late).unwrap();
        file.write_all(b"mine").unwrap();
        fs::write(&late, b"theirs").unwrap();
        assert_eq!(
            file.persist().unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert_eq!(fs::read(&late).unwrap(), b"theirs");
        fs::remove_file(&late).unwrap();
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
