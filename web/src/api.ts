// The only place the UI talks to Loupe's HTTP API. Every failure becomes an
// ApiError carrying the server's own message, so pages show what the API
// said rather than a blank panel. A 401 asks the shell for a token, which
// is kept in sessionStorage and sent as a bearer token.

const TOKEN_KEY = "loupe.token";

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 when the server could not be reached
    message: string,
    readonly parameter?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when the API answers 401; returns an unsubscribe function. */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token lives only as long as this page.
  }
}

export type Params = Record<string, string | number | undefined | null>;

/** "/api/v1/traces" + {team: "a", q: undefined} -> "/api/v1/traces?team=a". */
export function withQuery(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Turns an error body (`{"error": {...}}`, `{"error": "..."}` or text) into an ApiError. */
export function errorFromBody(status: number, body: string, path?: string): ApiError {
  try {
    const j = JSON.parse(body);
    const e = j?.error;
    if (e && typeof e === "object") {
      return new ApiError(e.status ?? status, String(e.message ?? body), e.parameter, path);
    }
    if (typeof e === "string") return new ApiError(status, e, undefined, path);
  } catch {
    // not JSON
  }
  const text = body.trim() || `HTTP ${status}`;
  return new ApiError(status, text.length > 500 ? text.slice(0, 500) + "…" : text, undefined, path);
}

/** GETs `path` and returns its body as text, throwing ApiError when it fails. */
export async function fetchText(path: string, signal?: AbortSignal, init: RequestInit = {}): Promise<string> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, `cannot reach Loupe (${(e as Error).message})`, undefined, path);
  }
  const body = await res.text();
  if (res.status === 401) {
    unauthorizedListeners.forEach((fn) => fn());
  }
  if (!res.ok) throw errorFromBody(res.status, body, path);
  return body;
}

export async function getJson<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  const url = withQuery(path, params);
  const body = await fetchText(url, signal);
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new ApiError(200, `the API answered something that is not JSON: ${body.slice(0, 200)}`, undefined, url);
  }
}

/**
 * Sends `body` as JSON with `method` (POST, DELETE) and returns the parsed
 * answer; failures are ApiErrors like GETs, so forms show the API's message
 * (a 400 names the field).
 */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const text = await fetchText(path, undefined, init);
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    throw new ApiError(200, `the API answered something that is not JSON: ${text.slice(0, 200)}`, undefined, path);
  }
}
