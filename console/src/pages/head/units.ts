// The units a head may choose on the reports: their own and those below it (parentCode in the
// agency catalogue, docs/reports.md#what-is-counted); an auditor may choose any. The API decides
// what each may read; this only offers the choices it would answer.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export interface Unit {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
}

function asUnit(entry: unknown): Unit | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { code, name, parentCode } = entry as Record<string, unknown>;
  if (typeof code !== 'string') return null;
  return { code, name: typeof name === 'string' ? name : code, parentCode: typeof parentCode === 'string' ? parentCode : null };
}

/** The unit and every unit below it, the unit first, then depth-first by code. */
export function unitsWithin(all: readonly Unit[], root: string): Unit[] {
  const children = new Map<string, Unit[]>();
  for (const unit of all) if (unit.parentCode) children.set(unit.parentCode, [...(children.get(unit.parentCode) ?? []), unit]);
  const own = all.find((unit) => unit.code === root) ?? { code: root, name: root, parentCode: null };
  const result: Unit[] = [];
  const visit = (unit: Unit) => {
    result.push(unit);
    for (const child of [...(children.get(unit.code) ?? [])].sort((a, b) => a.code.localeCompare(b.code))) visit(child);
  };
  visit(own);
  return result;
}

export function useUnits() {
  return useQuery({
    queryKey: ['catalogue', 'agencies'],
    queryFn: async () => unwrap(await api.GET('/catalogue/agencies')).agencies.map(asUnit).filter((unit): unit is Unit => unit !== null),
    staleTime: 10 * 60_000,
  });
}
