// The console's texts in English, its second language: the same keys as vi.ts (docs/console.md#languages).
import { commonEn } from './areas/common.en';
import { receptionEn } from './areas/reception.en';
import { dossierEn } from './areas/dossier.en';
import { officerEn } from './areas/officer.en';
import { headEn } from './areas/head.en';
import { auditorEn } from './areas/auditor.en';
import { interagencyEn } from './areas/interagency.en';
import { problemsEn } from './areas/problems.en';
import { publicEn } from './areas/public.en';
import { feedbackEn } from './areas/feedback.en';
import type { Messages } from './vi';

export const en = { ...commonEn, ...receptionEn, ...dossierEn, ...officerEn, ...headEn, ...auditorEn, ...interagencyEn, ...problemsEn, ...publicEn, ...feedbackEn } as const satisfies Messages;
