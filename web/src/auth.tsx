/** The signed-in session: who the user is and what they may do. Asked of the server once, on load. */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { clearReferenceCache } from "./api/cache.ts";
import { ApiError, api, onUnauthorized } from "./api/client.ts";
import type { Permission, Session } from "./api/types.ts";

export type AuthStatus = "loading" | "signedIn" | "signedOut" | "error";

export interface Auth {
  status: AuthStatus;
  session: Session | undefined;
  /** Why the session could not be read (status "error"). */
  error: unknown;
  /** The session ended on the server (a 401 in the middle of work), not by signing out. */
  expired: boolean;
  /** The user signed out here (so the sign-in page need not send anyone back to where they were). */
  signedOutByUser: boolean;
  can: (permission: Permission) => boolean;
  login: (username: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
  refresh: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>("loading");
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<unknown>();
  const [expired, setExpired] = useState(false);
  const [signedOutByUser, setSignedOutByUser] = useState(false);
  const [tick, setTick] = useState(0);
  /** Answers to requests still in flight at sign-out are 401s too; they do not mean the session expired. */
  const leaving = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick asks for the session again
  useEffect(() => {
    let live = true;
    setStatus("loading");
    api.get<Session>("/auth/me").then(
      (s) => {
        if (!live) return;
        setSession(s);
        setStatus("signedIn");
      },
      (e: unknown) => {
        if (!live) return;
        // 404: the server has no auth yet — treat as signed out so the sign-in page still shows.
        if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
          setSession(undefined);
          setStatus("signedOut");
        } else {
          setError(e);
          setStatus("error");
        }
      },
    );
    return () => {
      live = false;
    };
  }, [tick]);

  useEffect(() => {
    onUnauthorized(() => {
      if (leaving.current) return;
      clearReferenceCache();
      setSession(undefined);
      setExpired(true);
      setStatus("signedOut");
    });
    return () => onUnauthorized(undefined);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const s = await api.post<Session>("/auth/login", { username, password });
    leaving.current = false;
    clearReferenceCache();
    setSession(s);
    setExpired(false);
    setSignedOutByUser(false);
    setStatus("signedIn");
    return s;
  }, []);

  const logout = useCallback(async () => {
    leaving.current = true;
    try {
      await api.post("/auth/logout");
    } catch {
      // the cookie may already be gone; signing out locally is what matters
    }
    clearReferenceCache();
    setSession(undefined);
    setExpired(false);
    setSignedOutByUser(true);
    setStatus("signedOut");
  }, []);

  const refresh = useCallback(() => setTick((n) => n + 1), []);

  const value = useMemo<Auth>(() => {
    const perms = new Set(session?.permissions ?? []);
    return {
      status,
      session,
      error,
      expired,
      signedOutByUser,
      can: (p) => perms.has(p),
      login,
      logout,
      refresh,
    };
  }, [status, session, error, expired, signedOutByUser, login, logout, refresh]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}
