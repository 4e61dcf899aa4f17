// An API refusal as a person reads it: first what happened and what to do, in the console's language
// (a text per error code, else per problem type: areas/problems.vi.ts); below it, labelled as the
// system's own words, the API's English detail with its specifics (ids, dates), the rule behind it
// and, for a form, which field. Announced to screen readers as it appears.
import { ApiProblem, type Problem } from '../api/client';
import { useT } from '../i18n/i18n';
import { type MessageKey, vi } from '../i18n/vi';

const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(vi, key);

/** The console's own text for a problem: by its code, else by its type's last segment (urn:motcua:problem:<type>). */
export function problemTextKey(problem: Problem): MessageKey | null {
  const byCode = problem.code ? `problem.code.${problem.code}` : null;
  if (byCode && isMessageKey(byCode)) return byCode;
  const typeName = problem.type?.startsWith('urn:motcua:problem:') ? problem.type.slice('urn:motcua:problem:'.length) : null;
  const byType = typeName ? `problem.type.${typeName}` : null;
  return byType && isMessageKey(byType) ? byType : null;
}

export function ProblemView({ error }: { readonly error: unknown }) {
  const t = useT();
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error.problem : null;
  const textKey = problem ? problemTextKey(problem) : null;
  const fieldErrors = problem?.errors && problem.errors.length > 0 && (
    <ul>
      {problem.errors.map((fieldError) => (
        <li key={`${fieldError.field}:${fieldError.message}`}>
          <span className="field-name">{fieldError.field}</span>: {fieldError.message}
        </li>
      ))}
    </ul>
  );
  const rule = problem?.rule && (
    <p className="rule">
      {t('problem.rule')}: {problem.rule}
    </p>
  );
  if (problem && textKey) {
    const detail = problem.detail ?? problem.title;
    return (
      <div className="problem" role="alert">
        <strong className="problem-message">{t(textKey)}</strong>
        {(detail || rule || fieldErrors) && (
          <div className="problem-details">
            <p className="problem-details-label">{t('problem.details')}</p>
            {detail && <p>{detail}</p>}
            {rule}
            {fieldErrors}
          </div>
        )}
        {problem.code && <p className="code">{problem.code}</p>}
      </div>
    );
  }
  return (
    <div className="problem" role="alert">
      <strong>{problem?.title ?? t('problem.title')}</strong>
      <p>{problem ? (problem.detail ?? problem.title) : error instanceof TypeError ? t('problem.network') : String((error as Error).message ?? error)}</p>
      {fieldErrors}
      {rule}
      {problem?.code && <p className="code">{problem.code}</p>}
    </div>
  );
}
