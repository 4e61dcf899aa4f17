// How a name is compared when someone looks a dossier up by it: without the Vietnamese marks, case
// or extra spaces, so "nguyen van an" finds "Nguyễn Văn An" and "NGUYEN  VAN AN" too. Pure: the
// read model stores each applicant's name folded this way (db/projections/dossier-read-models.ts)
// and the search folds the query the same way (db/dossier-summary.ts).

/** The name without diacritics (đ → d), in lower case, with single spaces: what a search compares. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
