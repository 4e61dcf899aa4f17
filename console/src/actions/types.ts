// What a dossier's page knows of the commands its viewer may send now: the API computes them with
// the decider's own preconditions (GET /dossiers/{code}/actions, docs/api.md), and the console
// shows exactly those, each as a form asking for what its command needs. No rule lives here.
import type { ComponentType } from 'react';
import type { paths } from '../api/schema';

type ActionsAnswer = paths['/dossiers/{code}/actions']['get']['responses'][200]['content']['application/json'];

/** One command the caller may send now, as GET /dossiers/{code}/actions lists it (the generated type). */
export type AvailableAction = ActionsAnswer['actions'][number];

/** A command the caller's role could send, refused by the dossier's state now, with the decider's reason. */
export type UnavailableAction = ActionsAnswer['unavailable'][number];

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
