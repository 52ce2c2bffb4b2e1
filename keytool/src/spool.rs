//! Plaintext that has to wait for the end of a run, without holding a run's worth of it in
//! memory and without writing it to disk in clear.
//!
//! A CSV export starts with a header naming every column, and a column may first appear in the
//! last record; a report lists the testimonies after charts that count every record. Opening the
//! records twice would double the cost of the cryptography, which is almost all of the work, so
//! what was rendered waits here instead, in entries of a tag and some bytes, and is read back
//! in the same order, as many times as needed.
//!
//! The first [`MEMORY_LIMIT`] bytes wait in a [`SecretBuf`]. Past that, everything goes to a
//! file of its own, sealed with age to an X25519 identity made for this spool alone and never
//! written anywhere: the file is unlinked as soon as it is made (only the open descriptor
//! reaches it), and if it stays behind anyway (the folder refused the unlink, the power failed),
//! nobody can read it. It is made in the folder the export goes to, or the system's temporary
//! folder when the export goes to standard output.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use age::stream::StreamWriter;
use age::x25519;

use crate::export::SecretBuf;
use crate::files;

/// How much waits in memory before the spool moves to a sealed file.
const MEMORY_LIMIT: usize = 4 * 1024 * 1024;
/// An entry's tag and length, before its bytes.
const ENTRY_HEAD: usize = 8;

/// Entries waiting: in memory, then in a sealed, unlinked file.
pub struct Spool {
    folder: PathBuf,
    memory: SecretBuf,
    sealed: Option<Sealed>,
    entries: usize,
}

/// The file the spool moved to: written through an age stream, then read back.
struct Sealed {
    identity: x25519::Identity,
    /// While entries are added.
    writer: Option<StreamWriter<File>>,
    /// Once they are read back.
    written: Option<File>,
}

impl Spool {
    /// An empty spool that moves to a sealed file in `folder` when it grows.
    pub fn new(folder: PathBuf) -> Self {
        Self {
            folder,
            memory: SecretBuf::new(),
            sealed: None,
            entries: 0,
        }
    }

    /// Adds an entry: `tag`, for the caller's own use, and `bytes`. An error from the file is a
    /// [`Failed`].
    pub fn push(&mut self, tag: u32, bytes: &[u8]) -> io::Result<()> {
        let len = u32::try_from(bytes.len()).map_err(|_| io::ErrorKind::InvalidInput)?;
        // Moved out before the entry would take the buffer past the limit, not after: the
        // buffer then never grows past it (and never holds a doubled copy while it grows).
        let held = self.memory.expose().len();
        if held > 0 && held + ENTRY_HEAD + bytes.len() > MEMORY_LIMIT {
            self.move_to_file()
                .map_err(|err| Failed::wrap(&self.folder, err))?;
        }
        self.memory.extend(&tag.to_le_bytes());
        self.memory.extend(&len.to_le_bytes());
        self.memory.extend(bytes);
        self.entries += 1;
        Ok(())
    }

    /// Moves what is in memory to the sealed file, making it first if need be.
    fn move_to_file(&mut self) -> io::Result<()> {
        let sealed = match &mut self.sealed {
            Some(sealed) => sealed,
            None => self.sealed.insert(Sealed::create(&self.folder)?),
        };
        let writer = sealed
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("the spool was already read"))?;
        writer.write_all(self.memory.expose())?;
        self.memory.clear();
        Ok(())
    }

    /// Reads the entries back, in the order they were pushed; again from the first entry on
    /// every call. Nothing can be pushed after this. An error from the file is a [`Failed`].
    pub fn entries(&mut self) -> io::Result<Entries<'_>> {
        let folder = &self.folder;
        let Some(sealed) = &mut self.sealed else {
            return Ok(Entries {
                folder,
                source: Source::Memory(self.memory.expose()),
            });
        };
        read_back(sealed, &mut self.memory, folder).map_err(|err| Failed::wrap(folder, err))
    }
}

/// Finishes the file, with what is still in `memory`, and reads it back from its start.
fn read_back<'s>(
    sealed: &'s mut Sealed,
    memory: &mut SecretBuf,
    folder: &'s Path,
) -> io::Result<Entries<'s>> {
    if let Some(mut writer) = sealed.writer.take() {
        // The last entries join the file, which is then finished.
        writer.write_all(memory.expose())?;
        memory.clear();
        sealed.written = Some(writer.finish()?);
    }
    let mut file: &File = sealed
        .written
        .as_ref()
        .ok_or_else(|| io::Error::other("the spool could not be finished"))?;
    file.seek(SeekFrom::Start(0))?;
    let reader = age::Decryptor::new_buffered(BufReader::new(file))
        .and_then(|decryptor| {
            decryptor.decrypt(std::iter::once(&sealed.identity as &dyn age::Identity))
        })
        .map_err(io::Error::other)?;
    Ok(Entries {
        folder,
        source: Source::File(Box::new(reader)),
    })
}

/// The spool's file could not be made, written or read back: in `folder`, for `err`. Carried
/// inside an `io::Error`, so that the caller can tell it from its own.
#[derive(Debug)]
pub struct Failed {
    /// Where the file is, or was to be made.
    pub folder: PathBuf,
    /// What failed.
    pub err: io::Error,
}

impl Failed {
    fn wrap(folder: &Path, err: io::Error) -> io::Error {
        io::Error::other(Self {
            folder: folder.to_owned(),
            err,
        })
    }

    /// The spool's failure `err` carries, or `err` itself when it is not one.
    pub fn from_io(err: io::Error) -> Result<Self, io::Error> {
        if !err.get_ref().is_some_and(|inner| inner.is::<Self>()) {
            return Err(err);
        }
        match err.into_inner().map(|inner| inner.downcast::<Self>()) {
            Some(Ok(failed)) => Ok(*failed),
            _ => Err(io::Error::other("the spool failed")),
        }
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the spool in {} failed: {}",
            self.folder.display(),
            self.err
        )
    }
}

impl std::error::Error for Failed {}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool")
            .field("entries", &self.entries)
            .field("sealed", &self.sealed.is_some())
            .finish_non_exhaustive()
    }
}

impl Sealed {
    /// A new file in `folder`, unlinked at once, with an age stream to a new identity.
    fn create(folder: &Path) -> io::Result<Self> {
        let (path, file) = files::create_temp_in(folder, "spool")?;
        // Only the descriptor reaches it from now on; it vanishes when the run ends.
        std::fs::remove_file(&path)?;
        let identity = x25519::Identity::generate();
        let recipient = identity.to_public();
        let writer =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(io::Error::other)?
                .wrap_output(file)?;
        Ok(Self {
            identity,
            writer: Some(writer),
            written: None,
        })
    }
}

/// The entries of a spool, read back in order.
pub struct Entries<'s> {
    folder: &'s Path,
    source: Source<'s>,
}

enum Source<'s> {
    Memory(&'s [u8]),
    File(Box<dyn Read + 's>),
}

impl Entries<'_> {
    /// The next entry's tag, with its bytes put in `bytes` (emptied first); `None` after the
    /// last. An error is a [`Failed`].
    pub fn next_into(&mut self, bytes: &mut SecretBuf) -> io::Result<Option<u32>> {
        let folder = self.folder;
        self.next(bytes).map_err(|err| Failed::wrap(folder, err))
    }

    fn next(&mut self, bytes: &mut SecretBuf) -> io::Result<Option<u32>> {
        bytes.clear();
        let mut head = [0u8; 8];
        match &mut self.source {
            Source::Memory(rest) => {
                if rest.is_empty() {
                    return Ok(None);
                }
                rest.read_exact(&mut head)?;
                let len = entry_len(&head)?;
                let (entry, after) = rest
                    .split_at_checked(len)
                    .ok_or(io::ErrorKind::UnexpectedEof)?;
                bytes.extend(entry);
                *rest = after;
            }
            Source::File(reader) => {
                // The end of the stream is only at an entry's start.
                let first = reader.read(&mut head[..1])?;
                if first == 0 {
                    return Ok(None);
                }
                reader.read_exact(&mut head[1..])?;
                let len = entry_len(&head)?;
                bytes.read_exactly_from(reader, len)?;
            }
        }
        Ok(Some(u32::from_le_bytes([
            head[0], head[1], head[2], head[3],
        ])))
    }
}

fn entry_len(head: &[u8; 8]) -> io::Result<usize> {
    usize::try_from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]))
        .map_err(|_| io::ErrorKind::InvalidData.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(spool: &mut Spool) -> Vec<(u32, Vec<u8>)> {
        let mut entries = spool.entries().unwrap();
        let mut bytes = SecretBuf::new();
        let mut all = Vec::new();
        while let Some(tag) = entries.next_into(&mut bytes).unwrap() {
            all.push((tag, bytes.expose().to_vec()));
        }
        all
    }

    #[test]
    fn small_spools_stay_in_memory_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::new(dir.path().to_owned());
        spool.push(7, b"first").unwrap();
        spool.push(0, b"").unwrap();
        spool.push(u32::MAX, "dernière".as_bytes()).unwrap();
        let expected = vec![
            (7, b"first".to_vec()),
            (0, Vec::new()),
            (u32::MAX, "dernière".as_bytes().to_vec()),
        ];
        assert_eq!(read_all(&mut spool), expected);
        assert_eq!(read_all(&mut spool), expected, "read again from the start");
        assert_eq!(spool.entries, 3);
        assert!(spool.sealed.is_none());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn large_spools_go_to_a_sealed_unlinked_file_and_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::new(dir.path().to_owned());
        let entry = |n: u32| -> Vec<u8> {
            let text = format!("entry {n}: testimony, ça, 他们 — ");
            text.repeat(usize::try_from(n % 97).unwrap() * 40)
                .into_bytes()
        };
        let count = 3_000;
        for n in 0..count {
            spool.push(n, &entry(n)).unwrap();
            assert!(
                spool.memory.capacity() <= MEMORY_LIMIT,
                "the buffer never grows past the limit"
            );
        }
        assert!(spool.sealed.is_some(), "past the memory limit");
        // Nothing of the file is left in the folder, under any name.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        // And what reached the disk is an age file, with none of the entries' text in it: read
        // through the one descriptor that still reaches the unlinked file.
        let spooled: Vec<Vec<u8>> = std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(Result::ok)
            .filter(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|target| {
                    target.starts_with(dir.path())
                        && target.to_string_lossy().ends_with(" (deleted)")
                })
            })
            .map(|fd| std::fs::read(fd.path()).unwrap())
            .collect();
        assert_eq!(spooled.len(), 1, "one unlinked spool file is open");
        assert!(spooled[0].starts_with(b"age-encryption.org/v1\n"));
        assert!(
            !spooled[0].windows(9).any(|w| w == b"testimony"),
            "no entry's text is on disk in clear"
        );
        for _ in 0..2 {
            let all = read_all(&mut spool);
            assert_eq!(all.len(), usize::try_from(count).unwrap());
            for (n, (tag, bytes)) in (0..count).zip(all) {
                assert_eq!(tag, n);
                assert_eq!(bytes, entry(n), "entry {n}");
            }
        }
    }
}
