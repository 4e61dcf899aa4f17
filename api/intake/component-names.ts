// A portal that names components (TenThanhPhan) rather than coding them: the name is matched to the
// procedure's components, exactly first, then as Vietnamese text normalised (case, diacritics, đ,
// punctuation and spacing ignored). A name that matches none, or several, is refused: a file is
// never attached to a component by a guess.
import type { Component } from '../../domain/catalogue/procedure.js';

/** The name as compared loosely: NFC, lower case, no diacritics, đ as d, letters and digits single-spaced. */
export function normalisedName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export type NameMatch = { readonly ok: true; readonly componentId: string } | { readonly ok: false; readonly reason: 'none' | 'several'; readonly candidates: readonly string[] };

export function matchComponentName(name: string, components: readonly Pick<Component, 'id' | 'name'>[]): NameMatch {
  const exact = components.filter((component) => component.name.normalize('NFC').trim() === name.normalize('NFC').trim());
  if (exact.length === 1) return { ok: true, componentId: exact[0]!.id };
  const wanted = normalisedName(name);
  const loose = components.filter((component) => normalisedName(component.name) === wanted);
  if (loose.length === 1) return { ok: true, componentId: loose[0]!.id };
  return { ok: false, reason: loose.length > 1 || exact.length > 1 ? 'several' : 'none', candidates: components.map((component) => component.name) };
}
