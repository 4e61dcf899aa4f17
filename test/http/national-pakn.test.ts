// The national PAKN system's reference adapter (integrations/pakn/reference-adapter.ts) against its
// loopback double (doubles/national-pakn-double.ts): the wire both hold to, the cursor, the pushes,
// and each fault the adapter must turn into NationalPaknUnavailable rather than a wrong answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NationalPaknDouble, startNationalPaknDouble } from '../../doubles/national-pakn-double.js';
import { NationalPaknUnavailable, type NationalPaknStatusPush } from '../../integrations/pakn/port.js';
import { referenceNationalPakn } from '../../integrations/pakn/reference-adapter.js';
import { instantOfPortalTime } from '../../integrations/pakn/wire.js';

let double: NationalPaknDouble;
beforeAll(async () => {
  double = await startNationalPaknDouble();
});
afterAll(() => double.close());

const item = (title: string) => ({
  MaDonVi: '000.01.01.H99',
  HoTen: 'Lê Văn Bình',
  SoDienThoai: '0912345678',
  TieuDe: title,
  NoiDung: 'Nội dung phản ánh về thủ tục đăng ký hộ kinh doanh.',
  NgayGui: '20261203083000',
  TepDinhKem: [{ TenTep: 'anh.pdf', NoiDungBase64: Buffer.from('%PDF-1.4 thu').toString('base64') }],
});

const push = (over: Partial<NationalPaknStatusPush> = {}): NationalPaknStatusPush => ({
  feedbackId: 'PAKN-000.01.01.H99-261203-0001',
  version: 3,
  agencyCode: '000.01.01.H99',
  statusLabel: 'xử lý ở địa phương',
  changedAt: '2026-12-03T03:00:00.000Z',
  item: { channel: 'paper', title: 'Phản ánh bằng văn bản', content: 'Nội dung', sentAt: '2026-12-02T02:00:00.000Z', submitter: { fullName: 'Phạm Thị Lan' } },
  ...over,
});

describe('the national PAKN wire', () => {
  it('reads its dates as Vietnam time and refuses dates that do not exist', () => {
    expect(instantOfPortalTime('20261203083000')).toBe('2026-12-03T01:30:00.000Z');
    expect(instantOfPortalTime('20260230083000')).toBeUndefined();
    expect(instantOfPortalTime('2026120308300')).toBeUndefined();
  });
});

describe('the reference adapter on the double', () => {
  it('pulls the items citizens sent, page by page, with their files, and nothing twice after the cursor', async () => {
    const pakn = referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 2_000 });
    const first = double.send(item('Phản ánh thứ nhất'));
    const page = await pakn.pullItems(null);
    expect(page.items.map((row) => row.externalId)).toEqual([first]);
    expect(page.items[0]).toMatchObject({ agencyCode: '000.01.01.H99', title: 'Phản ánh thứ nhất', sentAt: '2026-12-03T01:30:00.000Z', submitter: { fullName: 'Lê Văn Bình', phone: '0912345678' } });
    expect(page.items[0]!.attachments[0]!.bytes.toString()).toBe('%PDF-1.4 thu');
    expect((await pakn.pullItems(page.next)).items).toEqual([]);
    const second = double.send(item('Phản ánh thứ hai'));
    expect((await pakn.pullItems(page.next)).items.map((row) => row.externalId)).toEqual([second]);
  });

  it('creates an item entered locally on its first push, then updates it; an older version changes nothing', async () => {
    const pakn = referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 2_000 });
    const { externalId } = await pakn.pushStatus(push());
    expect(externalId).toMatch(/^QG-/);
    await pakn.pushStatus(push({ externalId, version: 5, statusLabel: 'PAKN chờ công khai', answer: { text: 'Trả lời', signer: 'Trần Văn Minh, Chủ tịch', answeredAt: '2026-12-04T03:00:00.000Z', publish: true } }));
    expect(await pakn.pushStatus(push({ externalId, version: 4, statusLabel: 'PA chờ bổ sung' }))).toEqual({ externalId });
    const held = double.statuses().get(externalId)!;
    expect(held).toMatchObject({ TrangThai: 'PAKN chờ công khai', PhienBan: '5', CongKhai: '1', NoiDungTraLoi: 'Trả lời', NgayTraLoi: '20261204100000' });
    expect(double.pushes().filter((row) => row.body.MaPAKNDonVi === push().feedbackId).map((row) => row.applied)).toEqual([true, true, false]);
  });

  it('refuses a push naming a national id the system does not know', async () => {
    const pakn = referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 2_000 });
    await expect(pakn.pushStatus(push({ externalId: 'QG-99999999' }))).rejects.toMatchObject({ reason: 'refused' });
  });

  it('reads likes and dislikes by cursor', async () => {
    const pakn = referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 2_000 });
    double.react({ MaPAKN: 'QG-00000001', SoLuotThich: 3, SoLuotKhongThich: 5 });
    const page = await pakn.pullReactions(null);
    expect(page.reactions).toEqual([{ externalId: 'QG-00000001', likes: 3, dislikes: 5 }]);
    expect((await pakn.pullReactions(page.next)).reactions).toEqual([]);
  });

  it('turns a wrong token, an outage, a slow answer and a cut-short page into NationalPaknUnavailable', async () => {
    const wrong = referenceNationalPakn({ baseUrl: double.url, token: 'not-the-token', timeoutMs: 2_000 });
    await expect(wrong.pullItems(null)).rejects.toMatchObject({ name: 'NationalPaknUnavailable', reason: 'http' });
    const pakn = referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 300 });
    try {
      double.faults({ down: true });
      await expect(pakn.pullItems(null)).rejects.toMatchObject({ reason: 'http' });
      double.faults({ down: false, malformed: true });
      await expect(pakn.pullItems(null)).rejects.toMatchObject({ reason: 'malformed' });
      double.faults({ malformed: false, slowMs: 1_000 });
      await expect(pakn.pullReactions(null)).rejects.toBeInstanceOf(NationalPaknUnavailable);
    } finally {
      double.faults({ down: false, malformed: false, slowMs: 0 });
    }
  });

  it('serves every item twice under the duplicate fault: the engine receives each once by its national id', async () => {
    double.faults({ duplicate: true });
    try {
      const pakn = referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: 2_000 });
      const page = await pakn.pullItems(null);
      const ids = page.items.map((row) => row.externalId);
      expect(ids.length).toBe(new Set(ids).size * 2);
    } finally {
      double.faults({ duplicate: false });
    }
  });
});
