// The head of a document: the issuer and the national motto side by side, the number and the
// place and date, then the title and its subtitle lines.
import { NATIONAL_MOTTO, type DocumentModel } from '../../domain/documents/document-model.js';
import { centreOf, type Column, drawLinesAt, drawRule, fittedSize, type Flow, flowLines, measure, upper, widest, wrap } from './text-flow.js';

/** The issuer's column of the header; the motto, wider in every font, gets the rest. */
const ISSUER_COLUMN_SHARE = 0.4;

/**
 * Left: the superior agency, the issuer in bold under a short rule, the number. Right: the motto,
 * a rule as long as its second line, the place and date in italics. The number and the place and
 * date share a baseline, as in Decree 30's templates.
 */
export function drawHeader(flow: Flow, model: DocumentModel): void {
  const { fonts, geometry, page } = flow;
  const { sizes } = geometry;
  const issuerWidth = flow.text.width * ISSUER_COLUMN_SHARE;
  const left: Column = { x: flow.text.x, width: issuerWidth };
  const right: Column = { x: flow.text.x + issuerWidth, width: flow.text.width - issuerWidth };
  const ruleGap = sizes.header * 0.45;

  let leftY = flow.y;
  if (model.issuer.superior) {
    const style = { font: fonts.regular, size: sizes.header };
    leftY = drawLinesAt(page, wrap(upper(model.issuer.superior), style, left.width), style, left, leftY, 'center');
  }
  const issuerStyle = { font: fonts.bold, size: sizes.header };
  const issuerLines = wrap(upper(model.issuer.name), issuerStyle, left.width);
  leftY = drawLinesAt(page, issuerLines, issuerStyle, left, leftY, 'center');
  // Decree 30: a rule a third to a half as long as the issuer's name, and one as long as the motto.
  drawRule(page, centreOf(left), leftY - ruleGap / 3, widest(issuerLines, issuerStyle) * 0.4);

  const [national, motto] = NATIONAL_MOTTO.map((line) => line.normalize('NFC'));
  const nationalStyle = { font: fonts.bold, size: fittedSize(national!, fonts.bold, sizes.header, right.width) };
  const mottoStyle = { font: fonts.bold, size: fittedSize(motto!, fonts.bold, sizes.motto, right.width) };
  let rightY = drawLinesAt(page, [national!], nationalStyle, right, flow.y, 'center');
  rightY = drawLinesAt(page, [motto!], mottoStyle, right, rightY, 'center');
  drawRule(page, centreOf(right), rightY - ruleGap / 3, measure(motto!, mottoStyle));

  const metaTop = Math.min(leftY, rightY) - 1.5 * ruleGap;
  const numberStyle = { font: fonts.regular, size: sizes.meta };
  const placeStyle = { font: fonts.italic, size: sizes.meta };
  leftY = drawLinesAt(page, wrap(model.number, numberStyle, left.width), numberStyle, left, metaTop, 'center');
  rightY = drawLinesAt(page, wrap(model.placeAndDate, placeStyle, right.width), placeStyle, right, metaTop, 'center');
  flow.y = Math.min(leftY, rightY);
}

export function drawTitle(flow: Flow, model: DocumentModel): void {
  const { fonts, geometry } = flow;
  flow.y -= geometry.sizes.body;
  const titleStyle = { font: fonts.bold, size: geometry.sizes.title };
  flowLines(flow, wrap(upper(model.title), titleStyle, flow.text.width), titleStyle, 'center');
  const subtitleStyle = { font: fonts.regular, size: geometry.sizes.body };
  for (const line of model.subtitle ?? []) flowLines(flow, wrap(line, subtitleStyle, flow.text.width), subtitleStyle, 'center');
  flow.y -= geometry.sizes.body * 0.6;
}
