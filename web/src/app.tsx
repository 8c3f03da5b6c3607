// The shell: navigation, theme, the token prompt, and which page the path
// shows. Links are plain <a href>; clicks on same-origin links are routed
// here without a reload, so middle-click and "copy link" still work.
import { useEffect, useState } from "preact/hooks";
import { getToken, onUnauthorized, setToken } from "./api";
import { matchRoute, navigate, useLocation } from "./router";
import { ReloadContext } from "./use_api";
import { TracesPage } from "./pages/traces";
import { TracePage } from "./pages/trace";
import { CostPage } from "./pages/cost";
import { SessionsPage, SessionPage } from "./pages/sessions";
import { SettingsPage } from "./pages/settings";
import { QualityPage } from "./pages/quality";
import { AlertsPage } from "./pages/alerts";

const NAV = [
  ["/traces", "Traces"],
  ["/cost", "Cost"],
  ["/sessions", "Sessions"],
  ["/quality", "Quality"],
  ["/alerts", "Alerts"],
  ["/settings", "Settings"],
] as const;

function useTheme(): [string, () => void] {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme || "light");
  const toggle = () => {
    const next = theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem("loupe.theme", next);
    } catch {
      // not persisted
    }
    setTheme(next);
  };
  return [theme, toggle];
}

function TokenPrompt({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState("");
  return (
    <div class="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="token-title">
      <form
        class="modal"
        onSubmit={(e) => {
          e.preventDefault();
          setToken(value.trim() || null);
          onDone();
        }}
      >
        <h2 id="token-title">This Loupe needs an API token</h2>
        <p>
          The API answered 401. Enter a token from the server's configuration; it is kept for this browser tab only
          (sessionStorage) and sent as <code>Authorization: Bearer</code>.
        </p>
        <label>
          API token
          <input type="password" autoFocus autoComplete="off" value={value} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <div class="row">
          <button type="submit" class="primary">
            Use token
          </button>
        </div>
      </form>
    </div>
  );
}

function Page({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if (path === "/" || path === "/traces") return <TracesPage />;
  if ((m = matchRoute("/traces/:id", path))) return <TracePage id={m.id} />;
  if (path === "/cost") return <CostPage />;
  if (path === "/sessions") return <SessionsPage />;
  if ((m = matchRoute("/sessions/:id", path))) return <SessionPage id={m.id} />;
  if (path === "/quality") return <QualityPage />;
  if (path === "/alerts") return <AlertsPage />;
  if (path === "/settings") return <SettingsPage />;
  return (
    <div class="panel">
      <h1>Not found</h1>
      <p>
        No page at <code>{path}</code>. <a href="/traces">Go to traces</a>.
      </p>
    </div>
  );
}

export function App() {
  const loc = useLocation();
  const [theme, toggleTheme] = useTheme();
  const [needToken, setNeedToken] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => onUnauthorized(() => setNeedToken(true)), []);

  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element).closest?.("a");
      if (!a || a.target || a.hasAttribute("download")) return;
      const url = new URL(a.href, window.location.href);
      if (url.origin !== window.location.origin || /^\/(api|v1)\/|^\/(metrics|readyz|healthz)$/.test(url.pathname)) return;
      e.preventDefault();
      navigate(url.pathname + url.search);
      window.scrollTo(0, 0);
    };
    // "/" focuses the page's search box, as in most consoles.
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) {
        const search = document.querySelector<HTMLInputElement>("[data-search]");
        if (search) {
          e.preventDefault();
          search.focus();
        }
      }
    };
    document.addEventListener("click", onClick);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("click", onClick);
      document.removeEventListener("keydown", onKey);
    };
  }, []);

  const section = "/" + (loc.path.split("/")[1] || "traces");
  return (
    <ReloadContext.Provider value={reload}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/traces" aria-label="Loupe home">
          <svg viewBox="0 0 16 16" width="20" height="20" aria-hidden="true">
            <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" stroke-width="2" />
            <path d="M10 10l4.5 4.5" stroke="currentColor" stroke-width="2" />
          </svg>
          Loupe
        </a>
        <nav aria-label="Main">
          {NAV.map(([p, name]) => (
            <a key={p} href={p} aria-current={section === p ? "page" : undefined}>
              {name}
            </a>
          ))}
        </nav>
        <div class="spacer" />
        {getToken() && (
          <button type="button" class="ghost" onClick={() => { setToken(null); setReload((r) => r + 1); }}>
            Forget token
          </button>
        )}
        <button type="button" class="ghost" onClick={toggleTheme} aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}>
          {theme === "dark" ? "☀ Light" : "☾ Dark"}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={loc.path} />
      </main>
      {needToken && (
        <TokenPrompt
          onDone={() => {
            setNeedToken(false);
            setReload((r) => r + 1);
          }}
        />
      )}
    </ReloadContext.Provider>
  );
}
