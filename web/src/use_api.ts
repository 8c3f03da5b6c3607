// Loads one API answer for a component, re-fetching when `key` changes and
// cancelling the previous request. `reloadToken` bumps after a token is
// entered, so every page retries once the user has authenticated.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export const ReloadContext = createContext(0);

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const reload = useContext(ReloadContext);
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: key != null });
  useEffect(() => {
    if (key == null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, error: null, loading: true }));
    load(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ data, error: null, loading: false });
      },
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        const err = e instanceof ApiError ? e : new ApiError(0, String((e as Error)?.message ?? e));
        setState({ data: null, error: err, loading: false });
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reload]);
  return state;
}
