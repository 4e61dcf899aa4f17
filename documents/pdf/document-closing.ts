// The foot of a document: the signature boxes, the "Nơi nhận" list, and page numbers when there is
// more than one page.
import type { SignatureBox } from '../../domain/documents/document-model.js';
import { type Align, type Canvas, type Column, drawLine, drawLinesAt, type Flow, lineHeight, type TextStyle, upper, wrap } from './text-flow.js';

/** Lines of one style, one after the other; a number is vertical space. */
type Stack = readonly ({ readonly lines: readonly string[]; readonly style: TextStyle } | number)[];

interface Placed {
  readonly column: Column;
  readonly stack: Stack;
  readonly align: Align;
}

const stackHeight = (stack: Stack): number => stack.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : part.lines.length * lineHeight(part.style)), 0);

function drawStack(page: Canvas, stack: Stack, column: Column, top: number, align: Align): void {
  let y = top;
  for (const part of stack) y = typeof part === 'number' ? y - part : drawLinesAt(page, part.lines, part.style, column, y, align);
}

/**
 * The signature boxes share the width evenly, at least two slots so that a single signer stands on
 * the right as in Vietnamese documents; boxes take the rightmost slots. "Nơi nhận" goes in the
 * first slot when it is free, beside the signatures, else above them.
 */
export function drawClosing(flow: Flow, signatures: readonly SignatureBox[], recipients: readonly string[]): void {
  if (signatures.length === 0 && recipients.length === 0) return;
  const slots = Math.max(2, signatures.length);
  const slotWidth = flow.text.width / slots;
  const slot = (index: number): Column => ({ x: flow.text.x + index * slotWidth, width: slotWidth });
  const boxes: Placed[] = signatures.map((signature, index) => ({ column: slot(slots - signatures.length + index), stack: signatureStack(flow, signature, slotWidth), align: 'center' }));
  const beside = signatures.length < slots;

  flow.y -= flow.geometry.sizes.body * 0.6;
  if (recipients.length > 0) {
    const list: Placed = { column: slot(0), stack: recipientsStack(flow, recipients, slotWidth), align: 'left' };
    if (beside) boxes.unshift(list);
    else drawRow(flow, [list]);
  }
  drawRow(flow, boxes);
}

/** Draws stacks side by side from the flow's top, all on one page. */
function drawRow(flow: Flow, items: readonly Placed[]): void {
  const height = Math.max(0, ...items.map((item) => stackHeight(item.stack)));
  flow.ensure(height);
  for (const item of items) drawStack(flow.page, item.stack, item.column, flow.y, item.align);
  flow.y -= height + flow.geometry.sizes.body * 0.6;
}

function signatureStack(flow: Flow, signature: SignatureBox, width: number): Stack {
  const { fonts, geometry } = flow;
  const bold = { font: fonts.bold, size: geometry.sizes.body };
  const italic = { font: fonts.italic, size: geometry.sizes.body };
  return [
    { lines: wrap(upper(signature.title), bold, width), style: bold },
    ...(signature.hint ? [{ lines: wrap(signature.hint, italic, width), style: italic }] : []),
    geometry.signatureGap,
    ...(signature.name ? [{ lines: wrap(signature.name, bold, width), style: bold }] : []),
  ];
}

/** Decree 30: "Nơi nhận:" in bold italics, the recipients one a line after a dash, a size smaller. */
function recipientsStack(flow: Flow, recipients: readonly string[], width: number): Stack {
  const { fonts, geometry } = flow;
  const label = { font: fonts.boldItalic, size: geometry.sizes.header };
  const item = { font: fonts.regular, size: geometry.sizes.small };
  return [
    { lines: ['Nơi nhận:'.normalize('NFC')], style: label },
    { lines: recipients.flatMap((recipient) => wrap(`- ${recipient}`, item, width)), style: item },
  ];
}

export function numberPages(flow: Flow): void {
  const { pages } = flow;
  if (pages.length < 2) return;
  const style = { font: flow.fonts.regular, size: flow.geometry.sizes.small };
  const baseline = (flow.geometry.margin.bottom - style.size) / 2;
  pages.forEach((page, index) => drawLine(page, String(index + 1), style, flow.text, baseline, 'center'));
}
