// A wide table on a narrow screen scrolls sideways in its own region, which the keyboard can reach and
// scroll (WCAG 2.1.1; axe's scrollable-region-focusable), named for what it holds.
import type { ReactNode } from 'react';

export function ScrollRegion({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    // Focusable so the keyboard can scroll it.
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
