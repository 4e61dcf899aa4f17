// The tax authority's system as a loopback double (docs/integrations.md#the-systems-doubles), on the
// generic interagency double (doubles/interagency-double.ts). After a hand-off (the tax assessment of
// a land dossier) it issues, `answerDelayMs` later, its notice of the financial obligation (thông báo
// nộp tiền: number, amount, the last day to pay 30 days on, the notice as a PDF), then waits for the
// citizen to pay: `POST /__pay {"dossierCode": "…"}` (or by itself `payAfterMs` after the notice).
// On payment it sends the receipt (chứng từ nộp tiền: same amount, paid online, the receipt as a
// PDF) and completes the step. An update is recorded and answers nothing; a cancel stops it waiting.
import type { InteragencyDouble, InteragencyDoubleOptions, InteragencyScript, HeldStep, ScriptContext } from './interagency-double.js';
import { startInteragencyDouble } from './interagency-double.js';
import { answerFile, systemPaper } from './interagency-pdf.js';

export const TAX_ISSUER = 'CƠ QUAN THUẾ (HỆ THỐNG THỬ NGHIỆM)';
export const DEFAULT_TAX_AMOUNT_VND = 2_350_000;

interface Obligation {
  readonly noticeNumber: string;
  readonly amountVnd: number;
  readonly dueDate: string;
  paid: boolean;
}

/** A day in Vietnam (UTC+7), `days` after the instant. */
export function vietnamDate(instant: Date, days = 0): string {
  return new Date(instant.getTime() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

const money = (amount: number) => `${amount.toLocaleString('vi-VN')} đồng`;

export interface TaxScriptOptions {
  readonly amountVnd?: number;
  /** Pays by itself this long after the notice (never by default: POST /__pay). */
  readonly payAfterMs?: number;
}

export function taxScript(options: TaxScriptOptions = {}): InteragencyScript {
  const amountVnd = options.amountVnd ?? DEFAULT_TAX_AMOUNT_VND;
  let notices = 0;
  let receipts = 0;

  async function pay(step: HeldStep, context: ScriptContext): Promise<void> {
    const obligation = step.notes.obligation as Obligation;
    obligation.paid = true;
    receipts += 1;
    const now = new Date();
    const receiptNumber = `CT-${now.getUTCFullYear()}-${String(receipts).padStart(6, '0')}`;
    const bytes = await systemPaper(TAX_ISSUER, 'Chứng từ nộp tiền vào ngân sách nhà nước', [`Hồ sơ: ${step.dossierCode}`, `Số chứng từ: ${receiptNumber}`, `Theo thông báo: ${obligation.noticeNumber}`, `Số tiền: ${money(obligation.amountVnd)}`, 'Hình thức nộp: trực tuyến']);
    context.answer(step, [
      { kind: 'payment-receipt', receiptNumber, amountVnd: obligation.amountVnd, paidAt: now.toISOString(), method: 'online', file: answerFile('chung-tu-nop-tien.pdf', bytes) },
      { kind: 'completed', note: 'Người nộp đã hoàn thành nghĩa vụ tài chính' },
    ]);
  }

  return {
    handOff(step, context) {
      context.later(step, context.answerDelayMs, async () => {
        notices += 1;
        const now = new Date();
        const obligation: Obligation = { noticeNumber: `TB-${now.getUTCFullYear()}-${String(notices).padStart(6, '0')}`, amountVnd, dueDate: vietnamDate(now, 30), paid: false };
        const bytes = await systemPaper(TAX_ISSUER, 'Thông báo nộp tiền', [`Hồ sơ: ${step.dossierCode}`, `Số thông báo: ${obligation.noticeNumber}`, `Số tiền phải nộp: ${money(amountVnd)}`, `Hạn nộp: ${obligation.dueDate}`]);
        step.notes.obligation = obligation;
        context.answer(step, [{ kind: 'financial-obligation', noticeNumber: obligation.noticeNumber, amountVnd, dueDate: obligation.dueDate, file: answerFile('thong-bao-nop-tien.pdf', bytes) }]);
        if (options.payAfterMs !== undefined) context.later(step, options.payAfterMs, () => pay(step, context));
      });
    },
    routes(app, context) {
      // The citizen pays (at the bank, online): the receipt and the completion follow.
      app.post('/__pay', async (request, reply) => {
        const dossierCode = (request.body as { dossierCode?: unknown } | undefined)?.dossierCode;
        if (typeof dossierCode !== 'string') return reply.code(400).send({ error: 'bad-payment', message: 'dossierCode is required' });
        const step = context.held(dossierCode).find((one) => one.notes.obligation !== undefined && one.state === 'working');
        if (!step) return reply.code(404).send({ error: 'no-obligation', message: `no notice of ${dossierCode} is waiting for payment (not issued yet, already paid, or cancelled)` });
        const obligation = step.notes.obligation as Obligation;
        if (obligation.paid) return reply.code(409).send({ error: 'already-paid', message: `notice ${obligation.noticeNumber} is paid already` });
        await context.act(step, () => pay(step, context));
        return { paid: obligation.noticeNumber, amountVnd: obligation.amountVnd };
      });
    },
  };
}

export type TaxDoubleOptions = Omit<InteragencyDoubleOptions, 'system' | 'script' | 'referencePrefix'> & TaxScriptOptions;

export function startTaxDouble(options: TaxDoubleOptions): Promise<InteragencyDouble> {
  const { amountVnd, payAfterMs, ...rest } = options;
  return startInteragencyDouble({ ...rest, system: 'tax', script: taxScript({ ...(amountVnd !== undefined ? { amountVnd } : {}), ...(payAfterMs !== undefined ? { payAfterMs } : {}) }), referencePrefix: 'THUE' });
}
