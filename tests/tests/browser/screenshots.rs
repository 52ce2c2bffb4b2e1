//! Full-page screenshots of the letter page on a phone and a desktop, in English and Simplified
//! Chinese, written to `target/tmp/screenshots/` (the documentation shows copies of them).
//!
//! To refresh docs/screenshots/ after a change to the pages:
//!
//! ```sh
//! cargo build --workspace && cargo test -p sealform-e2e --test browser screenshots
//! cp target/tmp/screenshots/*.png docs/screenshots/
//! ```
//!
//! Chinese needs a font with its glyphs (Debian's fonts-noto-cjk), or it shows as boxes.

use std::path::PathBuf;
use std::process::Command;

use super::support::Site;
use super::support::webdriver::{Browser, Javascript, Screen};
use super::{MIN_FORM_SECS, lang_query};

#[tokio::test]
async fn the_letter_page_on_a_phone_and_a_desktop_in_english_and_chinese() {
    let Some(browser) = Browser::start_with(Javascript::Off).await else {
        return;
    };
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", MIN_FORM_SECS]);
    // Without a font that has its glyphs, Chinese shows as boxes: CI installs one.
    let fonts = Command::new("fc-list").arg(":lang=zh-cn").output();
    if !fonts.is_ok_and(|out| !out.stdout.is_empty()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "no font with Chinese glyphs: apt-get install fonts-noto-cjk"
        );
        eprintln!("the Chinese screenshots show boxes: apt-get install fonts-noto-cjk");
    }
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&folder).unwrap();

    for lang in ["en", "zh-Hans"] {
        for (device, screen) in [("phone", Screen::PHONE), ("desktop", Screen::DESKTOP)] {
            browser.emulate(screen).await;
            browser
                .goto(&format!("{}/{}", server.base, lang_query(lang)))
                .await;
            let png = browser.full_page_screenshot().await;
            let (width, height) = png_size(&png);
            assert_eq!(
                width,
                screen.width * screen.scale,
                "{lang} {device}: the screenshot is not as wide as the screen"
            );
            assert!(
                height > 2 * screen.height * screen.scale,
                "{lang} {device}: {height} px is not the whole page (the letter and the form)"
            );
            let path = folder.join(format!("{lang}-{device}.png"));
            std::fs::write(&path, &png).unwrap();
            eprintln!("wrote {} ({width} × {height})", path.display());
        }
    }
    browser.quit().await;
    server.stop();
}

/// The width and height a PNG file declares in its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG"
    );
    let number = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}
