// The form of each command a dossier's page may offer, by the route's slug. Each form is its own
// script, loaded when a person opens it. A command the API offers with no form here is shown as
// unavailable in the console with its name (docs/console.md#actions), never silently hidden.
import { lazy } from 'react';
import type { ActionForm } from './types';

export const ACTION_FORMS: Readonly<Record<string, ActionForm>> = {
  // Reception (Bộ phận Một cửa)
  accept: lazy(() => import('./forms/accept')),
  'request-supplement-at-reception': lazy(() => import('./forms/request-supplement-at-reception')),
  'refuse-at-reception': lazy(() => import('./forms/refuse-at-reception')),
  'provide-supplement': lazy(() => import('./forms/provide-supplement')),
  'record-payment': lazy(() => import('./forms/record-payment')),
  'return-result': lazy(() => import('./forms/return-result')),
  'request-withdrawal': lazy(() => import('./forms/request-withdrawal')),
  'record-evaluation': lazy(() => import('./forms/record-evaluation')),
  // Specialist offices and heads
  'assign-handler': lazy(() => import('./forms/assign-handler')),
  'complete-step': lazy(() => import('./forms/complete-step')),
  'send-step-back': lazy(() => import('./forms/send-step-back')),
  consult: lazy(() => import('./forms/consult')),
  'record-consultation-reply': lazy(() => import('./forms/record-consultation-reply')),
  'request-supplement': lazy(() => import('./forms/request-supplement')),
  'request-financial-obligation': lazy(() => import('./forms/request-financial-obligation')),
  'request-payment': lazy(() => import('./forms/request-payment')),
  'refuse-to-resolve': lazy(() => import('./forms/refuse-to-resolve')),
  'issue-apology': lazy(() => import('./forms/issue-apology')),
  'issue-result': lazy(() => import('./forms/issue-result')),
  'decide-withdrawal': lazy(() => import('./forms/decide-withdrawal')),
  'issue-lateness-apology': lazy(() => import('./forms/issue-lateness-apology')),
  'record-lateness-explanation': lazy(() => import('./forms/record-lateness-explanation')),
};
