// What a dossier's page knows of the commands its viewer may send now: the API computes them with
// the decider's own preconditions (GET /dossiers/{code}/actions, docs/api.md), and the console
// shows exactly those, each as a form asking for what its command needs. No rule lives here.
import type { ComponentType } from 'react';

/** One command the caller may send now, as GET /dossiers/{code}/actions lists it. */
export interface AvailableAction {
  /** The route's slug: POST /dossiers/{code}/<command>. */
  readonly command: string;
  /** The command's type in the decider: AcceptDossier, CompleteStep, ... */
  readonly type: string;
  /** The steps in progress the caller's agency holds (step commands only). */
  readonly steps?: readonly string[];
  /** The open consultations (record-consultation-reply only). */
  readonly consultations?: readonly string[];
}

/** A command the caller's role could send, refused by the dossier's state now, with the decider's reason. */
export interface UnavailableAction {
  readonly command: string;
  readonly type: string;
  readonly code: string;
  readonly message: string;
  readonly rule: string;
}

/** What a command's form gets: the dossier, the action as the API offered it, and what to do after. */
export interface ActionFormProps {
  readonly dossierCode: string;
  /** The dossier's stream version when the actions were read (sent as If-Match where the route takes it). */
  readonly streamVersion: number;
  readonly action: AvailableAction;
  /** The command was recorded: the page reloads the dossier, its actions and its documents. */
  readonly onDone: (answer: unknown) => void;
  readonly onCancel: () => void;
}

export type ActionForm = ComponentType<ActionFormProps>;
