# 简体中文。本译文有待以中文为母语的人士审阅。
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = 简体中文
languages-label = 语言

## The letter page

sign-heading = 签署这封信
signatures = 已有 { $shown } 位个人和机构签署。
privacy-note = 您的回答一送达就会被加密：只有这封信的组织者能够阅读。本页面不使用 Cookie、脚本或任何追踪工具。
campaign-language-note = 这封信和下面的问题按组织者的原文显示（原文语言：{ $language }）；译文正在等待组织者提供。本页面的其他内容均为简体中文。
required-marker = （必填）
required-if = （如果您选择了“{ $option }”，则为必填）
submit = 提交
honeypot-label = 请勿填写此栏
error-summary-heading = 请检查您的回答
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
short-of-space = 您的回答暂时无法保存：服务器的存储空间不足。没有保存任何内容。您的回答保留在下方——请稍后（一小时后或明天）再次点击“提交”，在此之前请保持此页面打开。

## Pages: a title, and what happened and what to do

thanks-title = 谢谢您
thanks-body = 您的回答已送达并立即加密，只有这封信的组织者能够阅读。您现在可以关闭此页面。
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
