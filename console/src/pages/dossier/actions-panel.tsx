// The commands the signed-in person may send on this dossier now, as the API computes them with the
// decider's own preconditions (GET /dossiers/{code}/actions): one button each, opening its form in a
// dialog; the commands their role could send but the dossier's state refuses, each with the rule.
// The console decides nothing here.
import { Suspense } from 'react';
import { ProblemView } from '../../components/problem-view';
import { useActionDialog } from '../../components/use-action-dialog';
import { statusKey } from '../../components/status-badge';
import { ACTION_FORMS } from '../../actions/registry';
import type { AvailableAction } from '../../actions/types';
import { useActions } from '../../actions/use-actions';
import { type Translate, useT } from '../../i18n/i18n';
import { type MessageKey, vi } from '../../i18n/vi';

/** Reception's forms are labelled by reception's texts, the others by the dossier's. */
const RECEPTION_COMMANDS = new Set(['accept', 'request-supplement-at-reception', 'refuse-at-reception', 'provide-supplement', 'record-payment', 'return-result', 'request-withdrawal', 'record-evaluation']);

export function actionLabel(t: Translate, command: string): string {
  const key = `${RECEPTION_COMMANDS.has(command) ? 'reception' : 'dossier'}.action.${command}`;
  return key in vi ? t(key as MessageKey) : command;
}

export interface CommandDone {
  readonly command: string;
  readonly status: string | null;
}

export function ActionsPanel({ code, onDone }: { readonly code: string; readonly onDone: (done: CommandDone) => void }) {
  const t = useT();
  const actions = useActions(code);
  const { open, setOpen, opener, dialog, close } = useActionDialog<AvailableAction>();

  if (actions.isPending) return <p className="loading">{t('app.loading')}</p>;
  if (actions.isError) {
    return (
      <div>
        <p>{t('dossier.actions.loadFailed')}</p>
        <ProblemView error={actions.error} />
      </div>
    );
  }
  const { actions: available, unavailable, streamVersion } = actions.data;
  const Form = open ? ACTION_FORMS[open.command] : undefined;
  if (actions.data.mirroredFrom) {
    // A mirror of a dossier handled on a ministry's system: nothing here, and the API's reason
    // (DOSSIER_MIRRORED, the same for every command) said once, in full.
    const reason = unavailable[0];
    return (
      <div className="actions-panel">
        <p>{t('interagency.mirror.noActions')}</p>
        {reason && (
          <p>
            {reason.message}
            <br />
            <small>
              {t('problem.rule')}: {reason.rule} <span className="code">({reason.code})</span>
            </small>
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="actions-panel">
      {available.length === 0 ? (
        <p>{t('dossier.actions.none')}</p>
      ) : (
        <ul className="action-buttons">
          {available.map((action) =>
            ACTION_FORMS[action.command] ? (
              <li key={action.command}>
                <button
                  type="button"
                  className="primary"
                  onClick={(event) => {
                    opener.current = event.currentTarget;
                    setOpen(action);
                  }}
                >
                  {actionLabel(t, action.command)}
                </button>
              </li>
            ) : (
              <li key={action.command} className="no-form">
                {t('dossier.actions.noForm', { name: actionLabel(t, action.command) })}
              </li>
            ),
          )}
        </ul>
      )}
      {unavailable.length > 0 && (
        <details className="unavailable">
          <summary>{t('dossier.actions.unavailable')}</summary>
          <ul>
            {unavailable.map((refusal) => (
              <li key={`${refusal.command}:${refusal.code}`}>
                <strong>{actionLabel(t, refusal.command)}</strong>: {refusal.message}
                <br />
                <small>
                  {t('problem.rule')}: {refusal.rule} <span className="code">({refusal.code})</span>
                </small>
              </li>
            ))}
          </ul>
        </details>
      )}
      <dialog
        ref={dialog}
        className="action-dialog"
        aria-label={open ? actionLabel(t, open.command) : undefined}
        onCancel={(event) => {
          event.preventDefault();
          close();
        }}
      >
        {open && Form && (
          <Suspense fallback={<p className="loading">{t('app.loading')}</p>}>
            <Form
              key={open.command}
              dossierCode={code}
              streamVersion={streamVersion}
              action={open}
              onCancel={close}
              onDone={(answer) => {
                const status = typeof answer === 'object' && answer !== null && 'status' in answer ? String((answer as { status: unknown }).status) : null;
                // Closed now, before the page moves the focus to its confirmation: closing a dialog
                // gives the focus back to its opener, which the command may have made disappear.
                dialog.current?.close();
                setOpen(null);
                onDone({ command: open.command, status });
              }}
            />
          </Suspense>
        )}
      </dialog>
    </div>
  );
}

/** The confirmation after a command: what was done and the dossier's new status. */
export function doneMessage(t: Translate, done: CommandDone): string {
  const key = done.status ? statusKey(done.status) : null;
  return t('dossier.actions.done', { action: actionLabel(t, done.command), status: key ? t(key) : (done.status ?? '—') });
}
