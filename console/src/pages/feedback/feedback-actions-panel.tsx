// The steps the signed-in person may take on a feedback item now, as the API works them out from the
// rules (GET /feedback/{id}/actions): one button each opening its form in a dialog, and the steps of
// their role the rules refuse now, each with its rule. The console decides nothing here.
import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { useActionDialog } from '../../components/use-action-dialog';
import { useT } from '../../i18n/i18n';
import { feedbackWord } from './feedback-common';
import { STEP_FORMS } from './feedback-step-forms';

/** A step taken: which, and the item's status after it. */
export interface Done {
  readonly command: string;
  readonly status: string | null;
}

/** The steps the person may take now, one button each opening its form in a dialog; the refused ones with the rule. */
export function FeedbackActions({ feedbackId, onDone }: { readonly feedbackId: string; readonly onDone: (done: Done) => void }) {
  const t = useT();
  const actions = useQuery({ queryKey: ['feedback', feedbackId, 'actions'], queryFn: async () => unwrap(await api.GET('/feedback/{id}/actions', { params: { path: { id: feedbackId } } })) });
  const { open, setOpen, opener, dialog, close } = useActionDialog<string>();
  if (actions.isPending) return <p className="loading">{t('app.loading')}</p>;
  if (actions.isError) {
    return (
      <div>
        <p>{t('feedback.actions.loadFailed')}</p>
        <ProblemView error={actions.error} />
      </div>
    );
  }
  const { actions: available, unavailable } = actions.data;
  const Form = open ? STEP_FORMS[open] : undefined;
  return (
    <div className="actions-panel">
      {available.length === 0 ? (
        <p>{t('feedback.actions.none')}</p>
      ) : (
        <ul className="action-buttons">
          {available.map((action) => (
            <li key={action.command}>
              <button
                type="button"
                className="primary"
                onClick={(event) => {
                  opener.current = event.currentTarget;
                  setOpen(action.command);
                }}
              >
                {feedbackWord(t, 'action', action.command)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {unavailable.length > 0 && (
        <details className="unavailable">
          <summary>{t('feedback.actions.unavailable')}</summary>
          <ul>
            {unavailable.map((refusal) => (
              <li key={`${refusal.command}:${refusal.code}`}>
                <strong>{feedbackWord(t, 'action', refusal.command)}</strong>: {refusal.message}
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
        aria-label={open ? feedbackWord(t, 'action', open) : undefined}
        onCancel={(event) => {
          event.preventDefault();
          close();
        }}
      >
        {open && Form && (
          <Suspense fallback={<p className="loading">{t('app.loading')}</p>}>
            <Form
              key={open}
              feedbackId={feedbackId}
              onCancel={close}
              onDone={(answer) => {
                const status = typeof answer === 'object' && answer !== null && 'status' in answer ? String((answer as { status: unknown }).status) : null;
                dialog.current?.close();
                setOpen(null);
                onDone({ command: open, status });
              }}
            />
          </Suspense>
        )}
      </dialog>
    </div>
  );
}
