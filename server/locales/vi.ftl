# Tiếng Việt. Bản dịch này đang chờ người bản ngữ xem lại.
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = Tiếng Việt
languages-label = Ngôn ngữ

## Around every page

skip-link = Chuyển đến nội dung chính
leave-quickly = Thoát nhanh khỏi trang này
privacy-link = Quyền riêng tư: ai có thể đọc câu trả lời của bạn
shared-device-note = Nếu dùng chung điện thoại hoặc máy tính với người khác, hãy mở trang này trong cửa sổ riêng tư (còn gọi là chế độ ẩn danh) để trang không bị lưu trong lịch sử của trình duyệt. Khi dùng xong, hãy đóng cửa sổ đó.

## The letter page

sign-heading = Ký tên vào thư
signatures = Đã có { $shown } cá nhân và tổ chức ký tên.
privacy-notice = Câu trả lời của bạn được mã hóa ngay khi đến nơi: chỉ những người tổ chức lá thư này mới đọc được, công ty lưu trữ trang web này cũng không đọc được. Trang web không ghi lại địa chỉ internet, thiết bị của bạn hay thời điểm bạn gửi biểu mẫu, và không dùng cookie, script hay công cụ theo dõi.
privacy-notice-link = Câu trả lời của bạn được bảo vệ như thế nào
intent-label = Bạn muốn làm gì?
intent-sign = Ký tên vào thư
intent-sign-and-share = Ký tên vào thư và kể lại chuyện đã xảy ra
intent-share = Chỉ kể lại chuyện đã xảy ra, không ký tên
intent-help = Nếu bạn chỉ kể lại chuyện đã xảy ra, bạn không cần cho biết tên hay cách liên lạc, và bạn không được tính là người ký tên.
part-signature = Chữ ký của bạn
part-signature-help = Dành cho người ký tên. Nếu bạn chỉ kể lại chuyện đã xảy ra, hãy bỏ qua phần này: những gì gõ ở đây sẽ không được giữ lại.
part-testimony = Chuyện đã xảy ra
part-testimony-help = Dành cho người kể lại chuyện đã xảy ra. Bạn không cần nêu tên mình hay tên của bất kỳ ai khác.
optional-marker = (không bắt buộc)
campaign-closed-title = Lá thư này đã đóng
campaign-closed-body = Lá thư không còn nhận chữ ký hay lời kể về chuyện đã xảy ra, và không có gì được lưu. Cảm ơn tất cả những người đã ký tên và chia sẻ. Bạn vẫn có thể đọc lá thư.
campaign-language-note = Lá thư và các câu hỏi được hiển thị đúng như những người tổ chức đã viết, bằng ngôn ngữ gốc ({ $language }); bản dịch đang chờ những người tổ chức cung cấp. Mọi nội dung khác trên trang này đều bằng tiếng Việt.
required-marker = (bắt buộc)
required-if = (bắt buộc nếu bạn chọn “{ $option }”)
required-to-share = (bắt buộc nếu bạn kể lại chuyện đã xảy ra)
submit = Gửi
honeypot-label = Vui lòng để trống ô này
error-summary-heading = Vui lòng kiểm tra lại câu trả lời
error-summary-item = { $question }: { $problem }
error-title = Vui lòng kiểm tra lại câu trả lời: { $title }
page-title = { $heading } — { $campaign }
home-link = Đến trang lá thư

## Problems with one answer, shown next to it

required = Vui lòng trả lời câu hỏi này.
choose-one = Vui lòng chọn một trong các lựa chọn.
choose-at-least-one = Vui lòng đánh dấu ít nhất một lựa chọn.
not-an-option = Vui lòng chọn trong các lựa chọn được hiển thị (biểu mẫu đã gửi một lựa chọn không có trong đó).
control-character = Câu trả lời này có một ký tự điều khiển vô hình (thường do chép văn bản từ nơi khác, hoặc do xuống dòng trong câu trả lời chỉ có một dòng) nên không thể lưu. Vui lòng xóa và gõ lại phần bạn đã dán — phần còn lại của bạn vẫn được giữ bên dưới.
bad-email = Đây có vẻ không phải là địa chỉ email: cần có đúng một dấu @, có chữ ở cả hai bên và không có khoảng trắng. Bạn cũng có thể để trống.
bad-postal-code = Mã bưu chính chỉ gồm chữ cái, chữ số, khoảng trắng và dấu gạch ngang. Bạn cũng có thể để trống.
bad-checkbox = Ô đánh dấu này đã gửi một giá trị không mong đợi. Vui lòng đánh dấu hoặc bỏ đánh dấu lại.
must-tick = Vui lòng đánh dấu vào ô này để tiếp tục.
written-but-not-shared = Bạn đã chọn chỉ ký tên vào thư, nên đoạn văn này sẽ không được gửi. Để gửi, hãy chọn “{ intent-sign-and-share }” ở đầu biểu mẫu; nếu chỉ muốn ký tên, hãy xóa hết chữ trong ô này.
too-long = Câu trả lời này dài { $length } ký tự; giới hạn là { $limit }. Vui lòng rút ngắn — văn bản của bạn vẫn được giữ bên dưới.

## A form that could not be read (the 400 page)

damaged-form = Dữ liệu của biểu mẫu bị hỏng trên đường gửi nên chưa có gì được lưu. Vui lòng quay lại và bấm Gửi lần nữa.
not-utf8 = Không đọc được văn bản trong biểu mẫu (không được gửi bằng UTF-8) nên chưa có gì được lưu. Vui lòng quay lại và gửi lần nữa, nếu được thì dùng trình duyệt đã cập nhật.
nul-byte = Biểu mẫu có một ký tự không thể lưu (byte NUL) nên chưa có gì được lưu. Vui lòng quay lại, xóa các ký tự lạ bạn đã dán, rồi gửi lần nữa.
duplicate-field = Biểu mẫu đã gửi ô “{ $name }” hai lần; điều này xảy ra khi một tiện ích của trình duyệt hoặc một bản cũ của trang làm thay đổi biểu mẫu. Chưa có gì được lưu. Vui lòng quay lại, tải lại trang và điền lại.
unknown-field-named = Biểu mẫu đã gửi một ô tên là “{ $name }” mà biểu mẫu này không có; điều này xảy ra khi một tiện ích của trình duyệt hoặc một bản cũ của trang làm thay đổi biểu mẫu. Chưa có gì được lưu. Vui lòng quay lại, tải lại trang và điền lại.
unknown-field = Biểu mẫu đã gửi một ô mà biểu mẫu này không có; điều này xảy ra khi một tiện ích của trình duyệt hoặc một bản cũ của trang làm thay đổi biểu mẫu. Chưa có gì được lưu. Vui lòng quay lại, tải lại trang và điền lại.

## Notices above a form that comes back

token-missing = Biểu mẫu đến nơi mà không có mã bảo mật nên chưa có gì được lưu. Câu trả lời của bạn vẫn được giữ bên dưới — vui lòng bấm Gửi lần nữa.
token-invalid = Bản biểu mẫu này đã cũ (có thể trang web vừa khởi động lại) nên chưa có gì được lưu. Câu trả lời của bạn vẫn được giữ bên dưới — vui lòng bấm Gửi lần nữa.
token-too-young = Vui lòng đợi một chút rồi bấm Gửi lần nữa — câu trả lời của bạn vẫn được giữ.
token-expired = Biểu mẫu này đã mở quá lâu nên phải làm mới, và chưa có gì được lưu. Câu trả lời của bạn vẫn được giữ bên dưới — vui lòng bấm Gửi lần nữa.
resent-other-answers = Biểu mẫu này đã được gửi trước đó, và câu trả lời lần đó đã được nhận. Các câu trả lời đã sửa bên dưới chưa được lưu. Nếu bạn muốn lưu cả những câu trả lời này, hãy bấm Gửi lần nữa: việc đó sẽ thêm một lần gửi thứ hai, riêng biệt.
rate-limited-notice = Có nhiều biểu mẫu được gửi từ kết nối của bạn trong thời gian ngắn, nên biểu mẫu của bạn chưa được lưu. Câu trả lời của bạn vẫn được giữ bên dưới — vui lòng bấm Gửi lần nữa sau { $shown } giây.
not-saved = Hiện chưa thể lưu câu trả lời của bạn vì máy chủ gặp sự cố, nên chưa có gì được lưu. Câu trả lời của bạn vẫn được giữ bên dưới — vui lòng bấm Gửi lần nữa sau một phút.
short-of-space = Hiện chưa thể lưu câu trả lời của bạn: máy chủ đang thiếu dung lượng lưu trữ. Chưa có gì được lưu. Câu trả lời của bạn vẫn được giữ bên dưới — vui lòng bấm Gửi lần nữa sau (một giờ nữa, hoặc ngày mai), và để trang này mở cho đến lúc đó.

## Pages: a title, and what happened and what to do

thanks-title = Xin cảm ơn
thanks-body = Câu trả lời của bạn đã đến nơi và được mã hóa ngay, nên chỉ những người tổ chức lá thư này mới đọc được. Bây giờ bạn có thể đóng trang này.
receipt-heading = Biên nhận của bạn
receipt-body = Với biên nhận này, bạn có thể rút lại những gì đã gửi, ở trang “{ withdraw-title }”. Hãy cất nó ở nơi an toàn, hoặc không giữ lại cũng được: bất kỳ ai có biên nhận này đều có thể rút lại câu trả lời của bạn, và không có gì khác trên trang này nối những câu trả lời đó với bạn.
receipt-link = Rút lại những gì bạn đã gửi
support-heading = Nếu bạn cần hỗ trợ
support-languages = Ngôn ngữ: { $languages }
bad-request-title = Không đọc được biểu mẫu
bad-request-body = Những gì gửi đến không phải là biểu mẫu mà trang này đọc được, nên chưa có gì được lưu. Vui lòng quay lại, tải lại trang và thử lần nữa.
not-found-title = Không tìm thấy trang
not-found-body = Không có trang nào ở địa chỉ này. Lá thư và biểu mẫu nằm ở trang đầu.
too-large-title = Câu trả lời của bạn quá dài để gửi
too-large-body = Chưa có gì được lưu. Văn bản của bạn vẫn còn trong biểu mẫu: hãy dùng nút Quay lại của trình duyệt, rút ngắn câu trả lời dài nhất, rồi bấm Gửi lần nữa.
unsupported-media-type-title = Không đọc được biểu mẫu
unsupported-media-type-body = Những gì gửi đến không được gửi theo cách một biểu mẫu web được gửi, nên chưa có gì được lưu. Vui lòng quay lại và bấm Gửi lần nữa từ trang biểu mẫu.
server-error-title = Đã có lỗi xảy ra ở phía chúng tôi
server-error-body = Câu trả lời của bạn chưa được lưu. Văn bản của bạn vẫn còn trong biểu mẫu: hãy dùng nút Quay lại của trình duyệt và bấm Gửi lần nữa sau vài phút.
method-not-allowed-title = Địa chỉ này không nhận loại yêu cầu đó
method-not-allowed-body = Chưa có gì được lưu. Lá thư và biểu mẫu nằm ở trang đầu.
headers-too-large-title = Trình duyệt của bạn đã gửi nhiều hơn mức trang này đọc
headers-too-large-body = Chưa có gì được lưu: yêu cầu mang quá nhiều thông tin phụ (cookie hoặc tiêu đề rất lớn, thường do tiện ích của trình duyệt). Văn bản của bạn vẫn còn trong biểu mẫu: hãy quay lại và gửi lần nữa, hoặc dùng cửa sổ riêng tư.
timeout-title = Câu trả lời của bạn mất quá lâu để đến nơi
timeout-body = Chưa có gì được lưu; kết nối quá chậm. Văn bản của bạn vẫn còn trong biểu mẫu: hãy dùng nút Quay lại của trình duyệt và bấm Gửi lần nữa.
unavailable-title = Hiện chưa thể lưu câu trả lời của bạn
unavailable-body = Chưa có gì được lưu: máy chủ đang rất bận hoặc gặp sự cố. Văn bản của bạn vẫn còn trong biểu mẫu: hãy dùng nút Quay lại của trình duyệt và bấm Gửi lần nữa sau một phút.
rate-limited-title = Vui lòng đợi một chút
rate-limited = Có nhiều biểu mẫu được gửi từ kết nối của bạn trong thời gian ngắn, nên biểu mẫu này chưa được lưu. Văn bản của bạn vẫn còn trong biểu mẫu: hãy quay lại bằng nút Quay lại của trình duyệt và gửi lần nữa sau { $shown } giây.

## The privacy page

privacy-title = Câu trả lời của bạn được bảo vệ như thế nào
privacy-organizers-heading = Ai tổ chức lá thư này
privacy-organizers = Lá thư này do những người sau tổ chức:
privacy-organizers-unnamed = Lá thư này do những người tổ chức thực hiện; họ không nêu tên mình trên trang này.
privacy-readers-heading = Ai có thể đọc câu trả lời của bạn
privacy-readers-body = Ngay khi đến nơi, trước khi lưu bất cứ thứ gì, câu trả lời của bạn được khóa lại (mã hóa) bằng chìa khóa của những người tổ chức. Chỉ những người tổ chức mới mở khóa được, trên máy tính của chính họ. Công ty hoặc người lưu trữ trang web này không đọc được. Người thu giữ hay đột nhập vào máy chủ cũng không đọc được.
privacy-stored-heading = Những gì được lưu giữ
privacy-stored-body = Các câu trả lời bạn gửi, đã được mã hóa, và ngày chúng đến nơi. Ngoài ra không có gì khác: không có địa chỉ internet, không có thiết bị hay trình duyệt của bạn, không có giờ gửi. Trang này không đặt cookie, không chạy script và không tải gì từ các trang web khác.
privacy-public-body = Tên của bạn hoặc tên tổ chức của bạn chỉ được công khai nếu bạn đánh dấu vào ô cho phép điều đó. Những gì bạn kể về chuyện đã xảy ra chỉ được trích dẫn nếu bạn đánh dấu vào ô cho phép, và không bao giờ kèm theo tên của bạn.
privacy-kept-heading = Được lưu giữ trong bao lâu
privacy-kept-body = Các câu trả lời đã mã hóa được giữ trên máy chủ cho đến khi những người tổ chức lấy về và xóa chúng khỏi máy chủ.
privacy-kept-days = Các câu trả lời đã mã hóa được giữ trên máy chủ cho đến khi những người tổ chức lấy về, và lâu nhất là { $days } ngày (tính theo tuần trọn vẹn) kể từ khi đến nơi.
privacy-withdraw-heading = Rút lại những gì bạn đã gửi
privacy-withdraw-contact = Để rút lại chữ ký hoặc những gì bạn đã kể, hãy liên hệ với những người tổ chức: { $contact }
privacy-withdraw-no-contact = Để rút lại chữ ký hoặc những gì bạn đã kể, hãy liên hệ với một trong những người tổ chức có tên ở trên.
privacy-withdraw-receipt = Sau khi bạn gửi biểu mẫu, bạn sẽ thấy một biên nhận. Với biên nhận đó, bạn có thể rút lại chữ ký hoặc những gì bạn đã kể, ở trang “{ withdraw-title }”: câu trả lời của bạn bị xóa khỏi trang này, và những người tổ chức xóa bản sao của họ và xóa tên bạn khỏi mọi danh sách công khai.
privacy-device-heading = Khi dùng chung điện thoại hoặc máy tính
privacy-leave-body = Đường liên kết “{ leave-quickly }” ở đầu mỗi trang sẽ mở ngay một trang web bình thường trong thẻ này.

## Taking back what was sent (/withdraw)

withdraw-title = Rút lại những gì bạn đã gửi
withdraw-body = Nhập biên nhận bạn đã thấy sau khi gửi biểu mẫu. Khi đó, câu trả lời của bạn bị xóa khỏi trang này, và vào lần tới lấy câu trả lời về, những người tổ chức sẽ xóa bản sao của họ và xóa tên bạn khỏi mọi danh sách công khai.
withdraw-label = Biên nhận
withdraw-help = 32 chữ cái và chữ số, như đã hiện sau khi gửi; khoảng trắng, dấu gạch ngang hay chữ hoa, chữ thường đều không sao.
withdraw-submit = Rút lại
withdraw-done-title = Xin cảm ơn
withdraw-done-body = Nếu biên nhận này thuộc về câu trả lời đã gửi ở đây, thì câu trả lời đó đã được rút lại: đã bị xóa khỏi trang này, và những người tổ chức sẽ xóa bản sao của họ và xóa tên bạn khỏi mọi danh sách công khai. Để giữ an toàn cho bạn, trang này luôn báo giống nhau, dù biên nhận có khớp hay không.
withdraw-bad = Đây có vẻ không phải là biên nhận: biên nhận gồm 32 chữ cái và chữ số, chia thành từng nhóm bốn ký tự. Vui lòng kiểm tra lại và thử lần nữa.

## The public list of signatories (/signatories)

signatories-title = Những người đã ký tên công khai
signatories-intro = Những cá nhân và tổ chức này đã ký tên vào thư và muốn có tên trong danh sách.
signatories-link = Xem những người đã ký tên công khai
signatories-previous = Trang trước
signatories-next = Trang sau
signatories-page = Trang { $page } trên { $pages }
