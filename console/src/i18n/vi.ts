// Every text of the console in Vietnamese, its first language (docs/console.md#languages): one file
// per area of screens in areas/, each with its English twin of the same keys (a missing one is a
// build error). `{name}` is a placeholder. Keys are `<area>.<what>`, unique across areas.
import { commonVi } from './areas/common.vi';
import { receptionVi } from './areas/reception.vi';
import { dossierVi } from './areas/dossier.vi';
import { officerVi } from './areas/officer.vi';
import { headVi } from './areas/head.vi';
import { auditorVi } from './areas/auditor.vi';
import { interagencyVi } from './areas/interagency.vi';
import { problemsVi } from './areas/problems.vi';
import { publicVi } from './areas/public.vi';
import { feedbackVi } from './areas/feedback.vi';

export const vi = { ...commonVi, ...receptionVi, ...dossierVi, ...officerVi, ...headVi, ...auditorVi, ...interagencyVi, ...problemsVi, ...publicVi, ...feedbackVi } as const;

export type MessageKey = keyof typeof vi;
export type Messages = { readonly [key in MessageKey]: string };
