// Opening a file or document of a dossier: a plain link carries no token, so the file is fetched with
// the session's Authorization header and shown (or saved) from an object URL.
import { useState } from 'react';
import { useT } from '../../i18n/i18n';

export function OpenFileButton({ href, token, label, download }: { readonly href: string; readonly token: string; readonly label: string; readonly download?: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const open = async () => {
    setBusy(true);
    setFailed(false);
    // Opened before the fetch, while the click still counts as the person's, so no popup blocker stops it.
    const view = download ? null : window.open('', '_blank');
    try {
      const response = await fetch(href, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(String(response.status));
      const url = URL.createObjectURL(await response.blob());
      if (download) {
        const link = document.createElement('a');
        link.href = url;
        link.download = download;
        link.click();
      } else if (view) {
        view.location.href = url;
      } else {
        window.location.assign(url);
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      view?.close();
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="link-button" onClick={() => void open()} disabled={busy}>
        {busy ? t('dossier.opening') : label}
      </button>
      {failed && (
        <span role="alert" className="field-error">
          {' '}
          {t('dossier.openFailed')}
        </span>
      )}
    </>
  );
}
