# 繁體中文。本譯文有待以中文為母語的人士審閱。
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = 繁體中文
languages-label = 語言

## Around every page

skip-link = 跳到主要內容
leave-quickly = 快速離開本網站
privacy-link = 隱私：誰能看到您的回答
shared-device-note = 如果您和別人共用手機或電腦，請在私密視窗（也叫「無痕視窗」）中開啟本網頁，這樣瀏覽器的瀏覽記錄裡不會留下它。用完後請關閉這個視窗。

## The letter page

sign-heading = 簽署這封信
signatures = 已有 { $shown } 位個人和團體簽署。
privacy-notice = 您的回答一送達就會加密：只有這封信的發起人能夠閱讀，代管本網站的公司也無法閱讀。本網站不會記錄您的網路位址、您的裝置或您送出表單的時間，也不使用 Cookie、指令碼或任何追蹤工具。
privacy-notice-link = 您的回答如何受到保護
intent-label = 您想做什麼？
intent-sign = 簽署這封信
intent-sign-and-share = 簽署這封信，並講述發生的事
intent-share = 只講述發生的事，不簽名
intent-help = 如果您只講述發生的事，您不需要提供姓名或聯絡方式，也不會被算作簽名。
part-signature = 您的簽名
part-signature-help = 供簽名的人填寫。如果您只講述發生的事，請跳過這一部分：在這裡填寫的內容都不會保留。
part-testimony = 發生的事
part-testimony-help = 供講述發生的事的人填寫。您不需要寫出自己或任何其他人的名字。
optional-marker = （選填）
campaign-closed-title = 這封信已經截止
campaign-closed-body = 這封信已不再接受簽名，也不再收集發生的事，因此沒有儲存任何內容。感謝所有簽名和分享經歷的人。您仍然可以閱讀這封信。
campaign-language-note = 這封信和下面的問題依發起人的原文顯示（原文語言：{ $language }）；譯文正在等待發起人提供。本網頁的其他內容皆為繁體中文。
required-marker = （必填）
required-if = （如果您選擇了「{ $option }」，則為必填）
required-to-share = （如果您講述發生的事，則為必填）
submit = 送出
honeypot-label = 請勿填寫此欄
error-summary-heading = 請檢查您的回答
error-summary-item = { $question }：{ $problem }
error-title = 請檢查您的回答：{ $title }
page-title = { $heading } — { $campaign }
home-link = 前往信件頁面

## Problems with one answer, shown next to it

required = 請回答這個問題。
choose-one = 請選擇其中一個選項。
choose-at-least-one = 請至少勾選一個選項。
not-an-option = 請從顯示的選項中選擇（表單送出了一個不存在的選項）。
control-character = 這個回答含有一個看不見的控制字元（通常來自從別處複製的文字，或單行回答中的換行），無法儲存。請刪除您貼上的部分並重新輸入——您其餘的文字保留在下方。
bad-email = 這看起來不像電子郵件地址：地址中需要有一個 @，兩邊都要有內容，而且不能有空格。您也可以不填。
bad-postal-code = 郵遞區號只能包含字母、數字、空格和連字號。您也可以不填。
bad-checkbox = 這個核取方塊送出了非預期的值。請重新勾選或取消勾選。
must-tick = 請勾選此方塊以繼續。
written-but-not-shared = 您選擇了只簽署這封信，所以這段文字不會送出。如果要送出，請在表單頂端選擇「{ intent-sign-and-share }」；如果只想簽名，請清空這個文字方塊。
too-long = 這個回答有 { $length } 個字元，上限為 { $limit } 個。請縮短——您的文字保留在下方。

## A form that could not be read (the 400 page)

damaged-form = 表單資料在傳送途中受損，因此沒有儲存任何內容。請返回並再按一次「送出」。
not-utf8 = 無法讀取表單中的文字（未以 UTF-8 傳送），因此沒有儲存任何內容。請返回並重新送出，最好使用已更新的瀏覽器。
nul-byte = 表單中含有無法儲存的字元（NUL 位元組），因此沒有儲存任何內容。請返回，刪除您貼上的特殊字元，然後重新送出。
duplicate-field = 表單把「{ $name }」這一欄送出了兩次，這通常是瀏覽器擴充功能或舊版網頁更動了表單所致。沒有儲存任何內容。請返回，重新載入網頁，再填寫一次。
unknown-field-named = 表單送出了一個名為「{ $name }」的欄位，但本表單並沒有這一欄，這通常是瀏覽器擴充功能或舊版網頁更動了表單所致。沒有儲存任何內容。請返回，重新載入網頁，再填寫一次。
unknown-field = 表單送出了一個本表單沒有的欄位，這通常是瀏覽器擴充功能或舊版網頁更動了表單所致。沒有儲存任何內容。請返回，重新載入網頁，再填寫一次。

## Notices above a form that comes back

token-missing = 表單送達時缺少安全碼，因此尚未儲存任何內容。您的回答保留在下方——請再按一次「送出」。
token-invalid = 這份表單已經過時（網站可能已重新啟動），因此尚未儲存任何內容。您的回答保留在下方——請再按一次「送出」。
token-too-young = 請稍候片刻，再按「送出」——您的回答都已保留。
token-expired = 這份表單開啟的時間太久，需要更新，因此尚未儲存任何內容。您的回答保留在下方——請再按一次「送出」。
resent-other-answers = 這份表單先前已經送出，當時的回答已經收到。下方修改過的回答沒有儲存。如果您也想儲存這些回答，請再按一次「送出」：這會另外新增一份回覆。
rate-limited-notice = 短時間內從您的網路連線送出了很多份表單，因此您的這一份尚未儲存。您的回答保留在下方——請在 { $shown } 秒後再按一次「送出」。
not-saved = 伺服器出了問題，您的回答暫時無法儲存，因此沒有儲存任何內容。您的回答保留在下方——請在一分鐘後再按一次「送出」。
short-of-space = 您的回答暫時無法儲存：伺服器的儲存空間不足。沒有儲存任何內容。您的回答保留在下方——請稍後（一小時後或明天）再按一次「送出」，在那之前請保持此網頁開啟。

## Pages: a title, and what happened and what to do

thanks-title = 謝謝您
thanks-body = 您的回答已送達並立即加密，只有這封信的發起人能夠閱讀。您現在可以關閉此網頁。
receipt-heading = 您的回執
receipt-body = 憑這份回執，您可以在「{ withdraw-title }」網頁撤回您送出的內容。請把它保存在安全的地方，或者乾脆不要保存：任何拿到它的人都可以撤回您的回答，而本網站上沒有其他任何東西能把這些回答和您連結起來。
receipt-link = 撤回您送出的內容
support-heading = 如果您需要協助
support-languages = 語言：{ $languages }
bad-request-title = 無法讀取表單
bad-request-body = 收到的內容不是本網站能讀取的表單，因此沒有儲存任何內容。請返回，重新載入網頁，然後再試一次。
not-found-title = 找不到網頁
not-found-body = 這個網址沒有網頁。信件和表單在首頁。
too-large-title = 您的回答太長，無法送出
too-large-body = 沒有儲存任何內容。您的文字仍在表單中：請使用瀏覽器的「上一頁」按鈕，縮短最長的回答，然後再按一次「送出」。
unsupported-media-type-title = 無法讀取表單
unsupported-media-type-body = 收到的內容不是以網頁表單的方式傳送的，因此沒有儲存任何內容。請返回表單頁面，再按一次「送出」。
server-error-title = 我們這邊出了問題
server-error-body = 您的回答沒有儲存。您的文字仍在表單中：請使用瀏覽器的「上一頁」按鈕，幾分鐘後再按一次「送出」。
method-not-allowed-title = 這個網址不接受此類要求
method-not-allowed-body = 沒有儲存任何內容。信件和表單在首頁。
headers-too-large-title = 您的瀏覽器傳送的資訊超出本網站的讀取範圍
headers-too-large-body = 沒有儲存任何內容：要求中附帶了過多額外資訊（通常是瀏覽器擴充功能產生的超大 Cookie 或標頭）。您的文字仍在表單中：請返回並重新送出，或使用無痕（私密）視窗。
timeout-title = 您的回答傳送時間過長
timeout-body = 沒有儲存任何內容；連線速度太慢。您的文字仍在表單中：請使用瀏覽器的「上一頁」按鈕，再按一次「送出」。
unavailable-title = 您的回答暫時無法儲存
unavailable-body = 沒有儲存任何內容：伺服器非常忙碌或發生了問題。您的文字仍在表單中：請使用瀏覽器的「上一頁」按鈕，一分鐘後再按一次「送出」。
rate-limited-title = 請稍候一下
rate-limited = 短時間內從您的網路連線送出了很多份表單，因此這一份尚未儲存。您的文字仍在表單中：請使用瀏覽器的「上一頁」按鈕返回，{ $shown } 秒後再送出。

## The privacy page

privacy-title = 您的回答如何受到保護
privacy-organizers-heading = 誰發起這封信
privacy-organizers = 這封信的發起人：
privacy-organizers-unnamed = 這封信由發起人負責；他們沒有在本網站上公開自己的名字。
privacy-readers-heading = 誰能看到您的回答
privacy-readers-body = 您的回答一送達，在儲存任何內容之前，就會用發起人的金鑰鎖上（加密）。只有發起人能在他們自己的電腦上解鎖。代管本網站的公司或個人無法閱讀，查扣或入侵伺服器的人也無法閱讀。
privacy-stored-heading = 保存哪些內容
privacy-stored-body = 您送出的回答（已加密），以及回答送達的日期。除此之外什麼都不保存：不保存您的網路位址，不保存您的裝置或瀏覽器，也不保存具體時間。本網站不設定 Cookie，不執行指令碼，也不從其他網站載入任何內容。
privacy-public-body = 只有當您勾選了同意公開的方塊時，您的名字或團體名稱才會公開列出。只有當您勾選了允許引用的方塊時，您講述的經歷才會被引用，而且絕不會附上您的名字。
privacy-kept-heading = 保存多久
privacy-kept-body = 加密的回答會一直保存在伺服器上，直到發起人取走並從伺服器上刪除為止。
privacy-kept-days = 加密的回答會一直保存在伺服器上，直到發起人取走為止；從送達起最多保存 { $days } 天（以整週計算）。
privacy-withdraw-heading = 撤回您送出的內容
privacy-withdraw-contact = 如需撤回您的簽名或您講述的經歷，請聯絡發起人：{ $contact }
privacy-withdraw-no-contact = 如需撤回您的簽名或您講述的經歷，請聯絡上面列出的任何一位發起人。
privacy-withdraw-receipt = 送出表單後，您會看到一份回執。憑這份回執，您可以在「{ withdraw-title }」網頁撤回您的簽名或您講述的經歷：您的回答會從本網站刪除，發起人也會刪除他們手中的副本，並從任何公開名單中移除您的名字。
privacy-device-heading = 共用手機或電腦時
privacy-leave-body = 每個網頁頂端的「{ leave-quickly }」連結會立即在這個分頁中開啟一個普通網站。

## Taking back what was sent (/withdraw)

withdraw-title = 撤回您送出的內容
withdraw-body = 請輸入您送出表單後看到的回執。您的回答隨即會從本網站刪除；發起人下次取走回答時，也會刪除他們手中的副本，並從任何公開名單中移除您的名字。
withdraw-label = 回執
withdraw-help = 送出後顯示的 32 個字母和數字；空格、連字號和大小寫都沒有關係。
withdraw-submit = 撤回
withdraw-done-title = 謝謝您
withdraw-done-body = 如果這份回執屬於在這裡送出的回答，這些回答已經撤回：已從本網站刪除，發起人也會刪除他們手中的副本，並從任何公開名單中移除您的名字。為了您的安全，無論回執是否相符，本網頁顯示的內容都一樣。
withdraw-bad = 這看起來不像回執：回執由 32 個字母和數字組成，每四個一組。請檢查後再試一次。

## The public list of signatories (/signatories)

signatories-title = 公開簽名的人
signatories-intro = 以下個人和團體簽署了這封信，並要求公開列出名字。
signatories-link = 查看公開簽名的人
signatories-previous = 上一頁
signatories-next = 下一頁
signatories-page = 第 { $page } 頁，共 { $pages } 頁
