// A dossier's folded state as lines a person can compare: every leaf field under its path
// (`steps[0].status`), and the fields whose value differs between two states. Pure: the state is
// the API's (GET /dossiers/{code}/state); this only lays it out.

export type FlatState = ReadonlyMap<string, string>;

/** Every leaf of a JSON value under its path; an empty object or list is a leaf of its own. */
export function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0) into.set(path, '[]');
    value.forEach((item, index) => flatten(item, `${path}[${index}]`, into));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) into.set(path, '{}');
    for (const [key, item] of entries) flatten(item, path ? `${path}.${key}` : key, into);
  } else {
    into.set(path, value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  }
  return into;
}

export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** The fields added, removed or changed from `before` to `after`, in path order. */
export function diffStates(before: unknown, after: unknown): FieldChange[] {
  const from = flatten(before);
  const to = flatten(after);
  const fields = [...new Set([...from.keys(), ...to.keys()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const was = from.get(field) ?? null;
    const is = to.get(field) ?? null;
    if (was !== is) changes.push({ field, before: was, after: is });
  }
  return changes;
}
