import type { NoticeTemplates, TriggerTemplates } from './templates.js';

// The wording of every notice, per trigger and channel, in one place so a reader sees what
// citizens are told. Each names the agency, the dossier and the time of what it
// tells (Decree 224/2026 art. 15(1)(g)). SMS wording is written with diacritics and sent without
// (./sms-text.ts `toAscii`), kept short enough for one 160-character part where the names allow.
// ZNS parameters follow the approved template's names; a unit whose templates were approved with
// other names configures its own (./templates.ts overrides).

const GREETING = 'Kính gửi {xungHo} {tenNguoiNhan},';
const SIGNATURE = 'Trân trọng,\n{tenDonVi}\n\nThư này được gửi tự động từ hệ thống một cửa điện tử; vui lòng không trả lời thư này.';

const email = (subject: string, ...paragraphs: string[]) => ({ subject, text: [GREETING, ...paragraphs, SIGNATURE].join('\n\n') });

const zns = (params: TriggerTemplates['zns']['params']) => ({
  params: {
    ten_khach_hang: { value: '{tenNguoiNhan}', type: 'name' as const },
    ma_ho_so: { value: '{maHoSo}', type: 'code' as const },
    ten_don_vi: { value: '{tenDonVi}', type: 'address' as const },
    thoi_gian: { value: '{thoiGian}', type: 'time' as const },
    ...params,
  },
});

export const DEFAULT_NOTICE_TEMPLATES: NoticeTemplates = {
  received: {
    email: email(
      'Hồ sơ {maHoSo} đã được tiếp nhận',
      '{tenDonVi} đã tiếp nhận hồ sơ của {xungHo} lúc {thoiGian}.\n- Mã hồ sơ: {maHoSo}\n- Thủ tục: {tenThuTuc}\n- Mã tra cứu: {maTraCuu}',
      '{xungHo} có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu trên. Vui lòng giữ kín mã tra cứu.',
    ),
    sms: { text: '{tenDonVi} đã tiếp nhận hồ sơ {maHoSo} lúc {thoiGian}. Mã tra cứu: {maTraCuu}' },
    zns: zns({ ten_thu_tuc: { value: '{tenThuTuc}', type: 'address' }, ma_tra_cuu: { value: '{maTraCuu}', type: 'code' } }),
  },
  accepted: {
    email: email(
      'Hồ sơ {maHoSo} đã được tiếp nhận giải quyết',
      '{tenDonVi} đã tiếp nhận giải quyết hồ sơ {maHoSo} (thủ tục {tenThuTuc}) của {xungHo} lúc {thoiGian}.',
      'Thời gian hẹn trả kết quả: {ngayHenTra}.',
    ),
    sms: { text: 'Hồ sơ {maHoSo} được {tenDonVi} tiếp nhận giải quyết lúc {thoiGian}. Hẹn trả: {ngayHenTra}' },
    zns: zns({ ten_thu_tuc: { value: '{tenThuTuc}', type: 'address' }, ngay_hen_tra: { value: '{ngayHenTra}', type: 'time' } }),
  },
  'supplement-requested': {
    email: email(
      'Hồ sơ {maHoSo} cần bổ sung, hoàn thiện',
      '{tenDonVi} đề nghị {xungHo} bổ sung, hoàn thiện hồ sơ {maHoSo} (thủ tục {tenThuTuc}) theo yêu cầu lúc {thoiGian}.',
      'Nội dung cần bổ sung ({soMucBoSung} mục):\n{danhSachBoSung}',
      'Văn bản yêu cầu bổ sung, hoàn thiện hồ sơ đã được lập; {xungHo} vui lòng liên hệ {tenDonVi} để bổ sung hồ sơ.',
    ),
    sms: { text: '{tenDonVi} yêu cầu bổ sung hồ sơ {maHoSo} ({soMucBoSung} mục) lúc {thoiGian}. Chi tiết tại Bộ phận Một cửa' },
    zns: zns({ so_muc: { value: '{soMucBoSung}', type: 'code' }, noi_dung: { value: '{danhSachBoSung}', type: 'address' } }),
  },
  refused: {
    email: email(
      'Hồ sơ {maHoSo} {ketLuan}',
      '{tenDonVi} thông báo hồ sơ {maHoSo} (thủ tục {tenThuTuc}) của {xungHo} {ketLuan} (lúc {thoiGian}).',
      'Lý do:\n{lyDo}',
      'Căn cứ: {canCu}.',
    ),
    sms: { text: 'Hồ sơ {maHoSo} {ketLuan} ({tenDonVi}, {thoiGian}). Chi tiết tại Bộ phận Một cửa' },
    zns: zns({ ket_luan: { value: '{ketLuan}', type: 'address' }, ly_do: { value: '{lyDo}', type: 'address' } }),
  },
  'financial-obligation': {
    email: email(
      'Hồ sơ {maHoSo}: thông báo nộp {soTien}',
      '{tenDonVi} thông báo {xungHo} thực hiện nghĩa vụ tài chính cho hồ sơ {maHoSo} (thủ tục {tenThuTuc}) lúc {thoiGian}:\n- Số thông báo: {soThongBao}\n- Số tiền: {soTien}',
      'Cách nộp: {cachNop}',
      'Thời hạn giải quyết hồ sơ tạm dừng cho đến khi {xungHo} hoàn thành nghĩa vụ tài chính.',
    ),
    sms: { text: '{tenDonVi}: hồ sơ {maHoSo} cần nộp {soTien}, TB số {soThongBao} ({thoiGian}). {cachNop}' },
    zns: zns({ so_tien: { value: '{soTien}', type: 'amount' }, so_thong_bao: { value: '{soThongBao}', type: 'code' }, cach_nop: { value: '{cachNop}', type: 'address' } }),
  },
  'payment-requested': {
    email: email(
      'Hồ sơ {maHoSo}: đề nghị thanh toán trực tuyến {soTien}',
      '{tenDonVi} đề nghị {xungHo} thanh toán cho hồ sơ {maHoSo} (thủ tục {tenThuTuc}) lúc {thoiGian}:\n- Số tiền: {soTien}\n- Mã thanh toán: {maThanhToan}',
      'Các khoản:\n{khoanThanhToan}',
      'Cách thanh toán: {cachNop}',
    ),
    sms: { text: '{tenDonVi}: hồ sơ {maHoSo} cần thanh toán {soTien} ({thoiGian}). {cachNop}' },
    zns: zns({ so_tien: { value: '{soTien}', type: 'amount' }, ma_thanh_toan: { value: '{maThanhToan}', type: 'code' }, cach_nop: { value: '{cachNop}', type: 'address' } }),
  },
  apology: {
    email: email(
      'Văn bản xin lỗi và hẹn lại ngày trả kết quả hồ sơ {maHoSo}',
      '{coQuanXinLoi} gửi {xungHo} văn bản xin lỗi số {soVanBan} (lúc {thoiGian}) về việc chưa trả kết quả hồ sơ {maHoSo} (thủ tục {tenThuTuc}, tiếp nhận tại {tenDonVi}) đúng hẹn.\n- Lý do: {lyDoXinLoi}\n- Thời gian hẹn trả trước đây: {ngayHenTraCu}\n- Thời gian hẹn trả mới: {ngayHenTraMoi}',
      'Văn bản xin lỗi đã ký số: {linkVanBan}',
      'Rất mong nhận được sự thông cảm của {xungHo}.',
    ),
    sms: { text: '{coQuanXinLoi} xin lỗi vì chậm trả kết quả hồ sơ {maHoSo}. Hẹn trả mới: {ngayHenTraMoi}. Văn bản: {linkVanBan}' },
    zns: zns({
      ten_don_vi: { value: '{coQuanXinLoi}', type: 'address' },
      ngay_hen_tra_cu: { value: '{ngayHenTraCu}', type: 'time' },
      ngay_hen_tra_moi: { value: '{ngayHenTraMoi}', type: 'time' },
      link_van_ban: { value: '{linkVanBan}', type: 'url' },
    }),
  },
  'result-ready': {
    email: email(
      'Hồ sơ {maHoSo} đã có kết quả',
      'Hồ sơ {maHoSo} (thủ tục {tenThuTuc}) của {xungHo} đã được giải quyết xong lúc {thoiGian}; mã kết quả {maKetQua}.',
      'Mời {xungHo} hoặc người được ủy quyền đến {tenDonVi} để nhận kết quả, mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả. Thời gian hẹn trả: {ngayHenTra}.',
    ),
    sms: { text: 'Hồ sơ {maHoSo} đã có kết quả ({thoiGian}). Mời nhận tại {tenDonVi}' },
    zns: zns({ ma_ket_qua: { value: '{maKetQua}', type: 'code' }, ngay_hen_tra: { value: '{ngayHenTra}', type: 'time' } }),
  },
  'result-ready-early': {
    email: email(
      'Hồ sơ {maHoSo} đã có kết quả trước hẹn',
      'Hồ sơ {maHoSo} (thủ tục {tenThuTuc}) của {xungHo} đã được giải quyết xong lúc {thoiGian}, sớm hơn thời gian hẹn trả ({ngayHenTra}); mã kết quả {maKetQua}.',
      'Mời {xungHo} hoặc người được ủy quyền đến {tenDonVi} để nhận kết quả từ bây giờ, mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả.',
    ),
    sms: { text: 'Hồ sơ {maHoSo} đã có kết quả trước hẹn ({thoiGian}). Mời nhận tại {tenDonVi}' },
    zns: zns({ ma_ket_qua: { value: '{maKetQua}', type: 'code' }, ngay_hen_tra: { value: '{ngayHenTra}', type: 'time' } }),
  },
  'result-returned': {
    email: email(
      'Hồ sơ {maHoSo} đã được trả kết quả',
      '{tenDonVi} đã trả kết quả hồ sơ {maHoSo} (thủ tục {tenThuTuc}) cho {xungHo} {hinhThucTra} lúc {thoiGian}.',
      'Mời {xungHo} đánh giá mức độ hài lòng về việc giải quyết hồ sơ tại {tenDonVi} hoặc trên Cổng Dịch vụ công.',
    ),
    sms: { text: 'Hồ sơ {maHoSo} đã được {tenDonVi} trả kết quả {hinhThucTra} lúc {thoiGian}' },
    zns: zns({ hinh_thuc: { value: '{hinhThucTra}', type: 'address' } }),
  },
};
