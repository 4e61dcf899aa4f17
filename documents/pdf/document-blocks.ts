// The body of a document: paragraphs, "label: value" fields, lists and ruled tables, flowing over
// pages.
import type { Block } from '../../domain/documents/document-model.js';
import { type Align, type Column, drawLine, drawLinesAt, type Flow, flowLines, lineHeight, measure, type TextStyle, wrap } from './text-flow.js';

const GRID_THICKNESS = 0.4;

export function drawBlock(flow: Flow, block: Block): void {
  switch (block.kind) {
    case 'paragraph':
      drawParagraph(flow, block);
      break;
    case 'fields':
      drawFields(flow, block.rows);
      break;
    case 'list':
      drawList(flow, block.items, block.numbered);
      break;
    case 'table':
      drawTable(flow, block.columns, block.rows);
      break;
    case 'space':
      flow.y -= block.points;
      return;
  }
  flow.y -= flow.geometry.sizes.body * 0.35;
}

function drawParagraph(flow: Flow, block: Extract<Block, { kind: 'paragraph' }>): void {
  const { fonts, geometry } = flow;
  const font = block.bold ? (block.italic ? fonts.boldItalic : fonts.bold) : block.italic ? fonts.italic : fonts.regular;
  const style = { font, size: geometry.sizes.body };
  const indent = block.indent ? geometry.indent : 0;
  const text = flow.text;
  const lines = wrap(block.text, style, text.width - indent, text.width);
  flowLines(flow, lines, style, block.align ?? 'left', (index) => (index === 0 ? { x: text.x + indent, width: text.width - indent } : text));
}

/** "Label: value"; the value's further lines hang under its start, or at mid-width after a long label. */
function drawFields(flow: Flow, rows: readonly { readonly label: string; readonly value: string }[]): void {
  const style = { font: flow.fonts.regular, size: flow.geometry.sizes.body };
  const text = flow.text;
  for (const { label, value } of rows) {
    const hang = Math.min(measure(`${label.normalize('NFC')}: `, style), text.width / 2);
    const lines = wrap(`${label}: ${value}`, style, text.width, text.width - hang);
    flowLines(flow, lines, style, 'left', (index) => (index === 0 ? text : { x: text.x + hang, width: text.width - hang }));
  }
}

function drawList(flow: Flow, items: readonly string[], numbered: boolean): void {
  const style = { font: flow.fonts.regular, size: flow.geometry.sizes.body };
  const text = flow.text;
  const marker = (index: number) => (numbered ? `${index + 1}.` : '-');
  const markerWidth = measure(`${marker(items.length - 1)} `, style);
  const body: Column = { x: text.x + markerWidth, width: text.width - markerWidth };
  items.forEach((item, index) => {
    // The marker's line is the item's first line, so both land on the same page.
    flow.ensure(lineHeight(style));
    drawLine(flow.page, marker(index), style, text, flow.y - style.size, 'left');
    flowLines(flow, wrap(item, style, body.width), style, 'left', () => body);
  });
}

interface TableRow {
  readonly cells: readonly (readonly string[])[];
  readonly style: TextStyle;
  readonly align: Align;
  readonly height: number;
}

/** A ruled grid; rows grow to their tallest cell and never split, and the header row repeats on each page. */
function drawTable(flow: Flow, columns: Extract<Block, { kind: 'table' }>['columns'], rows: readonly (readonly string[])[]): void {
  const { fonts, geometry } = flow;
  const size = geometry.sizes.table;
  const padding = size * 0.3;
  // Widths are meant to add up to 1; dividing by their sum keeps the grid inside the margins anyway.
  const total = columns.reduce((sum, column) => sum + column.width, 0);
  let x = flow.text.x;
  const cells: Column[] = columns.map((column) => {
    const cell = { x, width: (column.width / total) * flow.text.width };
    x += cell.width;
    return cell;
  });
  const layoutRow = (texts: readonly string[], style: TextStyle, align: Align): TableRow => {
    const lines = cells.map((cell, index) => wrap(texts[index] ?? '', style, cell.width - 2 * padding));
    const height = Math.max(...lines.map((cell) => cell.length)) * lineHeight(style) + 2 * padding;
    return { cells: lines, style, align, height };
  };
  const header = layoutRow(
    columns.map((column) => column.header),
    { font: fonts.bold, size },
    'center',
  );
  const body = rows.map((row) => layoutRow(row, { font: fonts.regular, size }, 'left'));

  flow.ensure(header.height + (body[0]?.height ?? 0));
  drawTableRow(flow, cells, header, padding);
  for (const row of body) {
    if (flow.ensure(row.height)) drawTableRow(flow, cells, header, padding);
    drawTableRow(flow, cells, row, padding);
  }
}

function drawTableRow(flow: Flow, cells: readonly Column[], row: TableRow, padding: number): void {
  const bottom = flow.y - row.height;
  cells.forEach((cell, index) => {
    flow.page.drawRectangle({ x: cell.x, y: bottom, width: cell.width, height: row.height, borderWidth: GRID_THICKNESS });
    const inner = { x: cell.x + padding, width: cell.width - 2 * padding };
    drawLinesAt(flow.page, row.cells[index]!, row.style, inner, flow.y - padding, row.align);
  });
  flow.y = bottom;
}
