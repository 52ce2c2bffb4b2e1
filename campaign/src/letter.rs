//! The letter: the campaign's Markdown rendered once, at load, into HTML that is safe to
//! insert as is.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Why a letter cannot be shown, and where in its Markdown.
#[derive(Debug, PartialEq, Eq)]
pub struct LetterProblem {
    /// Byte offset in the Markdown.
    pub offset: usize,
    /// What is wrong and how to fix it.
    pub reason: String,
}

/// Renders the letter's Markdown. Raw HTML becomes text; images (which would load from another
/// site) and links other than http(s), mailto or relative ones are refused.
pub fn render(markdown: &str) -> Result<String, LetterProblem> {
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(markdown, Options::empty()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Image { .. }) => {
                return Err(LetterProblem {
                    offset: range.start,
                    reason: "the letter has an image; images would load from another site, so \
                             sealform does not show them: remove it"
                        .into(),
                });
            }
            Event::Start(Tag::Link { dest_url, .. }) if !link_allowed(dest_url) => {
                return Err(LetterProblem {
                    offset: range.start,
                    reason: format!(
                        "the letter links to \"{dest_url}\"; only https://, http://, mailto: and \
                         relative links are allowed"
                    ),
                });
            }
            _ => {}
        }
        events.push(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        });
    }
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

fn link_allowed(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        || !lower
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_and_relative_links_pass() {
        for good in [
            "https://a.example",
            "HTTP://a",
            "mailto:x@y",
            "/sign",
            "page?x=a:b",
            "#top",
        ] {
            assert!(link_allowed(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            " data:text/html,x",
            "file:///etc/passwd",
            "tel:1",
        ] {
            assert!(!link_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn problems_carry_their_offset() {
        let problem = render("Hi.\n\n![x](https://t.example/p.png)").unwrap_err();
        assert_eq!(problem.offset, 5);
    }
}
