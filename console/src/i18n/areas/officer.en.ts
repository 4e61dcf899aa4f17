// The officer screens' texts (English): the same keys as officer.vi.ts.
import type { officerVi } from './officer.vi';

export const officerEn = {
  'officer.queue.title': 'Dossiers to handle',
  'officer.queue.agency': 'Agency: {agency}',
  'officer.queue.filters': 'Filter',
  'officer.queue.overdueOnly': 'Overdue only',
  'officer.queue.dueSoonOnly': 'Due soon only',
  'officer.queue.mine': 'Assigned to me only',
  'officer.queue.count': '{shown} of {total} dossiers',
  'officer.queue.empty': 'Nothing to handle.',
  'officer.queue.emptyFiltered': 'No dossier matches the filters.',
  'officer.queue.loadFailed': 'The queue could not be loaded.',
  'officer.queue.table': 'Dossiers to handle, soonest due first',
  'officer.queue.code': 'Dossier code',
  'officer.queue.task': 'Task',
  'officer.queue.due': 'Due',
  'officer.queue.state': 'Due state',
  'officer.queue.handler': 'Handler',
  'officer.queue.since': 'Since',
  'officer.queue.unassigned': 'Not assigned',
  'officer.queue.noDue': 'No due date',
  'officer.queue.more': 'Loading more…',
} as const satisfies Record<keyof typeof officerVi, string>;
