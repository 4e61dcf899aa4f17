// Text as an SMS gateway takes it (docs/integrations.md#sms-and-zalo): brandname templates are registered without
// diacritics ("Ho so #MaHoSo da duoc tiep nhan"), and a message in the GSM 03.38 alphabet holds 160
// characters in one part, 153 per part when it is split (a concatenated message's header takes
// the rest). Characters of the alphabet's extension table take two.

const COMBINING_MARKS = /\p{M}/gu;

/** Typographic characters a Vietnamese text carries, as plain ASCII. */
const TYPOGRAPHIC: Readonly<Record<string, string>> = {
  'đ': 'd',
  'Đ': 'D',
  // The Icelandic eth is often typed for Đ.
  'Ð': 'D',
  'ð': 'd',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00A0': ' ',
  '`': "'",
};

/**
 * The text without Vietnamese diacritics ("Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan"),
 * đ/Đ included; typographic quotes and dashes become ASCII, and whatever is left outside ASCII
 * becomes "?" so a gateway never receives a character it would turn into Unicode (UCS-2, 70 per part).
 */
export function toAscii(text: string): string {
  return text
    .replace(/[đĐÐð‘’“”–—…\u00A0`]/g, (character) => TYPOGRAPHIC[character]!)
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC')
    .replace(/[^\n\u0020-\u007E]/gu, '?');
}

/** GSM 03.38 extension-table characters among ASCII: each takes two septets. */
const GSM_EXTENDED = new Set(['^', '{', '}', '\\', '[', ']', '~', '|']);

/** Septets the ASCII text takes in the GSM 7-bit alphabet. */
export function gsmSeptets(ascii: string): number {
  let septets = 0;
  for (const character of ascii) septets += GSM_EXTENDED.has(character) ? 2 : 1;
  return septets;
}

export const SMS_SINGLE_PART = 160;
export const SMS_PART_OF_MANY = 153;

/** How many SMS parts the ASCII text is sent in. */
export function smsParts(ascii: string): number {
  const septets = gsmSeptets(ascii);
  return septets <= SMS_SINGLE_PART ? 1 : Math.ceil(septets / SMS_PART_OF_MANY);
}
