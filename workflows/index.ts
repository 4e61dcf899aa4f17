// Everything the worker's workflow bundle contains.
export { dossierWorkflow } from './dossier.js';
export { calendarRolloutWorkflow } from './calendar-rollout.js';
export { deliveryLaneWorkflow } from './delivery-lane.js';
export { feedbackWorkflow } from './feedback.js';
