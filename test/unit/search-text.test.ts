import { describe, expect, it } from 'vitest';
import { foldForSearch } from '../../domain/search-text.js';

describe('a name as a search compares it', () => {
  it('drops the Vietnamese marks, đ, case and extra spaces', () => {
    expect(foldForSearch('Nguyễn Văn An')).toBe('nguyen van an');
    expect(foldForSearch('  ĐẶNG   Thị  Ánh-Dương ')).toBe('dang thi anh-duong');
    expect(foldForSearch('Công ty TNHH "An Phát"')).toBe('cong ty tnhh "an phat"');
  });

  it('folds a name typed in decomposed form like its composed twin', () => {
    const composed = 'Trần Thị Thuỷ';
    expect(foldForSearch(composed.normalize('NFD'))).toBe(foldForSearch(composed));
    expect(foldForSearch(composed)).toBe('tran thi thuy');
  });
});
