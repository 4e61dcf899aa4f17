// The one modal dialog an actions panel opens its forms in (the dossier's and the feedback item's):
// what is open, the <dialog> shown and closed with it, and the focus given back to the opener.
import { useEffect, useRef, useState } from 'react';

export function useActionDialog<T>() {
  const [open, setOpen] = useState<T | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const close = () => {
    setOpen(null);
    // Back to the button that opened the form, as a person expects after Esc or Cancel.
    requestAnimationFrame(() => opener.current?.focus());
  };

  return { open, setOpen, opener, dialog, close };
}
