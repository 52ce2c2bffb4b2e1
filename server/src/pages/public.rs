//! The pages for taking answers back (`/withdraw`) and the public signatory list
//! (`/signatories`).

use askama::Template;

use super::texts::{SignatoriesTexts, WithdrawTexts};
use super::{Pages, render};

/// How many signatories one page of the public list shows: the letter page stays light, and
/// the list is read a page at a time.
pub const SIGNATORIES_PER_PAGE: usize = 50;

#[derive(Template)]
#[template(path = "withdraw.html")]
struct WithdrawPage<'a> {
    chrome: super::Chrome,
    t: &'static WithdrawTexts,
    /// What was typed, when it comes back.
    typed: &'a str,
    error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "signatories.html")]
struct SignatoriesPage<'a> {
    chrome: super::Chrome,
    t: &'static SignatoriesTexts,
    signatories: &'a [String],
    pages: usize,
    position: String,
    previous: Option<usize>,
    next: Option<usize>,
    /// `&lang=<tag>` for the page links, when the address named a language.
    lang_param: String,
    home_link: &'static str,
}

impl Pages<'_> {
    /// `GET /withdraw`: the receipt form; again with what was typed when it was not a receipt.
    pub fn withdraw(&self, typed: &str, not_a_receipt: bool) -> String {
        let t = self.texts();
        let title = t.page_title(t.withdraw.title, self.words().title().text);
        render(&WithdrawPage {
            chrome: self.chrome(title),
            t: &t.withdraw,
            typed,
            error: not_a_receipt.then_some(t.withdraw.bad),
        })
    }

    /// After a receipt was posted: the same words whether or not it matched.
    pub fn withdrawn(&self) -> String {
        let t = self.texts();
        self.message_page(t.withdraw.done.title, t.withdraw.done.body)
    }

    /// Page `page` (from 1) of the public list, whose entries are `all`, already in order.
    pub fn signatories(&self, all: &[String], page: usize) -> String {
        let t = self.texts();
        let pages = all.len().div_ceil(SIGNATORIES_PER_PAGE).max(1);
        let page = page.clamp(1, pages);
        let start = (page - 1) * SIGNATORIES_PER_PAGE;
        let shown = &all[start.min(all.len())..(start + SIGNATORIES_PER_PAGE).min(all.len())];
        let title = t.page_title(t.signatories.title, self.words().title().text);
        let query = self.choice.query();
        render(&SignatoriesPage {
            chrome: self.chrome(title),
            t: &t.signatories,
            signatories: shown,
            pages,
            position: t.signatories_page(page, pages),
            previous: (page > 1).then(|| page - 1),
            next: (page < pages).then(|| page + 1),
            lang_param: query
                .strip_prefix('?')
                .map_or(String::new(), |q| format!("&{q}")),
            home_link: t.home_link,
        })
    }
}
