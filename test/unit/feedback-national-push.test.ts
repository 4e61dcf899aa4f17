// What the engine tells the national PAKN system of an item (activities/feedback-national-sync.ts
// statusPushOf, the wire of integrations/pakn/wire.ts): its national label as the log leaves it, the
// note of the latest refusal, transfer or question (gone once answered or accepted), the answer, and
// the wire's strings and Vietnam-time instants.
import { describe, expect, it } from 'vitest';
import { statusPushOf } from '../../activities/feedback-national-sync.js';
import type { FeedbackEvent } from '../../domain/feedback/events.js';
import { foldFeedback, isReceivedFeedback, newFeedback } from '../../domain/feedback/feedback-state.js';
import { statusPushOnWire } from '../../integrations/pakn/reference-adapter.js';
import { wireStatusPushSchema } from '../../integrations/pakn/wire.js';

const ID = 'PAKN-000.01.01.H99-261203-0002';
const received: FeedbackEvent = {
  type: 'FeedbackReceived',
  schemaVersion: 1,
  data: {
    at: '2026-12-03T02:00:00.000Z',
    feedbackId: ID,
    agencyCode: '000.01.01.H99',
    channel: 'phone',
    submitter: { fullName: 'Phạm Văn Lâm', phone: '0987654321' },
    title: 'Kiến nghị về giờ làm việc',
    content: 'Đề nghị mở cửa vào sáng thứ Bảy.',
    attachments: [],
    sentAt: '2026-12-02T08:00:00.000Z',
    calendarVersion: 'vn-civil-service@2026',
    limits: { refuse: 2, infoRequest: 5, answer: 15, publish: 2 },
  },
};
const asked: FeedbackEvent = { type: 'FeedbackInformationRequested', schemaVersion: 1, data: { at: '2026-12-03T03:00:00.000Z', question: 'Ông cho biết đơn vị nào?', first: true } };
const provided: FeedbackEvent = { type: 'FeedbackInformationProvided', schemaVersion: 1, data: { at: '2026-12-03T04:00:00.000Z', content: 'Bộ phận Một cửa xã', attachments: [] } };
const refused: FeedbackEvent = { type: 'FeedbackRefused', schemaVersion: 1, data: { at: '2026-12-03T05:00:00.000Z', reason: 'Không thuộc phạm vi phản ánh, kiến nghị' } };

function pushOf(events: FeedbackEvent[], externalId?: string) {
  const state = foldFeedback(newFeedback(ID), events);
  if (!isReceivedFeedback(state)) throw new Error('not received');
  return statusPushOf(state, events, events.length, externalId);
}

describe('a status push', () => {
  it('names the item as received, for the national system to create (no national id yet)', () => {
    const push = pushOf([received]);
    expect(push).toMatchObject({ feedbackId: ID, version: 1, agencyCode: '000.01.01.H99', statusLabel: 'Tiếp nhận ở địa phương', changedAt: '2026-12-03T02:00:00.000Z', item: { channel: 'phone', sentAt: '2026-12-02T08:00:00.000Z', submitter: { fullName: 'Phạm Văn Lâm', phone: '0987654321' } } });
    expect(push.externalId).toBeUndefined();
    expect(push.note).toBeUndefined();
  });

  it('carries the question while it is open, and drops it once the sender answered', () => {
    expect(pushOf([received, asked], 'QG-1')).toMatchObject({ externalId: 'QG-1', statusLabel: 'PA chờ bổ sung', note: 'Ông cho biết đơn vị nào?' });
    const after = pushOf([received, asked, provided], 'QG-1');
    expect(after.statusLabel).toBe('Phản ánh đã bổ sung');
    expect(after.note).toBeUndefined();
  });

  it('carries a refusal\'s reason', () => {
    expect(pushOf([received, refused])).toMatchObject({ statusLabel: 'Từ chối tiếp nhận', note: 'Không thuộc phạm vi phản ánh, kiến nghị', version: 2 });
  });

  it('goes on the wire as strings, instants in Vietnam time, within the wire\'s schema', () => {
    const wire = statusPushOnWire(pushOf([received, asked], 'QG-1'));
    expect(wireStatusPushSchema.safeParse(wire).success).toBe(true);
    expect(wire).toMatchObject({ MaPAKN: 'QG-1', MaPAKNDonVi: ID, PhienBan: '2', TrangThai: 'PA chờ bổ sung', NgayCapNhat: '20261203100000', NgayGui: '20261202150000', KenhTiepNhan: 'phone', GhiChu: 'Ông cho biết đơn vị nào?', CongKhai: '0' });
  });
});
