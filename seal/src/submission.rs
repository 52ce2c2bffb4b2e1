use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::{Day, Error, FORMAT_VERSION};

/// One person's answers to a campaign's form. Holds plaintext: it is neither `Clone` nor
/// `Serialize`, prints as `Submission(..redacted..)` and is wiped from memory on drop. The only
/// way to its bytes is [`crate::seal`], or the explicitly named accessors below.
pub struct Submission {
    campaign: String,
    /// The SHA-256 (hex) of the campaign file the form was built from; `None` in version 1
    /// records, which predate it.
    campaign_version: Option<String>,
    /// The SHA-256 (hex) of the withdrawal receipt the person was shown, if they were shown one.
    receipt: Option<String>,
    language: String,
    received: Day,
    fields: Vec<Field>,
}

/// One answered question: the field's name in the campaign and its value.
pub struct Field {
    name: String,
    value: FieldValue,
}

/// The value of one form field.
#[derive(PartialEq, Eq, Zeroize)]
pub enum FieldValue {
    /// Free text: short text, e-mail, postal code or long text. Empty when left blank.
    Text(String),
    /// The one option picked from a single choice; empty when none was picked.
    Choice(String),
    /// The options picked from a multi choice, in the form's order.
    Choices(Vec<String>),
    /// A consent checkbox.
    Consent(bool),
}

impl Submission {
    /// A submission to version `campaign_version` of `campaign`, filled in `language`,
    /// received on `received`.
    pub fn new(
        campaign: String,
        campaign_version: String,
        language: String,
        received: Day,
        fields: Vec<Field>,
    ) -> Self {
        Self {
            campaign,
            campaign_version: Some(campaign_version),
            receipt: None,
            language,
            received,
            fields,
        }
    }

    /// The campaign's id.
    pub fn campaign(&self) -> &str {
        &self.campaign
    }

    /// The version of the campaign's file the questions came from: the SHA-256 of the file,
    /// in hex. `None` for version 1 records.
    pub fn campaign_version(&self) -> Option<&str> {
        self.campaign_version.as_deref()
    }

    /// The same submission, carrying the SHA-256 (64 lowercase hex digits) of the withdrawal
    /// receipt shown to the person. With it, a receipt proves which record is whose, without
    /// anything on the host able to forge that proof.
    pub fn with_receipt(mut self, receipt_sha256: String) -> Self {
        self.receipt = Some(receipt_sha256);
        self
    }

    /// The SHA-256 of the person's withdrawal receipt, in hex, if the record carries one.
    pub fn receipt(&self) -> Option<&str> {
        self.receipt.as_deref()
    }

    /// The language tag the form was filled in, e.g. `en`.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The UTC day the server received it.
    pub fn received(&self) -> Day {
        self.received
    }

    /// The answers, in the form's order. Named to make reading plaintext a visible act.
    pub fn expose_fields(&self) -> &[Field] {
        &self.fields
    }

    /// The answer to the field called `name`, if the form had one.
    pub fn expose_field(&self, name: &str) -> Option<&FieldValue> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }

    /// The plaintext JSON, unpadded, wiped on drop.
    pub(crate) fn to_json(&self) -> Zeroizing<Vec<u8>> {
        let wire = WireSubmissionRef {
            // A version 1 submission (opened from an old record) keeps its layout.
            v: match self.campaign_version {
                Some(_) => FORMAT_VERSION,
                None => 1,
            },
            campaign: &self.campaign,
            campaign_version: self.campaign_version.as_deref(),
            receipt: self.receipt.as_deref(),
            lang: &self.language,
            received: self.received.to_string(),
            fields: self.fields.iter().map(WireFieldRef::from).collect(),
        };
        // Sized for the whole JSON at once: each time a growing buffer moves, the copy it
        // leaves is one more to wipe.
        let mut json = Zeroizing::new(Vec::with_capacity(self.json_size_estimate()));
        serde_json::to_writer(&mut *json, &wire).expect("serializing plain strings cannot fail");
        json
    }

    /// A little more than the JSON of this submission takes, unless its text is full of
    /// characters JSON escapes (quotes, backslashes, line breaks).
    fn json_size_estimate(&self) -> usize {
        let fields: usize = self
            .fields
            .iter()
            .map(|field| {
                let value = match &field.value {
                    FieldValue::Text(text) | FieldValue::Choice(text) => text.len(),
                    FieldValue::Choices(choices) => choices.iter().map(|c| c.len() + 3).sum(),
                    FieldValue::Consent(_) => 5,
                };
                field.name.len() + value + 48
            })
            .sum();
        let around = self.campaign.len()
            + self.campaign_version.as_ref().map_or(0, String::len)
            + self.receipt.as_ref().map_or(0, String::len)
            + self.language.len();
        fields + around + 160
    }

    /// Parses unpadded plaintext JSON of this version's layout, or version 1's (the same
    /// without `campaign_version`). Another version is named as such, whatever its shape.
    pub(crate) fn from_json(json: &[u8]) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct VersionOnly {
            v: u64,
        }
        let supported = |v: u64| (1..=u64::from(FORMAT_VERSION)).contains(&v);
        // One pass in the usual case; the version alone is read only to say why a record that
        // does not have this shape failed (a reading of the version first was 2.5 % of the key
        // tool's time).
        let wire: WireSubmission = match serde_json::from_slice(json) {
            Ok(wire) => wire,
            Err(wire_error) => {
                let version: VersionOnly =
                    serde_json::from_slice(json).map_err(|e| Error::Malformed(shape_only(&e)))?;
                if !supported(version.v) {
                    return Err(Error::UnsupportedVersion { found: version.v });
                }
                return Err(Error::Malformed(shape_only(&wire_error)));
            }
        };
        let version = wire.v;
        if !supported(version) {
            return Err(Error::UnsupportedVersion { found: version });
        }
        match (version, &wire.campaign_version) {
            (1, None) if wire.receipt.is_none() => {}
            (1, _) => {
                return Err(Error::Malformed(
                    "not a version 1 submission: it has a campaign_version or a receipt".into(),
                ));
            }
            (_, Some(hash))
                if is_sha256_hex(hash) && wire.receipt.as_deref().is_none_or(is_sha256_hex) => {}
            (_, _) => {
                return Err(Error::Malformed(format!(
                    "not a version {FORMAT_VERSION} submission: campaign_version is missing, or \
                     it or receipt is not a SHA-256 in lowercase hex"
                )));
            }
        }
        let received = wire.received.parse()?;
        Ok(Self {
            campaign: wire.campaign,
            campaign_version: wire.campaign_version,
            receipt: wire.receipt,
            language: wire.lang,
            received,
            fields: wire
                .fields
                .into_iter()
                .map(|f| Field {
                    name: f.name,
                    value: f.value,
                })
                .collect(),
        })
    }
}

/// 64 lowercase hexadecimal digits.
fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// serde_json's messages can quote input ("invalid type: string \"…\""); keep only where.
fn shape_only(e: &serde_json::Error) -> String {
    format!(
        "not a version 1 or {FORMAT_VERSION} submission (JSON error at line {} column {})",
        e.line(),
        e.column()
    )
}

impl Drop for Submission {
    fn drop(&mut self) {
        self.campaign.zeroize();
        self.campaign_version.zeroize();
        self.receipt.zeroize();
        self.language.zeroize();
        // Field's own Drop wipes each field.
    }
}

impl fmt::Debug for Submission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Submission(..redacted..)")
    }
}

impl Field {
    /// A field called `name` with `value`.
    pub fn new(name: impl Into<String>, value: FieldValue) -> Self {
        Self {
            name: name.into(),
            value,
        }
    }

    /// The field's name in the campaign (not secret).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The answer. Named to make reading plaintext a visible act.
    pub fn expose_value(&self) -> &FieldValue {
        &self.value
    }
}

impl Drop for Field {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({}: ..redacted..)", self.name)
    }
}

impl fmt::Debug for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FieldValue(..redacted..)")
    }
}

// The serialized shapes. Kept private so that plaintext types themselves never implement
// `Serialize`; the layout is documented at the crate root and frozen for each version.

#[derive(Serialize)]
struct WireSubmissionRef<'a> {
    v: u32,
    campaign: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    campaign_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    receipt: Option<&'a str>,
    lang: &'a str,
    received: String,
    fields: Vec<WireFieldRef<'a>>,
}

#[derive(Serialize)]
struct WireFieldRef<'a> {
    name: &'a str,
    #[serde(flatten)]
    value: WireValueRef<'a>,
}

#[derive(Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
enum WireValueRef<'a> {
    Text(&'a str),
    Choice(&'a str),
    Choices(&'a [String]),
    Consent(bool),
}

impl<'a> From<&'a Field> for WireFieldRef<'a> {
    fn from(field: &'a Field) -> Self {
        let value = match &field.value {
            FieldValue::Text(text) => WireValueRef::Text(text),
            FieldValue::Choice(choice) => WireValueRef::Choice(choice),
            FieldValue::Choices(choices) => WireValueRef::Choices(choices),
            FieldValue::Consent(consent) => WireValueRef::Consent(*consent),
        };
        Self {
            name: &field.name,
            value,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireSubmission {
    v: u64,
    campaign: String,
    campaign_version: Option<String>,
    receipt: Option<String>,
    lang: String,
    received: String,
    fields: Vec<WireField>,
}

/// One field as written: `{"name":…,"kind":…,"value":…}`. Read by hand rather than with
/// `#[serde(flatten)]`, which copies every field into serde's generic buffer first: that copy
/// was a tenth of the key tool's time opening records.
struct WireField {
    name: String,
    value: FieldValue,
}

impl<'de> Deserialize<'de> for WireField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(WireFieldVisitor)
    }
}

struct WireFieldVisitor;

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Text,
    Choice,
    Choices,
    Consent,
}

/// A value read before its kind (never written so, but valid JSON for the same field).
#[derive(Deserialize)]
#[serde(untagged)]
enum LooseValue {
    Text(String),
    Choices(Vec<String>),
    Consent(bool),
}

impl<'de> serde::de::Visitor<'de> for WireFieldVisitor {
    type Value = WireField;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field with a name, a kind and a value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<WireField, A::Error> {
        use serde::de::Error as _;
        let (mut name, mut kind, mut value, mut early) = (None, None, None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "name" => name = Some(map.next_value::<String>()?),
                "kind" => kind = Some(map.next_value::<Kind>()?),
                "value" => match &kind {
                    Some(Kind::Text) => value = Some(FieldValue::Text(map.next_value()?)),
                    Some(Kind::Choice) => value = Some(FieldValue::Choice(map.next_value()?)),
                    Some(Kind::Choices) => value = Some(FieldValue::Choices(map.next_value()?)),
                    Some(Kind::Consent) => value = Some(FieldValue::Consent(map.next_value()?)),
                    None => early = Some(map.next_value::<LooseValue>()?),
                },
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let value = match (value, kind, early) {
            (Some(value), _, _) => value,
            (None, Some(kind), Some(early)) => match (kind, early) {
                (Kind::Text, LooseValue::Text(text)) => FieldValue::Text(text),
                (Kind::Choice, LooseValue::Text(choice)) => FieldValue::Choice(choice),
                (Kind::Choices, LooseValue::Choices(choices)) => FieldValue::Choices(choices),
                (Kind::Consent, LooseValue::Consent(consent)) => FieldValue::Consent(consent),
                _ => return Err(A::Error::custom("a field's value does not match its kind")),
            },
            (None, None, _) => return Err(A::Error::missing_field("kind")),
            (None, Some(_), None) => return Err(A::Error::missing_field("value")),
        };
        let name = name.ok_or_else(|| A::Error::missing_field("name"))?;
        Ok(WireField { name, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERSION: &str = "5f1d3f6c1b1e0a4d8e2c9b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c";

    fn sample() -> Submission {
        Submission::new(
            "open-letter".into(),
            VERSION.into(),
            "en".into(),
            "2026-11-28".parse().unwrap(),
            vec![
                Field::new("sign_as", FieldValue::Choice("individual".into())),
                Field::new("name", FieldValue::Text("Mai".into())),
                Field::new("actions", FieldValue::Choices(vec!["a".into(), "b".into()])),
                Field::new("consent_public", FieldValue::Consent(true)),
            ],
        )
    }

    #[test]
    fn json_layout_is_the_documented_one() {
        let json = sample().to_json();
        assert_eq!(
            std::str::from_utf8(&json).unwrap(),
            r#"{"v":2,"campaign":"open-letter","campaign_version":"5f1d3f6c1b1e0a4d8e2c9b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c","lang":"en","received":"2026-11-28","fields":[{"name":"sign_as","kind":"choice","value":"individual"},{"name":"name","kind":"text","value":"Mai"},{"name":"actions","kind":"choices","value":["a","b"]},{"name":"consent_public","kind":"consent","value":true}]}"#
        );
        let back = Submission::from_json(&json).unwrap();
        assert_eq!(
            back.expose_field("name"),
            Some(&FieldValue::Text("Mai".into()))
        );
        assert_eq!(back.expose_fields().len(), 4);
        assert_eq!(back.campaign_version(), Some(VERSION));
        assert_eq!(back.receipt(), None);
        let with_receipt = sample().with_receipt("ab".repeat(32));
        let back = Submission::from_json(&with_receipt.to_json()).unwrap();
        assert_eq!(back.receipt(), Some("ab".repeat(32).as_str()));
    }

    /// The JSON is written into one buffer sized beforehand: a buffer that grows moves, and
    /// leaves a copy of the answers behind each time.
    #[test]
    fn the_json_fits_the_buffer_sized_for_it() {
        let account =
            "他们说是来救我们的，可是把我们关了三天。\nThe raid came at night. ".repeat(60);
        let fields = vec![
            Field::new("harm", FieldValue::Text(account)),
            Field::new("email", FieldValue::Text("mai@example.org".into())),
            Field::new("actions", FieldValue::Choices(vec!["a".into(), "b".into()])),
            Field::new("consent_public", FieldValue::Consent(false)),
        ];
        let submission = Submission::new(
            "open-letter".into(),
            VERSION.into(),
            "zh".into(),
            "2026-11-28".parse().unwrap(),
            fields,
        )
        .with_receipt("ab".repeat(32));
        for submission in [sample(), submission] {
            let estimate = submission.json_size_estimate();
            let json = submission.to_json();
            assert!(json.len() <= estimate, "{} > {estimate}", json.len());
            assert_eq!(json.capacity(), estimate, "the buffer grew");
            // Not much more than needed either.
            assert!(estimate < json.len() + 512, "{estimate} for {}", json.len());
        }
    }

    #[test]
    fn version_1_records_still_open_without_a_campaign_version() {
        let v1 = br#"{"v":1,"campaign":"open-letter","lang":"en","received":"2026-11-28","fields":[{"name":"name","kind":"text","value":"Mai"}]}"#;
        let back = Submission::from_json(v1).unwrap();
        assert_eq!(back.campaign_version(), None);
        assert_eq!(
            back.expose_field("name"),
            Some(&FieldValue::Text("Mai".into()))
        );
    }

    #[test]
    fn a_version_must_match_its_layout() {
        let cases: [&[u8]; 5] = [
            br#"{"v":2,"campaign":"c","campaign_version":"0000000000000000000000000000000000000000000000000000000000000000","receipt":"xyz","lang":"en","received":"2026-11-28","fields":[]}"#,
            br#"{"v":1,"campaign":"c","campaign_version":"00","lang":"en","received":"2026-11-28","fields":[]}"#,
            br#"{"v":2,"campaign":"c","lang":"en","received":"2026-11-28","fields":[]}"#,
            br#"{"v":2,"campaign":"c","campaign_version":"ABC","lang":"en","received":"2026-11-28","fields":[]}"#,
            br#"{"v":3,"campaign":"c","lang":"en","received":"2026-11-28","fields":[]}"#,
        ];
        for json in cases {
            assert!(
                Submission::from_json(json).is_err(),
                "{}",
                String::from_utf8_lossy(json)
            );
        }
    }

    #[test]
    fn another_version_is_named_whatever_its_shape_and_a_known_one_gets_its_shape_error() {
        let unsupported = [
            // This version's shape.
            &br#"{"v":3,"campaign":"c","lang":"en","received":"2026-11-28","fields":[]}"#[..],
            // Another shape altogether.
            br#"{"v":3,"answers":{"name":"Mai"}}"#,
            br#"{"fields":7,"v":0}"#,
        ];
        for json in unsupported {
            let found = Submission::from_json(json).unwrap_err();
            assert!(
                matches!(found, Error::UnsupportedVersion { found: 0 | 3 }),
                "{}: {found:?}",
                String::from_utf8_lossy(json)
            );
        }
        let malformed = [
            // A known version with another shape: where the shape broke, not the version.
            &br#"{"v":2,"answers":{"name":"Mai"}}"#[..],
            br#"{"campaign":"c","lang":"en","received":"2026-11-28","fields":[]}"#,
            br#"{"v":"2"}"#,
            b"[]",
        ];
        for json in malformed {
            let found = Submission::from_json(json).unwrap_err();
            assert!(
                matches!(found, Error::Malformed(_)),
                "{}: {found:?}",
                String::from_utf8_lossy(json)
            );
        }
    }

    #[test]
    fn a_field_reads_the_same_whatever_the_order_of_its_keys() {
        let field = |body: &str| {
            let json = format!(
                r#"{{"v":1,"campaign":"c","lang":"en","received":"2026-11-28","fields":[{body}]}}"#
            );
            Submission::from_json(json.as_bytes())
        };
        let orders = [
            (
                r#"{"value":"Mai","kind":"text","name":"n"}"#,
                FieldValue::Text("Mai".into()),
            ),
            (
                r#"{"name":"n","value":"a","kind":"choice"}"#,
                FieldValue::Choice("a".into()),
            ),
            (
                r#"{"value":["a","b"],"name":"n","kind":"choices"}"#,
                FieldValue::Choices(vec!["a".into(), "b".into()]),
            ),
            (
                r#"{"kind":"consent","later":1,"name":"n","value":false}"#,
                FieldValue::Consent(false),
            ),
            (
                r#"{"value":true,"kind":"consent","name":"n"}"#,
                FieldValue::Consent(true),
            ),
        ];
        for (body, expected) in orders {
            let back = field(body).unwrap();
            assert_eq!(back.expose_fields()[0].expose_value(), &expected, "{body}");
        }
        let refused = [
            r#"{"value":"x","kind":"choices","name":"n"}"#,
            r#"{"value":"x","kind":"consent","name":"n"}"#,
            r#"{"name":"n","kind":"text"}"#,
            r#"{"name":"n","value":"x"}"#,
            r#"{"kind":"text","value":"x"}"#,
            r#"{"name":"n","kind":"list","value":"x"}"#,
            r#"{"name":"n","kind":"text","value":["x"]}"#,
        ];
        for body in refused {
            assert!(field(body).is_err(), "{body}");
        }
    }

    #[test]
    fn debug_never_prints_values() {
        let s = sample();
        assert_eq!(format!("{s:?}"), "Submission(..redacted..)");
        let printed = format!("{:?}", s.expose_fields());
        assert!(!printed.contains("Mai"), "{printed}");
    }

    #[test]
    fn malformed_json_errors_do_not_quote_content() {
        let err = Submission::from_json(br#"{"v":1,"campaign":"c","lang":"en","received":"2026-01-01","fields":[{"name":"x","kind":"text","value":7}],"secret":"do not echo"}"#)
            .unwrap_err();
        assert!(matches!(err, Error::Malformed(_)));
        assert!(!err.to_string().contains("do not echo"));
    }
}
