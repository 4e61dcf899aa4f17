// An API refusal as a person reads it: what went wrong, the rule behind it and, for a form, which
// field; announced to screen readers as it appears.
import { ApiProblem } from '../api/client';
import { useT } from '../i18n/i18n';

export function ProblemView({ error }: { readonly error: unknown }) {
  const t = useT();
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error.problem : null;
  return (
    <div className="problem" role="alert">
      <strong>{problem?.title ?? t('problem.title')}</strong>
      <p>{problem ? (problem.detail ?? problem.title) : error instanceof TypeError ? t('problem.network') : String((error as Error).message ?? error)}</p>
      {problem?.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((fieldError) => (
            <li key={`${fieldError.field}:${fieldError.message}`}>
              <span className="field-name">{fieldError.field}</span>: {fieldError.message}
            </li>
          ))}
        </ul>
      )}
      {problem?.rule && (
        <p className="rule">
          {t('problem.rule')}: {problem.rule}
        </p>
      )}
      {problem?.code && <p className="code">{problem.code}</p>}
    </div>
  );
}
