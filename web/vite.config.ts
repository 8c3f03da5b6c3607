// Vite builds the UI into dist/, which src/ui/ embeds into the loupe binary.
// `npm run dev` proxies the API to a running loupe (LOUPE_API, default :8080).
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

const api = process.env.LOUPE_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [preact()],
  build: {
    target: "es2022",
    assetsDir: "assets",
    sourcemap: false,
    // One JS and one CSS file: the UI is small, and fewer requests load faster.
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      "/api": api,
      "/metrics": api,
      "/readyz": api,
      "/healthz": api,
    },
  },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
