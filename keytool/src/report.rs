//! The report: a vault's submissions counted into one self-contained HTML file, for organizers
//! to read and pass around among themselves.
//!
//! * **What it counts.** Totals (submissions, signatures, share-only accounts, from each record's
//!   `intent`; in a campaign that does not ask for one, every submission signs), then one chart
//!   per single or multi choice question and one of every consent, in the form's order — taken
//!   from the campaign files, not from a list of names, so any campaign gets its own charts —
//!   then submissions per day. A question is counted among the records that were asked it (its
//!   `asked`, against the record's intent); a choice left blank shows as "No answer".
//! * **Testimonies** (the campaign's `testimony` field and every other long text) are in it only
//!   when asked for ([`Options::include_testimonies`]); otherwise only how many there are.
//! * **Self-contained and inert.** One file: inline CSS, charts as inline SVG (`role="img"`, a
//!   `<title>` and a `<desc>` with every number, and each bar with its label and number as text),
//!   no JavaScript, no link, nothing loaded from anywhere, so it opens the same offline and tells
//!   nobody it was opened.
//! * **Hostile text stays text.** Answers were typed by strangers, and campaign files came from a
//!   server: every value is first shown as [`crate::escape`] shows it on a terminal (control,
//!   bidirectional and invisible characters as `\u{…}`), then HTML-escaped (`& < > " '`), and
//!   each testimony sits in its own `dir="auto"` block. So no answer can add markup, run a
//!   script, reorder the text around it or hide part of itself.
//! * **Plaintext** is written only into [`SecretBuf`]s and wiped copies; the counts and the
//!   campaign's words are not secret.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use seal::{Day, FieldValue, Submission};
use sealform_campaign::{Asked, Campaign, FieldKind, INTENT_FIELD, Intent};
use zeroize::Zeroizing;

use crate::escape::{self, LineFeeds};
use crate::export::SecretBuf;
use crate::words::{FormWords, intent_word};

/// What the report says besides the counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Whether the testimonies themselves are in the report.
    pub include_testimonies: bool,
    /// How many records were left out as withdrawn.
    pub withdrawn: usize,
    /// How many records could not be opened.
    pub failed: usize,
}

/// Everything counted, ready to render or summarize.
#[derive(Debug)]
pub struct Tally<'a> {
    /// Records counted.
    pub submissions: usize,
    /// Records that sign the letter.
    pub signatures: usize,
    /// Records that only share what happened.
    pub share_only: usize,
    /// Records shown with codes: their campaign file is not in the vault.
    pub uncampaigned: usize,
    /// The first and last day a record was received.
    pub days: Option<(Day, Day)>,
    /// Every chart, in the order shown.
    pub charts: Vec<Chart>,
    /// The long-text questions, testimony first: their field, words and how many answered.
    pub testimonies: Vec<TestimonyQuestion>,
    /// The campaign most records were filled in on, in the words chosen.
    pub main: Option<FormWords<'a>>,
}

/// One bar chart.
#[derive(Debug)]
pub struct Chart {
    /// Its heading: a question, or the key tool's own words.
    pub title: String,
    /// The language of the title and labels, when they are the campaign's words.
    pub lang: Option<String>,
    /// A sentence under the heading: who was counted.
    pub note: String,
    /// The bars, in the form's order.
    pub bars: Vec<Bar>,
}

/// One bar: what it counts and how many.
#[derive(Debug)]
pub struct Bar {
    /// An option's label, a consent's question, a day… Wiped on drop: without a campaign file,
    /// it is the value a record holds.
    pub label: Zeroizing<String>,
    /// How many.
    pub count: usize,
    /// Out of how many, where that says more than the count alone (a consent: of those asked).
    pub of: Option<usize>,
}

/// A long-text question whose answers are testimonies.
#[derive(Debug)]
pub struct TestimonyQuestion {
    /// The field's name in records.
    pub name: String,
    /// The question, as the form showed it (or the name).
    pub label: String,
    /// The language of the label.
    pub lang: Option<String>,
    /// How many records answered it (not blank).
    pub answered: usize,
}

/// The counts of a report, learnt one record at a time, in order ([`Counter::add`]), so that
/// no record needs to stay in memory; which charts show them is decided at the end
/// ([`Counter::finish`]), when every campaign the records name is known. Memory grows with the
/// number of questions, options and days, not of records.
#[derive(Debug, Default)]
pub struct Counter {
    submissions: usize,
    /// Records per intent, in the order of [`Intent::ALL`].
    intents: [usize; 3],
    /// Records that say no intent.
    no_intent: usize,
    /// Each campaign version with words, in the order records first named it, and how many
    /// records it has.
    campaigns: Vec<(String, usize)>,
    /// Records without words.
    uncampaigned: usize,
    per_day: BTreeMap<Day, usize>,
    /// Every field name records hold, in order of appearance, with what was counted for it.
    names: Vec<NameCounts>,
    by_name: HashMap<String, usize>,
    /// The field names whose value is a choice or a consent, each with the kind of the first
    /// such value (the intent aside), in order of appearance: charted when no campaign has them.
    record_kinds: Vec<(String, Kind)>,
}

/// What was counted for one field name, among the records that were asked it.
#[derive(Debug, Default)]
struct NameCounts {
    asked: usize,
    /// Asked, and no choice made (or no choice in the value).
    blank: usize,
    /// Asked, and the box ticked.
    ticked: usize,
    /// Asked, and a text that is not blank.
    answered: usize,
    /// Each choice made, in order of appearance: the value, its label in the words of the first
    /// record that made it, and how many made it. Wiped on drop.
    values: Vec<(Zeroizing<String>, Zeroizing<String>, usize)>,
}

impl Counter {
    /// Counts `submission`, which reads in `words` (`None` without its campaign file).
    pub fn add(&mut self, submission: &Submission, words: Option<FormWords<'_>>) {
        self.submissions += 1;
        let intent = intent_of(submission);
        match intent.and_then(|intent| Intent::ALL.iter().position(|i| *i == intent)) {
            Some(at) => self.intents[at] += 1,
            None => self.no_intent += 1,
        }
        match words {
            Some(w) => {
                let version = w.campaign().version();
                match self.campaigns.iter_mut().find(|(seen, _)| seen == version) {
                    Some((_, count)) => *count += 1,
                    None => self.campaigns.push((version.to_owned(), 1)),
                }
            }
            None => self.uncampaigned += 1,
        }
        *self.per_day.entry(submission.received()).or_default() += 1;

        let fields = submission.expose_fields();
        for field in fields {
            let kind = match field.expose_value() {
                FieldValue::Choice(_) if field.name() != INTENT_FIELD => Kind::Single,
                FieldValue::Choices(_) => Kind::Multi,
                FieldValue::Consent(_) => Kind::Consent,
                // Without its campaign, a text could be a name as well as a testimony.
                FieldValue::Choice(_) | FieldValue::Text(_) => continue,
            };
            if !self
                .record_kinds
                .iter()
                .any(|(name, _)| name == field.name())
            {
                self.record_kinds.push((field.name().to_owned(), kind));
            }
        }
        for (at, field) in fields.iter().enumerate() {
            // A name repeated within a record counts by its first value.
            let name = field.name();
            if fields[..at].iter().any(|earlier| earlier.name() == name)
                || !was_asked(intent, words, name)
            {
                continue;
            }
            let index = match self.by_name.get(name) {
                Some(&index) => index,
                None => {
                    self.names.push(NameCounts::default());
                    self.by_name.insert(name.to_owned(), self.names.len() - 1);
                    self.names.len() - 1
                }
            };
            let counts = &mut self.names[index];
            counts.asked += 1;
            let value = field.expose_value();
            let values: &[String] = match value {
                FieldValue::Choice(value) if value.is_empty() => &[],
                FieldValue::Choice(value) => std::slice::from_ref(value),
                FieldValue::Choices(values) => values,
                FieldValue::Text(_) | FieldValue::Consent(_) => &[],
            };
            if values.is_empty() {
                counts.blank += 1;
            }
            for value in values {
                match counts
                    .values
                    .iter_mut()
                    .find(|(seen, _, _)| **seen == *value)
                {
                    Some((_, _, count)) => *count += 1,
                    None => {
                        let label = words
                            .and_then(|w| w.option_label(name, value))
                            .unwrap_or(value);
                        counts.values.push((
                            Zeroizing::new(value.clone()),
                            Zeroizing::new(label.to_owned()),
                            1,
                        ));
                    }
                }
            }
            match value {
                FieldValue::Consent(true) => counts.ticked += 1,
                FieldValue::Text(text) if !text.trim().is_empty() => counts.answered += 1,
                _ => {}
            }
        }
    }

    /// Everything counted, charted: `words_of(version)` is how a campaign version the records
    /// named reads.
    pub fn finish<'a>(self, words_of: impl Fn(&str) -> Option<FormWords<'a>>) -> Tally<'a> {
        let main = main_campaign(&self.campaigns, &words_of);
        let fields = self.chart_fields(main, &words_of);
        let no_counts = NameCounts::default();
        let counts_of = |name: &str| {
            self.by_name
                .get(name)
                .map_or(&no_counts, |&index| &self.names[index])
        };

        let mut charts = vec![self.totals_chart(main)];
        let mut consents = Chart {
            title: "Consents".into(),
            lang: main.map(|w| w.language().to_owned()),
            note: "How many ticked each box, of those who were asked.".into(),
            bars: Vec::new(),
        };
        let mut testimonies = Vec::new();
        for field in &fields {
            let counts = counts_of(&field.name);
            match field.kind {
                Kind::Single | Kind::Multi => charts.push(choice_chart(field, counts)),
                Kind::Consent => consents.bars.push(Bar {
                    label: Zeroizing::new(field.label.clone()),
                    count: counts.ticked,
                    of: Some(counts.asked),
                }),
                Kind::LongText => testimonies.push(TestimonyQuestion {
                    name: field.name.clone(),
                    label: field.label.clone(),
                    lang: field.lang.clone(),
                    answered: counts.answered,
                }),
            }
        }
        if !consents.bars.is_empty() {
            charts.push(consents);
        }
        let first_last = self
            .per_day
            .keys()
            .next()
            .copied()
            .zip(self.per_day.keys().next_back().copied());
        charts.push(days_chart(self.per_day, first_last));

        let [sign, sign_and_share, share] = self.intents;
        Tally {
            submissions: self.submissions,
            signatures: sign + sign_and_share + self.no_intent,
            share_only: share,
            uncampaigned: self.uncampaigned,
            days: first_last,
            charts,
            testimonies,
            main,
        }
    }

    /// The questions to count: every choice, consent and long text of each campaign — the main
    /// one first, then the others in the order records first named them — in the form's order,
    /// the testimony first among the long texts; then those that only records without a
    /// campaign file hold.
    fn chart_fields<'a>(
        &self,
        main: Option<FormWords<'a>>,
        words_of: &impl Fn(&str) -> Option<FormWords<'a>>,
    ) -> Vec<ChartField<'a>> {
        let mut campaigns: Vec<FormWords<'a>> = main.into_iter().collect();
        for (version, _) in &self.campaigns {
            if let Some(w) = words_of(version)
                && !campaigns
                    .iter()
                    .any(|seen| seen.campaign().version() == version)
            {
                campaigns.push(w);
            }
        }
        let mut fields: Vec<ChartField<'a>> = Vec::new();
        for w in &campaigns {
            let campaign: &Campaign = w.campaign();
            let testimony = campaign.testimony().and_then(|name| campaign.field(name));
            for spec in testimony.into_iter().chain(campaign.fields()) {
                let kind = match spec.kind {
                    FieldKind::SingleChoice => Kind::Single,
                    FieldKind::MultiChoice => Kind::Multi,
                    FieldKind::Consent => Kind::Consent,
                    FieldKind::LongText => Kind::LongText,
                    FieldKind::ShortText | FieldKind::Email | FieldKind::PostalCode => continue,
                };
                if fields.iter().any(|f| f.name == spec.name) {
                    continue;
                }
                fields.push(ChartField {
                    name: spec.name.clone(),
                    kind,
                    label: w.label(&spec.name).unwrap_or(&spec.name).to_owned(),
                    lang: Some(w.language().to_owned()),
                    words: Some(*w),
                });
            }
        }
        for (name, kind) in &self.record_kinds {
            if fields.iter().any(|f| f.name == *name) {
                continue;
            }
            fields.push(ChartField {
                name: name.clone(),
                kind: *kind,
                label: name.clone(),
                lang: None,
                words: None,
            });
        }
        fields
    }

    /// Submissions by what people chose to do; a single "Sign" bar when no record says.
    fn totals_chart(&self, main: Option<FormWords<'_>>) -> Chart {
        let total = self.submissions;
        let any_intent = self.intents.iter().any(|&count| count > 0)
            || main.is_some_and(|w| w.campaign().testimony().is_some());
        let bars = if any_intent {
            let mut bars: Vec<Bar> = Intent::ALL
                .into_iter()
                .zip(self.intents)
                .map(|(intent, count)| Bar {
                    label: Zeroizing::new(intent_word(intent).to_owned()),
                    count,
                    of: None,
                })
                .collect();
            if self.no_intent > 0 {
                bars.push(Bar {
                    label: Zeroizing::new("Not said (counted as signing)".into()),
                    count: self.no_intent,
                    of: None,
                });
            }
            bars
        } else {
            vec![Bar {
                label: Zeroizing::new(intent_word(Intent::Sign).to_owned()),
                count: total,
                of: None,
            }]
        };
        Chart {
            title: "What people chose".into(),
            lang: None,
            note: format!(
                "All {total} {}.",
                plural(total, "submission", "submissions")
            ),
            bars,
        }
    }
}

/// What the person chose to do, when the record says.
fn intent_of(submission: &Submission) -> Option<Intent> {
    match submission.expose_field(INTENT_FIELD) {
        Some(FieldValue::Choice(value)) => Intent::from_value(value),
        _ => None,
    }
}

/// The campaign most records were filled in on (the first named of those with as many).
fn main_campaign<'a>(
    campaigns: &[(String, usize)],
    words_of: &impl Fn(&str) -> Option<FormWords<'a>>,
) -> Option<FormWords<'a>> {
    let most = campaigns.iter().map(|(_, count)| *count).max()?;
    campaigns
        .iter()
        .find(|(_, count)| *count == most)
        .and_then(|(version, _)| words_of(version))
}

/// What a chart or list is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Single,
    Multi,
    Consent,
    LongText,
}

/// A question to count, and the words it is shown in.
#[derive(Debug)]
struct ChartField<'a> {
    name: String,
    kind: Kind,
    label: String,
    lang: Option<String>,
    /// The campaign whose words name its options (the first that has the question).
    words: Option<FormWords<'a>>,
}

/// Whether a record that chose `intent` and reads in `words` was asked the question `name`
/// (which it holds): its campaign asks it of people who chose what this person chose.
fn was_asked(intent: Option<Intent>, words: Option<FormWords<'_>>, name: &str) -> bool {
    let asked = words
        .and_then(|w| w.field(name))
        .map_or(Asked::Everyone, |spec| spec.asked);
    intent.is_none_or(|intent| asked.includes(intent))
}

/// One choice question: a bar per option (the chart's campaign's order and words; values that
/// campaign does not have after them, in order of appearance), and "No answer" (one choice) or
/// "None ticked" (several) for those asked who left it blank.
fn choice_chart(field: &ChartField<'_>, counts: &NameCounts) -> Chart {
    let mut bars: Vec<Bar> = Vec::new();
    let count_of = |value: &str| {
        counts
            .values
            .iter()
            .find(|(seen, _, _)| seen.as_str() == value)
            .map_or(0, |(_, _, count)| *count)
    };
    let options = field
        .words
        .and_then(|w| w.field(&field.name))
        .map_or(&[][..], |spec| &spec.options[..]);
    for (at, option) in options.iter().enumerate() {
        let label = field
            .words
            .and_then(|w| w.option_label(&field.name, &option.value))
            .unwrap_or(&option.label);
        // A value the campaign lists twice is counted under the first.
        let first = options[..at].iter().all(|o| o.value != option.value);
        bars.push(Bar {
            label: Zeroizing::new(label.to_owned()),
            count: if first { count_of(&option.value) } else { 0 },
            of: None,
        });
    }
    for (value, label, count) in &counts.values {
        if options.iter().any(|option| option.value == value.as_str()) {
            continue;
        }
        bars.push(Bar {
            label: label.clone(),
            count: *count,
            of: None,
        });
    }
    let several = field.kind == Kind::Multi;
    if counts.blank > 0 {
        bars.push(Bar {
            label: Zeroizing::new(if several { "None ticked" } else { "No answer" }.into()),
            count: counts.blank,
            of: None,
        });
    }
    let n = counts.asked;
    Chart {
        title: field.label.clone(),
        lang: field.lang.clone(),
        note: if several {
            format!(
                "{n} {} asked; each could tick several.",
                plural(n, "submission was", "submissions were")
            )
        } else {
            format!(
                "{n} {} asked.",
                plural(n, "submission was", "submissions were")
            )
        },
        bars,
    }
}

/// Longest stretch of days shown day by day, empty days included; a longer one shows only the
/// days with submissions.
const MAX_DAYS_IN_A_ROW: i64 = 92;

/// Submissions per day, in order.
fn days_chart(mut per_day: BTreeMap<Day, usize>, first_last: Option<(Day, Day)>) -> Chart {
    if let Some((first, last)) = first_last {
        let (start, end) = (days_since_epoch(first), days_since_epoch(last));
        if end - start < MAX_DAYS_IN_A_ROW {
            for day in start..=end {
                per_day.entry(Day::from_days_since_epoch(day)).or_default();
            }
        }
    }
    Chart {
        title: "Submissions per day".into(),
        lang: None,
        note: "Days are UTC; records keep no time of day.".into(),
        bars: per_day
            .into_iter()
            .map(|(day, count)| Bar {
                label: Zeroizing::new(day.to_string()),
                count,
                of: None,
            })
            .collect(),
    }
}

/// Days from 1970-01-01 to `day`, by Howard Hinnant's `days_from_civil`
/// (<https://howardhinnant.github.io/date_algorithms.html#days_from_civil>), the inverse of
/// [`Day::from_days_since_epoch`].
fn days_since_epoch(day: Day) -> i64 {
    let (month, d) = (i64::from(day.month()), i64::from(day.day()));
    let year = i64::from(day.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The record's answer to the text `name`, unless it is blank: a testimony, if `name` is a long
/// text question.
pub fn testimony_text<'s>(submission: &'s Submission, name: &str) -> Option<&'s str> {
    match submission.expose_field(name) {
        Some(FieldValue::Text(text)) if !text.trim().is_empty() => Some(text),
        _ => None,
    }
}

fn plural<'w>(n: usize, one: &'w str, many: &'w str) -> &'w str {
    if n == 1 { one } else { many }
}

/// A few lines for the terminal: the totals, what was left out, where the report is not (the
/// caller adds where it went). Counts and the key tool's words only.
pub fn summary(tally: &Tally<'_>, options: &Options) -> String {
    let mut lines = vec![format!(
        "{} {}: {} {}, {} share only",
        tally.submissions,
        plural(tally.submissions, "submission", "submissions"),
        tally.signatures,
        plural(tally.signatures, "signature", "signatures"),
        tally.share_only,
    )];
    if let Some((first, last)) = tally.days {
        lines.push(format!("received from {first} to {last}"));
    }
    if options.withdrawn > 0 {
        lines.push(format!(
            "{} withdrawn {} left out",
            options.withdrawn,
            plural(options.withdrawn, "record", "records")
        ));
    }
    let written: usize = tally.testimonies.iter().map(|t| t.answered).sum();
    if written > 0 && !options.include_testimonies {
        lines.push(format!(
            "{written} {} not in the report (add --include-testimonies to include {})",
            plural(written, "testimony", "testimonies"),
            plural(written, "it", "them"),
        ));
    } else if written > 0 {
        lines.push(format!(
            "{written} {} in the report: it holds plaintext testimony",
            plural(written, "testimony", "testimonies"),
        ));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The report as one HTML document, written to `out`. With [`Options::include_testimonies`],
/// `testimonies(name, out)` writes every record's answer to the long text `name` (each as
/// [`testimony_block`] writes it), in order; it may empty `out` first, having written it out.
pub fn html(
    tally: &Tally<'_>,
    options: &Options,
    out: &mut SecretBuf,
    mut testimonies: impl FnMut(&str, &mut SecretBuf) -> io::Result<()>,
) -> io::Result<()> {
    let title = tally.main.map(|w| w.title());
    let lang = tally.main.map(|w| w.language());

    out.write_all(b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")?;
    out.write_all(b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")?;
    out.write_all(b"<meta name=\"referrer\" content=\"no-referrer\">\n<title>")?;
    push_text(out, &page_title(title), LineFeeds::Escape);
    out.write_all(b"</title>\n<style>\n")?;
    out.write_all(CSS.as_bytes())?;
    out.write_all(b"</style>\n</head>\n<body>\n<main>\n<h1>Report")?;
    if let Some(title) = title {
        out.write_all(b": ")?;
        open_lang(out, "span", lang)?;
        push_text(out, title, LineFeeds::Escape);
        out.write_all(b"</span>")?;
    }
    out.write_all(b"</h1>\n")?;
    intro(out, tally, options)?;

    out.write_all(b"<section aria-labelledby=\"totals\">\n<h2 id=\"totals\">Totals</h2>\n")?;
    out.write_all(b"<dl class=\"totals\">\n")?;
    for (name, count) in [
        ("Submissions", tally.submissions),
        ("Signatures", tally.signatures),
        ("Share only", tally.share_only),
    ] {
        writeln!(out, "<dt>{name}</dt><dd>{count}</dd>")?;
    }
    out.write_all(b"</dl>\n")?;
    for (index, chart) in tally.charts.iter().enumerate() {
        // The first chart (what people chose) is part of the totals, under a smaller heading.
        let heading = if index == 0 { "h3" } else { "h2" };
        if index > 0 {
            writeln!(out, "<section aria-labelledby=\"chart-{index}-heading\">")?;
        }
        write!(out, "<{heading} id=\"chart-{index}-heading\"")?;
        lang_attribute(out, chart.lang.as_deref())?;
        out.write_all(b">")?;
        push_text(out, &chart.title, LineFeeds::Escape);
        writeln!(out, "</{heading}>")?;
        out.write_all(b"<p class=\"note\">")?;
        push_text(out, &chart.note, LineFeeds::Escape);
        out.write_all(b"</p>\n")?;
        svg_chart(out, index, chart)?;
        out.write_all(b"</section>\n")?;
    }
    testimonies_section(out, tally, options, &mut testimonies)?;
    out.write_all(
        b"</main>\n<footer><p>Made on an organizer's computer by <code>sealform-keytool report</code>. \
          It holds what people entrusted to the organizers: keep it on an encrypted disk, share it \
          only with those who need it, and delete it when done.</p></footer>\n</body>\n</html>\n",
    )?;
    Ok(())
}

/// The document's title.
fn page_title(title: Option<&str>) -> String {
    match title {
        Some(title) => format!("Report: {title}"),
        None => "Report".to_owned(),
    }
}

/// What was counted and what was left out.
fn intro(out: &mut SecretBuf, tally: &Tally<'_>, options: &Options) -> io::Result<()> {
    out.write_all(b"<p>")?;
    let n = tally.submissions;
    write!(
        out,
        "{n} {} from the vault",
        plural(n, "submission", "submissions")
    )?;
    if let Some((first, last)) = tally.days {
        write!(out, ", received from {first} to {last}")?;
    }
    out.write_all(b".")?;
    if options.withdrawn > 0 {
        let w = options.withdrawn;
        write!(
            out,
            " {w} withdrawn {} left out.",
            plural(w, "record was", "records were")
        )?;
    }
    if options.failed > 0 {
        let f = options.failed;
        write!(
            out,
            " {f} {} not be opened and {} not counted (the key tool said why).",
            plural(f, "record could", "records could"),
            plural(f, "is", "are")
        )?;
    }
    if tally.uncampaigned > 0 {
        let u = tally.uncampaigned;
        write!(
            out,
            " {u} {} no campaign file in the vault: {} answers are counted by their codes.",
            plural(u, "record has", "records have"),
            plural(u, "its", "their")
        )?;
    }
    out.write_all(b"</p>\n")
}

/// The testimonies, or only how many there are.
fn testimonies_section(
    out: &mut SecretBuf,
    tally: &Tally<'_>,
    options: &Options,
    testimonies: &mut impl FnMut(&str, &mut SecretBuf) -> io::Result<()>,
) -> io::Result<()> {
    if tally.testimonies.is_empty() {
        return Ok(());
    }
    out.write_all(
        b"<section aria-labelledby=\"testimonies\">\n<h2 id=\"testimonies\">Testimonies</h2>\n",
    )?;
    for (index, question) in tally.testimonies.iter().enumerate() {
        write!(out, "<h3 id=\"testimony-{index}\"")?;
        lang_attribute(out, question.lang.as_deref())?;
        out.write_all(b">")?;
        push_text(out, &question.label, LineFeeds::Escape);
        out.write_all(b"</h3>\n<p class=\"note\">")?;
        let n = question.answered;
        write!(out, "{n} {}", plural(n, "answer", "answers"))?;
        if !options.include_testimonies && n > 0 {
            out.write_all(
                b", not in this report: make it again with --include-testimonies to include them",
            )?;
        }
        out.write_all(b".</p>\n")?;
        if options.include_testimonies {
            testimonies(&question.name, out)?;
        }
    }
    out.write_all(b"</section>\n")
}

/// One testimony, as the report shows it: in a block of its own, its direction its own.
pub fn testimony_block(out: &mut SecretBuf, text: &str) {
    out.extend(b"<blockquote class=\"testimony\" dir=\"auto\">");
    push_text(out, text, LineFeeds::Keep);
    out.extend(b"</blockquote>\n");
}

/// Width of a chart, in SVG units; the widest bar; the height of one row (label above its bar).
const CHART_WIDTH: usize = 640;
const BAR_MAX: usize = 500;
const ROW: usize = 44;
/// Labels longer than this are cut short in the chart (the `<desc>` has them whole).
const LABEL_CHARS: usize = 80;

/// One chart as inline SVG: per bar, its label above it and its number after it, as text; a
/// `<title>` and a `<desc>` with every number for screen readers.
fn svg_chart(out: &mut SecretBuf, index: usize, chart: &Chart) -> io::Result<()> {
    if chart.bars.is_empty() {
        return out.write_all(b"<p>Nothing to count yet.</p>\n");
    }
    let height = chart.bars.len() * ROW + 4;
    let most = chart.bars.iter().map(|bar| bar.count).max().unwrap_or(0);
    write!(
        out,
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-{index}-title chart-{index}-desc\" \
         viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" height=\"{height}\" \
         preserveAspectRatio=\"xMinYMin meet\""
    )?;
    lang_attribute(out, chart.lang.as_deref())?;
    write!(out, ">\n<title id=\"chart-{index}-title\">")?;
    push_text(out, &chart.title, LineFeeds::Escape);
    write!(out, "</title>\n<desc id=\"chart-{index}-desc\">")?;
    for (at, bar) in chart.bars.iter().enumerate() {
        if at > 0 {
            out.write_all(b"; ")?;
        }
        push_text(out, &bar.label, LineFeeds::Escape);
        write!(out, ": {}", count_text(bar))?;
    }
    out.write_all(b"</desc>\n")?;
    for (at, bar) in chart.bars.iter().enumerate() {
        let top = at * ROW;
        // A bar out of a number of its own (a consent: of those asked) is as long as its share
        // of that number; the others are measured against the longest.
        let width = match (bar.count, bar.of.unwrap_or(most)) {
            (0, _) | (_, 0) => 0,
            (count, whole) => (count * BAR_MAX / whole).max(2),
        };
        write!(out, "<text class=\"label\" x=\"0\" y=\"{}\">", top + 15)?;
        push_text(out, &shortened(&bar.label), LineFeeds::Escape);
        write!(
            out,
            "</text>\n<rect class=\"bar\" x=\"0\" y=\"{}\" width=\"{width}\" height=\"16\"/>\n\
             <text class=\"count\" x=\"{}\" y=\"{}\">{}</text>\n",
            top + 21,
            width + 6,
            top + 34,
            count_text(bar)
        )?;
    }
    out.write_all(b"</svg>\n")
}

/// A bar's number as shown: `12`, or `12 of 30`.
fn count_text(bar: &Bar) -> String {
    match bar.of {
        Some(of) => format!("{} of {of}", bar.count),
        None => bar.count.to_string(),
    }
}

/// `label`, cut to [`LABEL_CHARS`] characters with an ellipsis.
fn shortened(label: &str) -> Zeroizing<String> {
    if label.chars().count() <= LABEL_CHARS {
        return Zeroizing::new(label.to_owned());
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    Zeroizing::new(short)
}

/// `<tag lang="…">` (or `<tag>`).
fn open_lang(out: &mut SecretBuf, tag: &str, lang: Option<&str>) -> io::Result<()> {
    write!(out, "<{tag}")?;
    lang_attribute(out, lang)?;
    out.write_all(b">")
}

/// ` lang="…"`, escaped, when there is a language.
fn lang_attribute(out: &mut SecretBuf, lang: Option<&str>) -> io::Result<()> {
    if let Some(lang) = lang {
        out.write_all(b" lang=\"")?;
        push_text(out, lang, LineFeeds::Escape);
        out.write_all(b"\"")?;
    }
    Ok(())
}

/// Appends `text` as HTML text or attribute value: shown as on a terminal (see the module
/// documentation), then with `& < > " '` as character references.
fn push_text(out: &mut SecretBuf, text: &str, line_feeds: LineFeeds) {
    let shown = escape::for_terminal(text, line_feeds);
    let mut rest = shown.as_str();
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.extend(&rest.as_bytes()[..at]);
        out.extend(match rest.as_bytes()[at] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => b"&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.extend(rest.as_bytes());
}

/// The report's whole style: no `url()`, no `@import`, no web font, nothing fetched.
const CSS: &str = "\
:root { color-scheme: light dark; --ink: #1b1b1b; --paper: #ffffff; --muted: #555555; --bar: #2f5da8; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #ececec; --paper: #171717; --muted: #b5b5b5; --bar: #8db2ff; }
}
body { margin: 0; color: var(--ink); background: var(--paper); font: 1rem/1.5 system-ui, sans-serif; }
main, footer { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
footer { color: var(--muted); border-top: 1px solid var(--muted); margin-top: 3rem; }
h1 { font-size: 1.6rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; }
.note { color: var(--muted); margin-top: 0; }
dl.totals { display: grid; grid-template-columns: max-content max-content; gap: 0.2rem 1.5rem; }
dl.totals dt { font-weight: 600; }
dl.totals dd { margin: 0; font-variant-numeric: tabular-nums; }
svg.chart { display: block; width: 100%; max-width: 40rem; height: auto; font: 14px system-ui, sans-serif; }
svg.chart text { fill: var(--ink); }
svg.chart .bar { fill: var(--bar); }
svg.chart .count { font-variant-numeric: tabular-nums; }
.testimony { white-space: pre-wrap; overflow-wrap: anywhere; margin: 1rem 0; padding: 0.25rem 0 0.25rem 0.9rem; border-inline-start: 4px solid var(--bar); }
@media print { svg.chart .bar { fill: #555555; } .testimony { break-inside: avoid; } }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_inverts_from_days_since_epoch() {
        for days in [
            -800_000, -1, 0, 1, 59, 60, 365, 11_016, 20_000, 20_786, 2_932_896,
        ] {
            assert_eq!(days_since_epoch(Day::from_days_since_epoch(days)), days);
        }
        assert_eq!(days_since_epoch("2026-11-28".parse().unwrap()), 20_785);
    }

    #[test]
    fn text_is_escaped_for_html_after_the_terminal() {
        let mut out = SecretBuf::new();
        push_text(
            &mut out,
            "<script>alert('x')</script> & \"q\" \u{202e}evil\x1b[2J\nline",
            LineFeeds::Keep,
        );
        assert_eq!(
            std::str::from_utf8(out.expose()).unwrap(),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \\u{202e}evil\\u{1b}[2J\nline"
        );
        let mut out = SecretBuf::new();
        push_text(&mut out, "a\nb", LineFeeds::Escape);
        assert_eq!(out.expose(), b"a\\u{a}b");
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        let long = "é".repeat(100);
        let short = shortened(&long);
        assert_eq!(short.chars().count(), LABEL_CHARS);
        assert!(short.ends_with('…'));
        assert_eq!(*shortened("Individual"), "Individual");
    }
}
