// Looking a dossier up (every role): by its code, by a part of the applicant's name (typed with or
// without marks), or by the applicant's whole ID number. The API shows each person only the
// dossiers their agency takes part in; the values typed are personal data and stay off the address
// bar (kept in the screen's state, not the URL). A mirror of a dossier handled on a ministry's
// system is marked with its source, and the list can keep only those or only the engine's own.
import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiProblem, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { useI18n } from '../../i18n/i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import type { MessageKey } from '../../i18n/vi';
import { DueMark } from './due-mark';
import './reception.css';

type By = 'code' | 'name' | 'id';
type Source = 'all' | 'own' | 'mirrored';
// Any agency's code, as the API reads one (domain/dossier/dossier-code.ts): a mirror's (G01.BCA-…) too.
const CODE = /^[0-9A-Z]{1,8}(?:\.[0-9A-Z]{1,8}){0,5}-\d{6}-\d{4,}$/;
const ID = /^[0-9A-Za-z-]{6,20}$/;

interface Row {
  readonly dossierCode: string;
  readonly procedureCode: string;
  readonly status: string;
  readonly receivedAt: string;
  readonly due: string | null;
  readonly extendedDue: string | null;
  readonly overdue: boolean;
  readonly dueSoon: boolean;
  readonly applicant: { readonly fullName: string };
  readonly mirroredFrom: string | null;
}

export default function SearchPage() {
  const { t, language } = useI18n();
  const [by, setBy] = useState<By>('code');
  const [text, setText] = useState('');
  const [source, setSource] = useState<Source>('all');
  const [search, setSearch] = useState<{ by: By; value: string; source: Source } | null>(null);
  const [invalid, setInvalid] = useState<MessageKey | null>(null);
  const results = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${t('reception.search.title')} — ${t('app.name')}`;
  }, [t]);

  const found = useInfiniteQuery({
    queryKey: ['search', search],
    enabled: search !== null,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }): Promise<{ items: Row[]; nextCursor: string | null }> => {
      if (!search) return { items: [], nextCursor: null };
      if (search.by === 'code') {
        const answer = await api.GET('/dossiers/{code}', { params: { path: { code: search.value } } });
        if (answer.response.status === 404) return { items: [], nextCursor: null };
        const dossier = unwrap(answer);
        return { items: [{ ...dossier, applicant: dossier.applicant }], nextCursor: null };
      }
      const query = search.by === 'name' ? { applicantName: search.value } : { applicantId: search.value };
      const mirrored = search.source === 'all' ? {} : { mirrored: search.source === 'mirrored' ? ('true' as const) : ('false' as const) };
      return unwrap(await api.GET('/dossiers', { params: { query: { ...query, ...mirrored, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } }));
    },
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  useEffect(() => {
    if (found.isSuccess && !found.isFetchingNextPage) results.current?.focus();
  }, [found.isSuccess, found.dataUpdatedAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    const problem: MessageKey | null =
      by === 'code' ? (CODE.test(value.toUpperCase()) ? null : 'reception.invalid.searchCode') : by === 'name' ? (value.length >= 2 ? null : 'reception.invalid.searchName') : ID.test(value) ? null : 'reception.invalid.searchId';
    setInvalid(problem);
    if (!problem) setSearch({ by, value: by === 'name' ? value : value.toUpperCase(), source });
  };
  const items = found.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section>
      <h1>{t('reception.search.title')}</h1>
      <form className="card" role="search" onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('reception.search.by')}</legend>
          <div className="reception-radios">
            {(['code', 'name', 'id'] as const).map((value) => (
              <label key={value}>
                <input type="radio" name="search-by" value={value} checked={by === value} onChange={() => setBy(value)} />
                {t(`reception.search.by.${value}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="reception-field">
          <label htmlFor="search-text">{t('reception.search.query')}</label>
          <small id="search-text-hint">{t(`reception.search.hint.${by}`)}</small>
          <input id="search-text" type="search" autoComplete="off" value={text} onChange={(event) => setText(event.target.value)} aria-describedby={invalid ? 'search-text-hint search-text-error' : 'search-text-hint'} aria-invalid={invalid ? true : undefined} />
          {invalid && (
            <small id="search-text-error" className="field-error" role="alert">
              {t(invalid)}
            </small>
          )}
        </div>
        {by !== 'code' && (
          <div className="reception-field">
            <label htmlFor="search-source">{t('interagency.filter.source')}</label>
            <select id="search-source" value={source} onChange={(event) => setSource(event.target.value as Source)}>
              {(['all', 'own', 'mirrored'] as const).map((value) => (
                <option key={value} value={value}>
                  {t(`interagency.filter.${value}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="primary">
          {t('reception.search.submit')}
        </button>
      </form>
      {found.error && !(found.error instanceof ApiProblem && found.error.problem.status === 404) && <ProblemView error={found.error} />}
      {search && found.isFetching && !found.data && <p role="status">{t('app.loading')}</p>}
      {found.data && (
        <>
          <h2 tabIndex={-1} ref={results}>
            {t('reception.search.results')}
          </h2>
          {items.length === 0 ? (
            <p role="status">{t('reception.search.none')}</p>
          ) : (
            <div className="reception-table-wrap">
              <table>
                <caption>{t('reception.search.caption', { n: items.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reception.queue.code')}</th>
                    <th scope="col">{t('reception.search.applicant')}</th>
                    <th scope="col">{t('reception.search.procedure')}</th>
                    <th scope="col">{t('reception.search.status')}</th>
                    <th scope="col">{t('reception.search.receivedAt')}</th>
                    <th scope="col">{t('reception.queue.dueAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.dossierCode}>
                      <th scope="row">
                        <Link to={`/dossiers/${item.dossierCode}`}>{item.dossierCode}</Link>
                        {item.mirroredFrom && (
                          <>
                            {' '}
                            <span className="badge mirrored">{t('interagency.mirror.marker', { system: item.mirroredFrom })}</span>
                          </>
                        )}
                      </th>
                      <td>{item.applicant.fullName}</td>
                      <td>{item.procedureCode}</td>
                      <td>{t(`reception.status.${item.status}` as MessageKey) ?? item.status}</td>
                      <td>{formatDateTime(item.receivedAt, language)}</td>
                      <td>
                        {formatDate(item.extendedDue ?? item.due, language)} <DueMark dueAt={item.extendedDue ?? item.due} overdue={item.overdue} dueSoon={item.dueSoon} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {found.hasNextPage && (
            <div className="actions-row">
              <button type="button" onClick={() => void found.fetchNextPage()} disabled={found.isFetchingNextPage}>
                {t('reception.search.more')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
