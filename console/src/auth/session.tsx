// Who is signed in on this tab: the bearer token and what its claims say (user, name, role, agency).
// Kept in sessionStorage, so closing the tab signs out: counter computers are shared. The console
// reads the claims only to greet and to choose the start screen; what a person may do is decided by
// the API on every call (docs/console.md#signing-in).
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useToken } from '../api/client';

export type StaffRole = 'reception' | 'officer' | 'head' | 'auditor' | 'admin';

export interface Session {
  readonly token: string;
  readonly user: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly agency: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** A token of the local sign-in of `npm start`, shown as such. */
  readonly local: boolean;
}

const STORAGE_KEY = 'motcua.session';

/** The claims of a JWT, read without verifying it: the API verifies every call. */
export function sessionFromToken(token: string, local: boolean): Session | null {
  try {
    const payload = token.split('.')[1];
    if (!payload) return null;
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0)));
    const claims = JSON.parse(json) as { sub?: unknown; name?: unknown; role?: unknown; agency?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string' || typeof claims.agency !== 'string' || typeof claims.exp !== 'number') return null;
    return { token, user: claims.sub, name: typeof claims.name === 'string' ? claims.name : claims.sub, role: claims.role as StaffRole, agency: claims.agency, expiresAt: claims.exp * 1000, local };
  } catch {
    return null;
  }
}

function stored(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

interface SessionContextValue {
  readonly session: Session | null;
  /** Why the last session ended, when it ended by itself. */
  readonly ended: 'expired' | null;
  signIn(session: Session): void;
  signOut(reason?: 'expired'): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(stored);
  const [ended, setEnded] = useState<'expired' | null>(null);
  // Counter computers are shared: what the last person's screens fetched (applicants' names, their
  // dossiers, another agency's queue) leaves with them, and the next person's screens fetch anew.
  const queries = useQueryClient();
  const signOut = useCallback(
    (reason?: 'expired') => {
      sessionStorage.removeItem(STORAGE_KEY);
      queries.clear();
      setSession(null);
      setEnded(reason ?? null);
    },
    [queries],
  );
  const signIn = useCallback(
    (next: Session) => {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      queries.clear();
      setEnded(null);
      setSession(next);
    },
    [queries],
  );
  useToken(session?.token ?? null, () => signOut('expired'));
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => signOut('expired'), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, signOut]);
  const value = useMemo(() => ({ session, ended, signIn, signOut }), [session, ended, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}

/** The signed-in session, for screens that only render behind the sign-in. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn on a screen shown without a session');
  return session;
}
