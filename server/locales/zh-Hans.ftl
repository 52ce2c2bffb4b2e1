# 简体中文。本译文有待以中文为母语的人士审阅。
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = 简体中文
languages-label = 语言

## Around every page

skip-link = 跳到主要内容
leave-quickly = 快速离开本网站
privacy-link = 隐私：谁能看到您的回答
shared-device-note = 如果您和别人共用手机或电脑，请在隐私窗口（也叫“无痕窗口”）中打开本页面，这样浏览器的历史记录里不会留下它。用完后请关闭这个窗口。

## The letter page

sign-heading = 签署这封信
signatures = 已有 { $shown } 位个人和机构签署。
privacy-notice = 您的回答一送达就会被加密：只有这封信的组织者能够阅读，托管本网站的公司也无法阅读。本网站不记录您的网络地址、您的设备或您提交表单的时间，也不使用 Cookie、脚本或任何追踪工具。
privacy-notice-link = 您的回答如何受到保护
intent-label = 您想做什么？
intent-sign = 签署这封信
intent-sign-and-share = 签署这封信，并讲述发生的事
intent-share = 只讲述发生的事，不签名
intent-help = 如果您只讲述发生的事，您不需要提供名字或联系方式，也不会被算作签名。
part-signature = 您的签名
part-signature-help = 供签名的人填写。如果您只讲述发生的事，请跳过这一部分：在这里填写的内容都不会保留。
part-testimony = 发生的事
part-testimony-help = 供讲述发生的事的人填写。您不需要写出自己或任何其他人的名字。
optional-marker = （选填）
campaign-closed-title = 这封信已经截止
campaign-closed-body = 这封信已不再接受签名，也不再收集发生的事，因此没有保存任何内容。感谢所有签名和分享经历的人。您仍然可以阅读这封信。
campaign-language-note = 这封信和下面的问题按组织者的原文显示（原文语言：{ $language }）；译文正在等待组织者提供。本页面的其他内容均为简体中文。
required-marker = （必填）
required-if = （如果您选择了“{ $option }”，则为必填）
required-to-share = （如果您讲述发生的事，则为必填）
submit = 提交
honeypot-label = 请勿填写此栏
error-summary-heading = 请检查您的回答
error-summary-item = { $question }：{ $problem }
error-title = 请检查您的回答：{ $title }
page-title = { $heading } — { $campaign }
home-link = 前往信件页面

## Problems with one answer, shown next to it

required = 请回答这个问题。
choose-one = 请选择其中一个选项。
choose-at-least-one = 请至少勾选一个选项。
not-an-option = 请从显示的选项中选择（表单发送了一个不存在的选项）。
control-character = 这个回答中含有一个看不见的控制字符（通常来自从别处复制的文字，或单行回答中的换行），无法保存。请删除您粘贴的部分并重新输入——您的其余文字保留在下方。
bad-email = 这看起来不像电子邮件地址：地址中需要有一个 @，两边都要有内容，并且不能有空格。您也可以不填。
bad-postal-code = 邮政编码只能包含字母、数字、空格和连字符。您也可以不填。
bad-checkbox = 这个复选框发送了意外的值。请重新勾选或取消勾选。
must-tick = 请勾选此框以继续。
written-but-not-shared = 您选择了只签署这封信，所以这段文字不会被发送。如果要发送，请在表单顶部选择“{ intent-sign-and-share }”；如果只想签名，请清空这个文本框。
too-long = 这个回答有 { $length } 个字符，上限为 { $limit } 个。请缩短——您的文字保留在下方。

## A form that could not be read (the 400 page)

damaged-form = 表单数据在传送途中受损，因此没有保存任何内容。请返回并再次点击“提交”。
not-utf8 = 无法读取表单中的文字（未以 UTF-8 发送），因此没有保存任何内容。请返回并重新提交，最好使用已更新的浏览器。
nul-byte = 表单中含有无法保存的字符（NUL 字节），因此没有保存任何内容。请返回，删除您粘贴的特殊字符，然后重新提交。
duplicate-field = 表单把“{ $name }”这一栏发送了两次，这通常是浏览器扩展程序或旧版页面改动了表单所致。没有保存任何内容。请返回，重新加载页面，再填写一次。
unknown-field-named = 表单发送了一个名为“{ $name }”的栏位，而本表单并没有这一栏，这通常是浏览器扩展程序或旧版页面改动了表单所致。没有保存任何内容。请返回，重新加载页面，再填写一次。
unknown-field = 表单发送了一个本表单没有的栏位，这通常是浏览器扩展程序或旧版页面改动了表单所致。没有保存任何内容。请返回，重新加载页面，再填写一次。

## Notices above a form that comes back

token-missing = 表单送达时缺少安全码，因此尚未保存任何内容。您的回答保留在下方——请再次点击“提交”。
token-invalid = 此表单已过时（网站可能已重新启动），因此尚未保存任何内容。您的回答保留在下方——请再次点击“提交”。
token-too-young = 请稍等片刻，再点击“提交”——您的回答都已保留。
token-expired = 此表单打开的时间太长，需要更新，因此尚未保存任何内容。您的回答保留在下方——请再次点击“提交”。
resent-other-answers = 这份表单之前已经提交过，当时的回答已经收到。下方修改过的回答没有保存。如果您也想保存这些回答，请再次点击“提交”：这会另外新增一份提交。
rate-limited-notice = 短时间内从您的网络连接提交了很多份表单，因此您的这一份尚未保存。您的回答保留在下方——请在 { $shown } 秒后再次点击“提交”。
not-saved = 服务器出了问题，您的回答暂时无法保存，因此没有保存任何内容。您的回答保留在下方——请在一分钟后再次点击“提交”。
short-of-space = 您的回答暂时无法保存：服务器的存储空间不足。没有保存任何内容。您的回答保留在下方——请稍后（一小时后或明天）再次点击“提交”，在此之前请保持此页面打开。

## Pages: a title, and what happened and what to do

thanks-title = 谢谢您
thanks-body = 您的回答已送达并立即加密，只有这封信的组织者能够阅读。您现在可以关闭此页面。
receipt-heading = 您的回执
receipt-body = 凭这份回执，您可以在“{ withdraw-title }”页面撤回您提交的内容。请把它保存在安全的地方，或者干脆不要保存：任何拿到它的人都可以撤回您的回答，而本网站上没有其他任何东西能把这些回答和您联系起来。
receipt-link = 撤回您提交的内容
support-heading = 如果您需要帮助
support-languages = 语言：{ $languages }
bad-request-title = 无法读取表单
bad-request-body = 收到的内容不是本网站能读取的表单，因此没有保存任何内容。请返回，重新加载页面，然后再试一次。
not-found-title = 找不到页面
not-found-body = 这个地址没有页面。信件和表单在首页。
too-large-title = 您的回答太长，无法提交
too-large-body = 没有保存任何内容。您的文字仍在表单中：请使用浏览器的“返回”按钮，缩短最长的回答，然后再次点击“提交”。
unsupported-media-type-title = 无法读取表单
unsupported-media-type-body = 收到的内容不是以网页表单的方式发送的，因此没有保存任何内容。请返回表单页面，再次点击“提交”。
server-error-title = 我们这边出了问题
server-error-body = 您的回答没有保存。您的文字仍在表单中：请使用浏览器的“返回”按钮，几分钟后再次点击“提交”。
method-not-allowed-title = 这个地址不接受此类请求
method-not-allowed-body = 没有保存任何内容。信件和表单在首页。
headers-too-large-title = 您的浏览器发送的信息超出了本网站的读取范围
headers-too-large-body = 没有保存任何内容：请求中附带了过多额外信息（通常是浏览器扩展程序产生的超大 Cookie 或标头）。您的文字仍在表单中：请返回并重新提交，或使用无痕（隐私）窗口。
timeout-title = 您的回答传送时间过长
timeout-body = 没有保存任何内容；连接速度太慢。您的文字仍在表单中：请使用浏览器的“返回”按钮，再次点击“提交”。
unavailable-title = 您的回答暂时无法保存
unavailable-body = 没有保存任何内容：服务器非常繁忙或出现了问题。您的文字仍在表单中：请使用浏览器的“返回”按钮，一分钟后再次点击“提交”。
rate-limited-title = 请稍等一下
rate-limited = 短时间内从您的网络连接提交了很多份表单，因此这一份尚未保存。您的文字仍在表单中：请使用浏览器的“返回”按钮返回，{ $shown } 秒后再提交。

## The privacy page

privacy-title = 您的回答如何受到保护
privacy-organizers-heading = 谁在组织这封信
privacy-organizers = 这封信的组织者：
privacy-organizers-unnamed = 这封信由组织者发起；他们没有在本网站上公开自己的名字。
privacy-readers-heading = 谁能看到您的回答
privacy-readers-body = 您的回答一送达，在保存任何内容之前，就会用组织者的密钥锁上（加密）。只有组织者能在他们自己的电脑上解锁。托管本网站的公司或个人无法阅读，查封或入侵服务器的人也无法阅读。
privacy-stored-heading = 保存哪些内容
privacy-stored-body = 您提交的回答（已加密），以及回答送达的日期。除此以外什么都不保存：不保存您的网络地址，不保存您的设备或浏览器，也不保存具体时间。本网站不设置 Cookie，不运行脚本，也不从其他网站加载任何内容。
privacy-public-body = 只有当您勾选了同意公开的选框时，您的名字或机构名称才会被公开列出。只有当您勾选了允许引用的选框时，您讲述的经历才会被引用，而且绝不会附上您的名字。
privacy-kept-heading = 保存多久
privacy-kept-body = 加密的回答会一直保存在服务器上，直到组织者取走并从服务器上删除为止。
privacy-kept-days = 加密的回答会一直保存在服务器上，直到组织者取走为止；从送达起最多保存 { $days } 天（按整周计算）。
privacy-withdraw-heading = 撤回您提交的内容
privacy-withdraw-contact = 如需撤回您的签名或您讲述的经历，请联系组织者：{ $contact }
privacy-withdraw-no-contact = 如需撤回您的签名或您讲述的经历，请联系上面列出的任何一位组织者。
privacy-withdraw-receipt = 提交表单后，您会看到一份回执。凭这份回执，您可以在“{ withdraw-title }”页面撤回您的签名或您讲述的经历：您的回答会从本网站删除，组织者也会删除他们手中的副本，并从任何公开名单中去掉您的名字。
privacy-device-heading = 共用手机或电脑时
privacy-leave-body = 每个页面顶部的“{ leave-quickly }”链接会立即在这个标签页中打开一个普通网站。

## Taking back what was sent (/withdraw)

withdraw-title = 撤回您提交的内容
withdraw-body = 请输入您提交表单后看到的回执。您的回答随即会从本网站删除；组织者下次取走回答时，也会删除他们手中的副本，并从任何公开名单中去掉您的名字。
withdraw-label = 回执
withdraw-help = 提交后显示的 32 个字母和数字；空格、连字符和大小写都没有关系。
withdraw-submit = 撤回
withdraw-done-title = 谢谢您
withdraw-done-body = 如果这份回执属于在这里提交的回答，这些回答已经撤回：已从本网站删除，组织者也会删除他们手中的副本，并从任何公开名单中去掉您的名字。为了您的安全，无论回执是否对得上，本页面显示的内容都一样。
withdraw-bad = 这看起来不像回执：回执由 32 个字母和数字组成，每四个一组。请检查后再试一次。

## The public list of signatories (/signatories)

signatories-title = 公开签名的人
signatories-intro = 以下个人和机构签署了这封信，并要求公开列出名字。
signatories-link = 查看公开签名的人
signatories-previous = 上一页
signatories-next = 下一页
signatories-page = 第 { $page } 页，共 { $pages } 页
