// Everything the worker's workflow bundle contains.
export { dossierWorkflow } from './dossier.js';
export { calendarRolloutWorkflow } from './calendar-rollout.js';
