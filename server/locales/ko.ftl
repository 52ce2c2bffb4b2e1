# 한국어. 이 번역은 한국어 원어민의 검토를 기다리고 있습니다.
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = 한국어
languages-label = 언어

## Around every page

skip-link = 본문으로 바로 가기
leave-quickly = 이 사이트에서 빨리 나가기
privacy-link = 개인정보 보호: 누가 답변을 읽을 수 있나요
shared-device-note = 다른 사람과 함께 쓰는 휴대폰이나 컴퓨터라면, 이 페이지를 시크릿(비공개) 창에서 열어 주세요. 그러면 브라우저 방문 기록에 남지 않습니다. 다 쓰고 나면 그 창을 닫아 주세요.

## The letter page

sign-heading = 서한에 서명하기
signatures = 지금까지 개인과 단체를 합쳐 { $shown }건의 서명이 모였습니다.
privacy-notice = 답변은 도착하는 즉시 암호화됩니다. 이 서한의 주최 측만 읽을 수 있으며, 이 사이트의 서버를 제공하는 회사도 읽을 수 없습니다. 이 사이트는 인터넷 주소, 기기, 양식을 보낸 시간을 기록하지 않습니다. 쿠키, 스크립트, 추적 도구도 사용하지 않습니다.
privacy-notice-link = 답변은 이렇게 보호됩니다
intent-label = 무엇을 하시겠어요?
intent-sign = 서한에 서명하기
intent-sign-and-share = 서한에 서명하고 있었던 일 이야기하기
intent-share = 서명 없이 있었던 일만 이야기하기
intent-help = 있었던 일만 이야기하시면 이름이나 연락처를 묻지 않으며, 서명 수에도 들어가지 않습니다.
part-signature = 서명
part-signature-help = 서명하시는 분을 위한 부분입니다. 있었던 일만 이야기하신다면 이 부분은 건너뛰세요. 그 경우 여기에 입력한 내용은 저장되지 않습니다.
part-testimony = 있었던 일
part-testimony-help = 있었던 일을 이야기하시는 분을 위한 부분입니다. 본인이나 다른 사람의 이름을 밝히지 않아도 됩니다.
optional-marker = (선택)
campaign-closed-title = 이 서한은 마감되었습니다
campaign-closed-body = 이제 서명이나 있었던 일에 대한 이야기를 받지 않으며, 아무것도 저장되지 않았습니다. 서명하고 이야기를 나눠 주신 모든 분께 감사드립니다. 서한은 계속 읽으실 수 있습니다.
campaign-language-note = 서한과 질문은 주최 측이 작성한 원래 언어({ $language }) 그대로 표시됩니다. 번역은 주최 측이 준비 중입니다. 이 페이지의 나머지 내용은 모두 한국어입니다.
required-marker = (필수)
required-if = (“{ $option }”을(를) 선택한 경우 필수)
required-to-share = (있었던 일을 이야기하는 경우 필수)
submit = 보내기
honeypot-label = 이 칸은 비워 두세요
error-summary-heading = 답변을 확인해 주세요
error-summary-item = { $question }: { $problem }
error-title = 답변을 확인해 주세요: { $title }
page-title = { $heading } — { $campaign }
home-link = 서한으로 가기

## Problems with one answer, shown next to it

required = 이 질문에 답해 주세요.
choose-one = 선택지 중 하나를 골라 주세요.
choose-at-least-one = 선택지를 하나 이상 체크해 주세요.
not-an-option = 표시된 선택지 중에서 골라 주세요. (양식에 없는 선택지가 전송되었습니다.)
control-character = 이 답변에는 보이지 않는 제어 문자가 들어 있어 저장할 수 없습니다. (다른 곳에서 복사한 글이나, 한 줄 답변 안의 줄바꿈에서 흔히 생깁니다.) 붙여 넣은 부분을 지우고 다시 입력해 주세요. 나머지 글은 아래에 그대로 남아 있습니다.
bad-email = 이메일 주소 형식이 아닌 것 같습니다. @가 하나 있고 그 양쪽에 글자가 있어야 하며, 띄어쓰기가 없어야 합니다. 비워 두셔도 됩니다.
bad-postal-code = 우편번호에는 글자, 숫자, 띄어쓰기, 하이픈만 쓸 수 있습니다. 비워 두셔도 됩니다.
bad-checkbox = 이 체크박스에서 예상하지 못한 값이 전송되었습니다. 다시 체크하거나 해제해 주세요.
must-tick = 계속하려면 이 칸에 체크해 주세요.
written-but-not-shared = 서한에 서명만 하기로 선택하셔서 이 글은 전송되지 않습니다. 이 글을 보내려면 양식 맨 위에서 “{ intent-sign-and-share }” 항목을 선택해 주세요. 서명만 하시려면 이 칸을 비워 주세요.
too-long = 이 답변은 { $length }자로, 제한인 { $limit }자를 넘습니다. 줄여 주세요. 입력하신 글은 아래에 그대로 남아 있습니다.

## A form that could not be read (the 400 page)

damaged-form = 양식 데이터가 전송 중에 손상되어 아무것도 저장되지 않았습니다. 뒤로 가서 보내기를 다시 눌러 주세요.
not-utf8 = 양식의 글을 읽을 수 없어(UTF-8로 전송되지 않음) 아무것도 저장되지 않았습니다. 뒤로 가서 다시 보내 주세요. 가능하면 최신 브라우저를 사용해 주세요.
nul-byte = 양식에 저장할 수 없는 문자(NUL 바이트)가 들어 있어 아무것도 저장되지 않았습니다. 뒤로 가서 붙여 넣은 특이한 문자를 지운 뒤 다시 보내 주세요.
duplicate-field = 양식에서 “{ $name }” 항목이 두 번 전송되었습니다. 브라우저 확장 프로그램이나 오래된 페이지가 양식을 바꾸면 이런 일이 생깁니다. 아무것도 저장되지 않았습니다. 뒤로 가서 페이지를 새로 고친 뒤 다시 작성해 주세요.
unknown-field-named = 양식에서 이 양식에 없는 “{ $name }” 항목이 전송되었습니다. 브라우저 확장 프로그램이나 오래된 페이지가 양식을 바꾸면 이런 일이 생깁니다. 아무것도 저장되지 않았습니다. 뒤로 가서 페이지를 새로 고친 뒤 다시 작성해 주세요.
unknown-field = 양식에서 이 양식에 없는 항목이 전송되었습니다. 브라우저 확장 프로그램이나 오래된 페이지가 양식을 바꾸면 이런 일이 생깁니다. 아무것도 저장되지 않았습니다. 뒤로 가서 페이지를 새로 고친 뒤 다시 작성해 주세요.

## Notices above a form that comes back

token-missing = 양식이 보안 코드 없이 도착하여 아직 아무것도 저장되지 않았습니다. 답변은 아래에 그대로 있습니다. 보내기를 다시 눌러 주세요.
token-invalid = 이 양식은 오래된 것입니다(사이트가 다시 시작되었을 수 있습니다). 그래서 아직 아무것도 저장되지 않았습니다. 답변은 아래에 그대로 있습니다. 보내기를 다시 눌러 주세요.
token-too-young = 잠시 기다렸다가 보내기를 다시 눌러 주세요. 답변은 그대로 남아 있습니다.
token-expired = 이 양식이 오랫동안 열려 있어서 새로 고쳐야 했고, 아직 아무것도 저장되지 않았습니다. 답변은 아래에 그대로 있습니다. 보내기를 다시 눌러 주세요.
resent-other-answers = 이 양식은 이미 전송되었으며, 그때 보낸 답변은 잘 받았습니다. 아래의 바뀐 답변은 저장되지 않았습니다. 이 답변도 저장하려면 보내기를 다시 눌러 주세요. 별도의 두 번째 응답으로 추가됩니다.
rate-limited-notice = 짧은 시간에 같은 연결에서 많은 양식이 전송되어 보내신 양식은 아직 저장되지 않았습니다. 답변은 아래에 그대로 있습니다. { $shown }초 뒤에 보내기를 다시 눌러 주세요.
not-saved = 서버에 문제가 생겨 지금은 답변을 저장할 수 없었습니다. 아무것도 저장되지 않았습니다. 답변은 아래에 그대로 있습니다. 1분 뒤에 보내기를 다시 눌러 주세요.
short-of-space = 지금은 답변을 저장할 수 없습니다. 서버의 저장 공간이 부족합니다. 아무것도 저장되지 않았습니다. 답변은 아래에 그대로 있습니다. 나중에(한 시간 뒤나 내일) 보내기를 다시 눌러 주시고, 그때까지 이 페이지를 열어 두세요.

## Pages: a title, and what happened and what to do

thanks-title = 감사합니다
thanks-body = 답변이 도착하여 바로 암호화되었습니다. 이 서한의 주최 측만 읽을 수 있습니다. 이제 이 페이지를 닫으셔도 됩니다.
receipt-heading = 접수번호
receipt-body = 이 접수번호가 있으면 “{ withdraw-title }” 페이지에서 보낸 내용을 취소할 수 있습니다. 안전한 곳에 보관하시거나, 아예 보관하지 않으셔도 됩니다. 이 번호를 가진 사람은 누구나 답변을 취소할 수 있고, 이 사이트의 다른 어떤 정보로도 답변과 본인을 연결할 수 없습니다.
receipt-link = 보낸 내용 취소하기
support-heading = 도움이 필요하시면
support-languages = 지원 언어: { $languages }
bad-request-title = 양식을 읽을 수 없습니다
bad-request-body = 이 사이트가 읽을 수 있는 양식이 아니어서 아무것도 저장되지 않았습니다. 뒤로 가서 페이지를 새로 고친 뒤 다시 시도해 주세요.
not-found-title = 페이지를 찾을 수 없습니다
not-found-body = 이 주소에는 페이지가 없습니다. 서한과 양식은 첫 페이지에 있습니다.
too-large-title = 답변이 너무 길어서 보낼 수 없습니다
too-large-body = 아무것도 저장되지 않았습니다. 입력하신 글은 양식에 그대로 있습니다. 브라우저의 뒤로 가기 버튼을 누르고, 가장 긴 답변을 줄인 뒤 보내기를 다시 눌러 주세요.
unsupported-media-type-title = 양식을 읽을 수 없습니다
unsupported-media-type-body = 웹 양식이 보내지는 방식으로 전송되지 않아 아무것도 저장되지 않았습니다. 뒤로 가서 양식 페이지에서 보내기를 다시 눌러 주세요.
server-error-title = 저희 쪽에 문제가 생겼습니다
server-error-body = 답변이 저장되지 않았습니다. 입력하신 글은 양식에 그대로 있습니다. 브라우저의 뒤로 가기 버튼을 누르고 몇 분 뒤에 보내기를 다시 눌러 주세요.
method-not-allowed-title = 이 주소는 그 요청을 받지 않습니다
method-not-allowed-body = 아무것도 저장되지 않았습니다. 서한과 양식은 첫 페이지에 있습니다.
headers-too-large-title = 브라우저가 이 사이트가 읽는 양보다 많이 보냈습니다
headers-too-large-body = 아무것도 저장되지 않았습니다. 요청에 추가 정보가 너무 많이 들어 있었습니다(대개 브라우저 확장 프로그램 때문에 생기는 아주 큰 쿠키나 헤더). 입력하신 글은 양식에 그대로 있습니다. 뒤로 가서 다시 보내거나, 시크릿(비공개) 창을 사용해 주세요.
timeout-title = 답변이 도착하는 데 시간이 너무 오래 걸렸습니다
timeout-body = 아무것도 저장되지 않았습니다. 연결이 너무 느렸습니다. 입력하신 글은 양식에 그대로 있습니다. 브라우저의 뒤로 가기 버튼을 누르고 보내기를 다시 눌러 주세요.
unavailable-title = 지금은 답변을 저장할 수 없습니다
unavailable-body = 아무것도 저장되지 않았습니다. 서버가 매우 바쁘거나 문제가 있습니다. 입력하신 글은 양식에 그대로 있습니다. 브라우저의 뒤로 가기 버튼을 누르고 1분 뒤에 보내기를 다시 눌러 주세요.
rate-limited-title = 잠시만 기다려 주세요
rate-limited = 짧은 시간에 같은 연결에서 많은 양식이 전송되어 이 양식은 아직 저장되지 않았습니다. 입력하신 글은 양식에 그대로 있습니다. 브라우저의 뒤로 가기 버튼으로 돌아가서 { $shown }초 뒤에 다시 보내 주세요.

## The privacy page

privacy-title = 답변은 이렇게 보호됩니다
privacy-organizers-heading = 이 서한의 주최 측
privacy-organizers = 이 서한은 다음이 주최합니다:
privacy-organizers-unnamed = 이 서한은 주최 측이 운영하며, 주최 측은 이 사이트에 이름을 밝히지 않았습니다.
privacy-readers-heading = 답변을 읽을 수 있는 사람
privacy-readers-body = 답변은 도착하는 즉시, 저장되기 전에 주최 측의 열쇠로 잠깁니다(암호화). 주최 측만 자신의 컴퓨터에서 답변을 열 수 있습니다. 이 사이트의 서버를 제공하는 회사나 사람도 읽을 수 없고, 서버를 압수하거나 서버에 침입한 사람도 읽을 수 없습니다.
privacy-stored-heading = 보관되는 정보
privacy-stored-body = 보내신 답변(암호화된 상태)과 답변이 도착한 날짜뿐입니다. 그 밖에는 아무것도 보관하지 않습니다. 인터넷 주소, 기기나 브라우저, 보낸 시각도 보관하지 않습니다. 이 사이트는 쿠키를 만들지 않고, 스크립트를 실행하지 않으며, 다른 웹사이트에서 아무것도 불러오지 않습니다.
privacy-public-body = 이름이나 단체명은 공개에 동의하는 칸에 체크하신 경우에만 공개됩니다. 있었던 일에 대해 이야기하신 내용은 인용을 허락하는 칸에 체크하신 경우에만 인용되며, 이름과 함께 인용되는 일은 절대 없습니다.
privacy-kept-heading = 보관 기간
privacy-kept-body = 암호화된 답변은 주최 측이 가져가서 서버에서 삭제할 때까지 서버에 남아 있습니다.
privacy-kept-days = 암호화된 답변은 주최 측이 가져갈 때까지 서버에 남아 있습니다. 다만 도착한 뒤 최대 { $days }일(주 단위로 계산)까지만 남아 있습니다.
privacy-withdraw-heading = 보낸 내용 취소하기
privacy-withdraw-contact = 서명이나 이야기하신 내용을 취소하려면 주최 측에 연락해 주세요: { $contact }
privacy-withdraw-no-contact = 서명이나 이야기하신 내용을 취소하려면 위에 적힌 주최 측 중 한 곳에 연락해 주세요.
privacy-withdraw-receipt = 양식을 보내면 접수번호가 표시됩니다. 이 번호로 “{ withdraw-title }” 페이지에서 서명이나 이야기하신 내용을 취소할 수 있습니다. 답변은 이 사이트에서 삭제되고, 주최 측도 가지고 있는 사본을 삭제하며 공개 명단에서 이름을 뺍니다.
privacy-device-heading = 함께 쓰는 휴대폰이나 컴퓨터에서
privacy-leave-body = 모든 페이지 맨 위에 있는 “{ leave-quickly }” 링크를 누르면 이 탭에서 바로 평범한 웹사이트가 열립니다.

## Taking back what was sent (/withdraw)

withdraw-title = 보낸 내용 취소하기
withdraw-body = 양식을 보낸 뒤 표시된 접수번호를 입력해 주세요. 그러면 답변이 이 사이트에서 삭제됩니다. 주최 측도 다음에 답변을 가져갈 때 가지고 있는 사본을 삭제하고 공개 명단에서 이름을 뺍니다.
withdraw-label = 접수번호
withdraw-help = 보낸 뒤 표시된 글자와 숫자 32개입니다. 띄어쓰기, 하이픈, 대문자와 소문자는 상관없습니다.
withdraw-submit = 취소하기
withdraw-done-title = 감사합니다
withdraw-done-body = 이 접수번호가 이곳에서 보낸 답변의 번호라면, 그 답변은 취소되었습니다. 이 사이트에서 삭제되었고, 주최 측도 가지고 있는 사본을 삭제하고 공개 명단에서 이름을 뺄 것입니다. 안전을 위해 이 페이지는 접수번호가 맞든 맞지 않든 똑같은 내용을 보여 줍니다.
withdraw-bad = 접수번호가 아닌 것 같습니다. 접수번호는 글자와 숫자 32개로, 네 개씩 묶여 있습니다. 확인한 뒤 다시 시도해 주세요.

## The public list of signatories (/signatories)

signatories-title = 공개적으로 서명한 사람들
signatories-intro = 다음 개인과 단체가 서한에 서명하고 명단에 이름을 올려 달라고 요청했습니다.
signatories-link = 공개적으로 서명한 사람들 보기
signatories-previous = 이전 페이지
signatories-next = 다음 페이지
signatories-page = { $pages }페이지 중 { $page }페이지
