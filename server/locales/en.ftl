# English: the reference. Every other file has exactly these message ids and uses only the
# variables used here (server/tests/locales.rs checks). One message is one line: Fluent keeps
# line breaks inside a message, and the pages are compared byte for byte in tests.
# Numbers arrive already grouped ($shown, $length, $limit); $count and $seconds are the plain
# numbers, for choosing the plural form only.

## The language menu

# This language's name, written in itself, for the menu on every page.
language-name = English
# The accessible name of the language menu.
languages-label = Language

## Around every page

# The first link of every page, for keyboard and screen-reader users: it skips the menus.
skip-link = Skip to the main content
# A link at the top of every page that opens an ordinary website in this tab, for someone who
# must hide the page quickly.
leave-quickly = Leave this site quickly
# The link to the privacy page, at the foot of every page.
privacy-link = Privacy: who can read your answers
shared-device-note = On a shared phone or computer, open this page in a private window (also called incognito), so that it is not kept in the browser’s history, and close the window when you are done.

## The letter page

sign-heading = Sign the letter
signatures = { $count ->
    [one] 1 person or organization has signed.
   *[other] { $shown } people and organizations have signed.
}
privacy-notice = Your answers are encrypted the moment they arrive: only the organizers of this letter can read them, not the company hosting this site. The site keeps no record of your internet address, your device or the time you sent the form, and uses no cookies, scripts or trackers.
privacy-notice-link = How your answers are protected
# The first question, when the letter also collects accounts of what happened.
intent-label = What would you like to do?
intent-sign = Sign the letter
intent-sign-and-share = Sign the letter and share what happened
intent-share = Only share what happened, without signing
intent-help = If you only share what happened, you are not asked for your name or how to reach you, and you are not counted as a signature.
part-signature = Your signature
part-signature-help = For people who sign. If you only share what happened, skip this part: nothing typed here is kept.
part-testimony = What happened
part-testimony-help = For people who share what happened. You do not need to name yourself or anyone else.
optional-marker = (optional)
# Shown instead of the form when the organizers have closed the letter; also the page for a
# form sent after that.
campaign-closed-title = This letter is closed
campaign-closed-body = It no longer takes signatures or accounts of what happened, and nothing was saved. Thank you to everyone who signed and shared. You can still read the letter.
# Shown when the page is in another language than the campaign's letter and questions.
# $language: the campaign's language, named in itself (or its tag).
campaign-language-note = The letter and the questions are shown as the organizers wrote them, in their own language ({ $language }); their translation is awaited from the organizers. Everything else on this page is in English.
required-marker = (required)
# $option: the label of the choice that makes this question required, as the campaign wrote it.
required-if = (required if you chose “{ $option }”)
# After the question where people share what happened: only they must answer it.
required-to-share = (required if you share what happened)
submit = Send
# A field people never see; bots fill it in. A text browser shows this label.
honeypot-label = Leave this empty
error-summary-heading = Please check your answers
# One line of the list of problems: $question is the question as the campaign wrote it,
# $problem what is wrong with the answer.
error-summary-item = { $question }: { $problem }
# The page title when the form comes back with problems. $title: the campaign's title.
error-title = Please check your answers: { $title }
# The title of every other page. $heading: the page's heading; $campaign: the campaign's title.
page-title = { $heading } — { $campaign }
home-link = Go to the letter

## Problems with one answer, shown next to it

required = Please answer this question.
choose-one = Please choose one of the options.
choose-at-least-one = Please tick at least one of the options.
not-an-option = Please choose from the options shown (the form sent one it does not have).
control-character = This answer contains an invisible control character (often from text copied elsewhere, or a line break in a one-line answer), which cannot be saved. Please delete and retype the part you pasted — the rest of your text is kept below.
bad-email = This does not look like an email address: it needs one @ with something on each side, and no spaces. You can also leave it empty.
bad-postal-code = A postal code has only letters, digits, spaces and hyphens. You can also leave it empty.
bad-checkbox = This checkbox sent an unexpected value. Please tick or untick it again.
must-tick = Please tick this box to continue.
# $length and $limit: numbers of characters, already grouped.
# The testimony was written, but the person chose only to sign.
written-but-not-shared = You chose only to sign the letter, so this text would not be sent. To send it, choose “{ intent-sign-and-share }” at the top of the form; to sign only, empty this box.
too-long = This answer is { $length } characters; the limit is { $limit }. Please shorten it — your text is kept below.

## A form that could not be read (the 400 page)

damaged-form = The form’s data was damaged on the way, so nothing was saved. Please go back and press Send again.
not-utf8 = The form’s text could not be read (it was not sent as UTF-8), so nothing was saved. Please go back and send it again, if you can from an up-to-date browser.
nul-byte = The form contained a character that cannot be saved (a NUL byte), so nothing was saved. Please go back, remove any unusual characters you pasted, and send again.
# $name: the field's name in the form (a short code such as "email").
duplicate-field = The form sent the field “{ $name }” twice, which happens when a browser extension or an old copy of the page changes the form. Nothing was saved. Please go back, reload the page, and fill it in again.
# $name: the unknown field's name, when it is safe to repeat.
unknown-field-named = The form sent a field called “{ $name }” that this form does not have, which happens when a browser extension or an old copy of the page changes the form. Nothing was saved. Please go back, reload the page, and fill it in again.
unknown-field = The form sent a field that this form does not have, which happens when a browser extension or an old copy of the page changes the form. Nothing was saved. Please go back, reload the page, and fill it in again.

## Notices above a form that comes back

token-missing = The form arrived without its security code, so nothing was saved yet. Your answers are kept below — please press Send again.
token-invalid = This copy of the form is out of date (the site may have restarted), so nothing was saved yet. Your answers are kept below — please press Send again.
token-too-young = Please wait a moment and press Send again — your answers are kept.
token-expired = This form was open for a long time, so it had to be refreshed and nothing was saved yet. Your answers are kept below — please press Send again.
resent-other-answers = This form was already sent, and the answers sent then were received. The changed answers below were not saved. If you want them saved too, press Send again: that adds a second, separate submission.
# $seconds: the plain number (at least 1); $shown: the same number, grouped.
rate-limited-notice = Many forms were sent from your connection in a short time, so yours was not saved yet. Your answers are kept below — please press Send again in { $seconds ->
    [one] 1 second
   *[other] { $shown } seconds
}.
not-saved = Your answers could not be saved just now because of a problem on the server, so nothing was saved. Your answers are kept below — please press Send again in a minute.
short-of-space = Your answers could not be saved just now: the server is short of storage space. Nothing was saved. Your answers are kept below — please press Send again later (in an hour, or tomorrow), and keep this page open until then.

## Pages: a title, and what happened and what to do

thanks-title = Thank you
thanks-body = Your answers arrived and were encrypted at once, so only the organizers of this letter can read them. You can close this page now.
receipt-heading = Your receipt
receipt-body = With this receipt you can take back what you sent, on the page “{ withdraw-title }”. Keep it somewhere safe, or do not keep it at all: anyone who has it can take your answers back, and nothing else on this site links them to you.
receipt-link = Take back what you sent
support-heading = If you need support
# $languages: the languages a support service works in, as the campaign wrote them.
support-languages = Languages: { $languages }
bad-request-title = The form could not be read
bad-request-body = What arrived was not a form this site can read, so nothing was saved. Please go back, reload the page, and try again.
not-found-title = Page not found
not-found-body = There is no page at this address. The letter and its form are on the front page.
too-large-title = Your answers are too long to send
too-large-body = Nothing was saved. Your text is still in the form: use your browser’s Back button, shorten the longest answer, and press Send again.
unsupported-media-type-title = The form could not be read
unsupported-media-type-body = What arrived was not sent the way a web form is sent, so nothing was saved. Please go back and press Send again from the form page.
server-error-title = Something went wrong on our side
server-error-body = Your answers were not saved. Your text is still in the form: use your browser’s Back button and press Send again in a few minutes.
method-not-allowed-title = This address does not take that request
method-not-allowed-body = Nothing was saved. The letter and its form are on the front page.
headers-too-large-title = Your browser sent more than this site reads
headers-too-large-body = Nothing was saved: the request carried too much extra information (very large cookies or headers, often from a browser extension). Your text is still in the form: go back and send again, or use a private window.
timeout-title = Your answers took too long to arrive
timeout-body = Nothing was saved; the connection was too slow. Your text is still in the form: use your browser’s Back button and press Send again.
unavailable-title = Your answers could not be saved just now
unavailable-body = Nothing was saved: the server is very busy or has a problem. Your text is still in the form: use your browser’s Back button and press Send again in a minute.
rate-limited-title = Please wait a little
# $seconds: the plain number (at least 1); $shown: the same number, grouped.
rate-limited = Many forms were sent from your connection in a short time, so this one was not saved yet. Your text is still in the form: go back with your browser’s Back button and send again in { $seconds ->
    [one] 1 second
   *[other] { $shown } seconds
}.

## The privacy page

privacy-title = How your answers are protected
privacy-organizers-heading = Who runs this letter
privacy-organizers = This letter is run by:
privacy-organizers-unnamed = This letter is run by its organizers; they have not named themselves on this site.
privacy-readers-heading = Who can read your answers
privacy-readers-body = Your answers are locked (encrypted) with the organizers’ keys the moment they arrive, before anything is saved. Only the organizers can unlock them, on their own computers. The company or person hosting this site cannot read them, and neither can anyone who seizes or breaks into the server.
privacy-stored-heading = What is kept
privacy-stored-body = The answers you send, encrypted, and the day they arrived. Nothing else: not your internet address, not your device or browser, not the time of day. This site sets no cookies, runs no scripts and loads nothing from other websites.
privacy-public-body = Your name or organization is listed publicly only if you tick the box that says so. What you share about what happened is quoted only if you tick the box that allows it, and never with your name.
privacy-kept-heading = How long it is kept
privacy-kept-body = The encrypted answers stay on the server until the organizers collect them and delete them from it.
# $days: a number (already grouped), the retention the server is configured with.
privacy-kept-days = The encrypted answers stay on the server until the organizers collect them, and at most { $days } days (counted in whole weeks) after they arrive.
privacy-withdraw-heading = Taking back what you sent
# $contact: how to reach the organizers, as the campaign wrote it.
privacy-withdraw-contact = To take back your signature or what you shared, contact the organizers: { $contact }
privacy-withdraw-no-contact = To take back your signature or what you shared, contact one of the organizers named above.
privacy-withdraw-receipt = After you send the form, you are shown a receipt. With it you can take back your signature or what you shared, on the page “{ withdraw-title }”: your answers are deleted from this site, and the organizers delete their copy and any public listing.
privacy-device-heading = On a shared phone or computer
privacy-leave-body = The “{ leave-quickly }” link at the top of every page opens an ordinary website in this tab at once.

## Taking back what was sent (/withdraw)

withdraw-title = Take back what you sent
withdraw-body = Enter the receipt you were shown after sending the form. Your answers are then deleted from this site, and the organizers delete their copy and any public listing when they next collect the answers.
withdraw-label = Receipt
withdraw-help = 32 letters and digits, as shown after sending; spaces, hyphens and letter case do not matter.
withdraw-submit = Take back
withdraw-done-title = Thank you
# The same answer whether or not the receipt matched, so the page reveals nothing.
withdraw-done-body = If this receipt belongs to answers sent here, they have been taken back: deleted from this site, and the organizers will delete their copy and remove any public listing. For your safety, this page says the same whether or not the receipt matched.
withdraw-bad = This does not look like a receipt: a receipt has 32 letters and digits, in groups of four. Please check it and try again.

## The public list of signatories (/signatories)

signatories-title = Who has signed publicly
signatories-intro = These people and organizations signed the letter and asked to be listed.
signatories-link = See who has signed publicly
signatories-previous = Previous page
signatories-next = Next page
# $page and $pages: numbers, already grouped.
signatories-page = Page { $page } of { $pages }
