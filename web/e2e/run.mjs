// End-to-end tests of the UI: a real `loupe serve`, fed by the OTel Python
// SDK (feed.py), driven through Debian's Chromium with playwright-core.
// A second phase starts another `loupe serve` with the evaluator and fast
// alerting on, fed by `loupe demo` and its stand-in judge, for the Quality
// and Alerts pages and annotation. Screenshots of every page land in
// web/e2e/artifacts/.
//
//   LOUPE_BIN=build/loupe node web/e2e/run.mjs      (or: npm run e2e in web/)
//
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const HERE = new URL(".", import.meta.url).pathname;
const REPO = resolve(HERE, "../..");
const ARTIFACTS = join(HERE, "artifacts");
const LOUPE = resolve(REPO, process.env.LOUPE_BIN ?? "build/loupe");
const PYTHON = resolve(REPO, process.env.PYTHON ?? ".venv/bin/python");
mkdirSync(ARTIFACTS, { recursive: true });

const freePort = () =>
  new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startLoupe(configText = null) {
  const [api, http, grpc, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), "loupe-ui-e2e-"));
  const config = [];
  if (configText) {
    writeFileSync(join(dataDir, "loupe.yaml"), configText);
    config.push("--config", join(dataDir, "loupe.yaml"));
  }
  const proc = spawn(LOUPE, ["serve", ...config, "--data-dir", dataDir, "--api-addr", `127.0.0.1:${api}`, "--otlp-http-addr", `127.0.0.1:${http}`,
    "--otlp-grpc-addr", `127.0.0.1:${grpc}`, "--metrics-addr", `127.0.0.1:${metrics}`, "--log-level", "warn"], { stdio: ["ignore", "inherit", "inherit"] });
  const apiUrl = `http://127.0.0.1:${api}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${apiUrl}/readyz`)).ok) break;
    } catch {}
    await sleep(50);
  }
  // The UI under test is the one embedded in this binary.
  const uiUrl = apiUrl;
  const page = await (await fetch(`${apiUrl}/traces`)).text().catch(() => "");
  assert.ok(page.includes('<div id="app">'), `${LOUPE} does not serve the embedded UI at /traces (run make ui, then rebuild)`);
  return {
    api: apiUrl, ui: uiUrl, otlp: `http://127.0.0.1:${http}`,
    stop: async () => {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function apiJson(loupe, path) {
  const r = await fetch(loupe.api + path);
  const body = await r.json();
  return { status: r.status, body };
}

function feed(loupe, args) {
  const out = execFileSync(PYTHON, [join(HERE, "feed.py"), "--endpoint", loupe.otlp, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

async function waitFor(fn, what, timeout = 20000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

let failures = 0;
let currentPage = null;  // screenshotted when a step fails
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
    if (currentPage) await shot(currentPage, `FAIL-${name.replace(/[^a-z0-9]+/gi, "-")}`).catch(() => {});
  }
}

const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
const usdText = (s) => Number(s.replace(/[$,]/g, ""));

// --- phase 2: quality, alerts and annotation, fed by `loupe demo` -------------
// The evaluator judges half the calls through the demo's stand-in judge
// (no rate limit, 1 s delay); alert rules run every second without lag, so
// the default LlmQualityRegression fires on support_chat once its worse
// prompt version v4 has been scored.
const qualityConfig = (judgePort) => `
evaluation:
  enabled: true
  default_rate: 0.5
  delay: 1s
  judge:
    provider: anthropic
    base_url: http://127.0.0.1:${judgePort}
    model: claude-haiku-4-5
  limits:
    concurrency: 4
    requests_per_minute: 100000
    tokens_per_minute: 1000000000
alerting:
  interval: 1s
  lag: 0
`;

/** Starts `loupe demo` with its stand-in judge; resolves once its traffic is sent (the judge stays up). */
function startDemo(loupe, judgePort) {
  const proc = spawn(LOUPE, ["demo", "--otlp-endpoint", loupe.otlp, "--backfill", "1d", "--backfill-traces", "500", "--duration", "30s",
    "--rate", "5", "--judge-stand-in", `127.0.0.1:${judgePort}`, "--judge-linger", "600s"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const sent = new Promise((ok, fail) => {
    const onData = (d) => {
      out += d;
      if (/^done: /m.test(out)) ok();
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.once("exit", (code) => (/^done: /m.test(out) ? ok() : fail(new Error(`loupe demo exited ${code}: ${out.slice(-2000)}`))));
  });
  return {
    sent,
    stop: async () => {
      if (proc.exitCode != null) return;
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    },
  };
}

async function qualityPhase(page) {
  const judgePort = await freePort();
  const loupe = await startLoupe(qualityConfig(judgePort));
  const demo = startDemo(loupe, judgePort);
  try {
    await demo.sent;
    // Every sampled call judged before the pages are compared with the API.
    await waitFor(async () => {
      const s = (await apiJson(loupe, "/api/v1/evaluation/status")).body;
      return s.queue?.pending === 0 && s.intake_buffered === 0 ? s : null;
    }, "the evaluation queue to drain", 120000);

    await step("quality page: support_chat v3 vs v4 matches /api/v1/compare", async () => {
      await page.goto(loupe.ui + "/quality?since=1d&feature=support_chat&dimension=accuracy&a=v3&b=v4");
      const qp = page.getByTestId("quality-page");
      await page.getByTestId("compare-table").waitFor();
      const since = await qp.getAttribute("data-since");
      const until = await qp.getAttribute("data-until");
      const api = (await apiJson(loupe, `/api/v1/compare?feature=support_chat&dimension=accuracy&a=v3&b=v4&since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`)).body;
      assert.equal(api.versions.length, 2);
      const rows = await page.getByTestId("compare-table").locator("tbody tr").evaluateAll((trs) =>
        trs.map((tr) => ({ version: tr.dataset.version, mean: tr.dataset.mean, count: Number(tr.dataset.count), cost: tr.dataset.cost, tokens: tr.dataset.tokens, text: tr.innerText })));
      assert.deepEqual(rows.map((r) => r.version), ["v3", "v4"]);
      for (const v of api.versions) {
        const row = rows.find((r) => r.version === v.prompt_version);
        assert.equal(row.count, v.count, `${v.prompt_version} score count`);
        assert.ok(v.count >= 2, `${v.prompt_version} has scores`);
        assert.equal(Number(row.mean), v.mean, `${v.prompt_version} mean`);
        assert.ok(row.text.includes(v.mean.toFixed(2)), `${row.text} shows mean ${v.mean}`);
        assert.ok(row.text.includes(`${v.ci95[0].toFixed(2)} – ${v.ci95[1].toFixed(2)}`), `${row.text} shows the CI`);
        assert.equal(Number(row.cost), v.cost_per_request_usd, "cost per request");
        assert.equal(Number(row.tokens), v.tokens_per_request, "tokens per request");
        // Shown to two significant digits at least.
        assert.ok(Math.abs(usdText(row.text.match(/\$[\d.,]+/)[0]) - v.cost_per_request_usd) <= v.cost_per_request_usd * 0.05, `${row.text} cost/request`);
      }
      const verdict = page.getByTestId("verdict");
      assert.ok((await verdict.innerText()).includes(api.verdict), api.verdict);
      assert.equal(await verdict.getAttribute("data-significant"), String(api.difference.significant));
      // The demo's v4 is worse, and the judge can tell.
      assert.equal(api.verdict, "v4 scores lower than v3");
      assert.ok(api.difference.significant);
      // Judge spend and budget, and the trend matrix.
      const spend = page.getByTestId("judge-spend");
      assert.ok(Number(await spend.getAttribute("data-spent")) > 0, "the judge's spend is shown");
      assert.equal(Number(await spend.getAttribute("data-daily")), 5);
      await page.getByTestId("score-matrix").locator('tr[data-key="support_chat"]').waitFor();
      await page.locator(".chart canvas").first().waitFor();
      await shot(page, "14-quality");
      // Changing a version picker updates the URL and the comparison.
      await page.selectOption('select[name="a"]', "v4");
      await page.waitForURL(/a=v4/);
      await page.getByText("Pick two different versions.").waitFor();
    });

    await step("alerts page shows the quality alert the worse prompt raised", async () => {
      const want = await waitFor(async () => {
        const a = (await apiJson(loupe, "/api/v1/alerts")).body.alerts;
        return a.find((x) => x.state === "firing" && x.labels.alertname === "LlmQualityRegression" && x.labels.feature === "support_chat");
      }, "a firing LlmQualityRegression on support_chat", 60000);
      await page.goto(loupe.ui + "/alerts");
      const card = page.locator(`[data-testid="alert"][data-state="firing"]`, { hasText: `feature=support_chat` }).filter({ hasText: want.labels.model }).first();
      await card.waitFor();
      const text = await card.innerText();
      assert.match(text, /LlmQualityRegression/);
      // The value and the score count move with every evaluation (1 s here),
      // so compare the stable parts of the summary.
      const subject = want.summary.slice(0, want.summary.indexOf(" is "));
      assert.ok(text.includes(subject), `card shows "${subject}"`);
      assert.match(text, /below the threshold of 3\.50/);
      assert.match(text, /Threshold\s+3\.5/);
      assert.match(text, /team=support/);
      await page.getByTestId("alert-rules").locator('tr[data-rule="LlmQualityRegression"][data-health="ok"]').waitFor();
      await shot(page, "15-alerts");
      // Silence it from the card, see it listed, then expire it.
      await card.locator('button:has-text("Silence")').click();
      const matchers = await page.locator('textarea[name="matchers"]').inputValue();
      assert.match(matchers, /alertname=LlmQualityRegression\nteam=support\nfeature=support_chat/);
      await page.fill('input[name="createdBy"]', "e2e");
      await page.fill('input[name="comment"]', "known: v4 rollback under way");
      await page.click('button:has-text("Create silence")');
      const sil = await waitFor(async () => (await apiJson(loupe, "/api/v1/silences")).body.silences.find((s) => s.comment === "known: v4 rollback under way"), "the silence");
      assert.ok(sil.matchers.includes("feature=support_chat"));
      await page.locator(`tr[data-silence="${sil.id}"][data-state="active"]`).waitFor();
      await shot(page, "16-alerts-silence");
      await page.click(`button[aria-label="Expire silence ${sil.id}"]`);
      await waitFor(async () => (await apiJson(loupe, "/api/v1/silences")).body.silences.find((s) => s.id === sil.id)?.status.state === "expired", "the silence expired");
      // An example trace opens the trace detail.
      await page.goto(loupe.ui + "/alerts");
      await card.locator('a[data-example="lowest scored"]').click();
      await page.waitForURL(new RegExp(`/traces/${want.examples.lowestScored}`));
      await page.getByTestId("span-details").waitFor();
    });

    await step("annotate an LLM call and the trace; the scores are in /api/v1/scores", async () => {
      const v4 = (await apiJson(loupe, "/api/v1/traces?since=1d&feature=support_chat&prompt_version=v4&limit=50")).body.traces;
      const judged = v4.find((t) => t.scores.some((s) => s.evaluator.startsWith("judge/")));
      assert.ok(judged, "a judged v4 trace");
      // Open the judged call itself (a conversation's other calls may not be sampled).
      const detail = (await apiJson(loupe, `/api/v1/traces/${judged.trace_id}`)).body;
      const judgedSpan = detail.scores.find((s) => s.evaluator.startsWith("judge/") && s.span_id).span_id;
      await page.goto(`${loupe.ui}/traces/${judged.trace_id}?span=${judgedSpan}`);
      const details = page.getByTestId("span-details");
      await details.locator(".chat").waitFor();
      // The judge's scores of this call, with its reasoning.
      const judgeItem = details.locator('.score-item[data-source="judge"]').first();
      await judgeItem.waitFor();
      assert.match(await judgeItem.innerText(), /stand-in judge/);
      const spanId = new URL(page.url()).searchParams.get("span") ?? (await details.locator("code").first().innerText());
      const form = details.getByTestId("annotate-span");
      await form.locator('button[data-kind="rating"]').click();
      await form.locator('input[name="dimension"]').fill("accuracy");
      await form.locator('button[data-rating="2"]').click();
      await form.locator('textarea[name="comment"]').fill("rambles; the refund policy is wrong");
      await form.locator('input[name="author"]').fill("e2e-reviewer");
      await form.locator('button[type="submit"]').click();
      const stored = await waitFor(async () => (await apiJson(loupe, `/api/v1/scores?trace_id=${judged.trace_id}&source=human`)).body.scores.find((s) => s.dimension === "accuracy"), "the human score");
      assert.equal(stored.value, 2);
      assert.equal(stored.span_id, spanId);
      assert.equal(stored.author, "e2e-reviewer");
      assert.equal(stored.reasoning, "rambles; the refund policy is wrong");
      const human = details.locator('.score-item[data-source="human"]');
      await human.waitFor();
      assert.match(await human.innerText(), /accuracy\s+2[\s\S]*e2e-reviewer[\s\S]*rambles/);
      // A thumbs-down on the whole trace.
      const tform = page.getByTestId("annotate-trace");
      await tform.locator('button[data-kind="thumbs"]').click();
      await tform.locator('button[aria-label="Thumbs down"]').click();
      await tform.locator('button[type="submit"]').click();
      const thumb = await waitFor(async () => (await apiJson(loupe, `/api/v1/scores?trace_id=${judged.trace_id}&source=human&dimension=thumbs`)).body.scores[0], "the thumbs score");
      assert.equal(thumb.value, 0);
      assert.equal(thumb.span_id, null);
      await page.locator('#scores .score-item[data-dimension="thumbs"]').waitFor();
      await details.locator(".score-list").scrollIntoViewIfNeeded();
      await shot(page, "17-annotate");
      // The trace row now shows the human score beside the judge's.
      await page.goto(`${loupe.ui}/traces?since=1d&feature=support_chat&prompt_version=v4`);
      const row = page.locator(`.trow[data-trace-id="${judged.trace_id}"]`);
      await row.waitFor();
      assert.match(await row.locator(".c-scores").innerText(), /accuracy/);
      await shot(page, "18-traces-scores");
      // score_below selects what the API selects.
      await page.goto(`${loupe.ui}/traces?since=1d&feature=support_chat&score_below=accuracy:3`);
      await page.getByTestId("traces-table").waitFor();
      const low = (await apiJson(loupe, "/api/v1/traces?since=1d&feature=support_chat&score_below=accuracy:3&limit=1000")).body.traces;
      assert.ok(low.length > 0);
      await waitFor(async () => (await page.getByText(`${low.length} traces loaded, all of them`).count()) === 1, `${low.length} low-scored rows`);
    });
  } finally {
    await demo.stop();
    await loupe.stop();
  }
}

async function main() {
  if (!existsSync(LOUPE)) throw new Error(`no loupe binary at ${LOUPE}; set LOUPE_BIN`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });
  const page = await ctx.newPage();
  currentPage = page;
  const consoleErrors = [];
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  const loupe = await startLoupe();
  try {
    await step("empty state on a fresh server", async () => {
      const t0 = Date.now();
      await page.goto(loupe.ui + "/");
      await page.getByTestId("empty-state").waitFor();
      const text = await page.getByTestId("empty-state").innerText();
      assert.match(text, /No traces yet — point an OTel exporter at http:\/\/127\.0\.0\.1:4318/);
      assert.match(text, /OTEL_EXPORTER_OTLP_ENDPOINT/);
      console.log(`     first page shown in ${Date.now() - t0} ms`);
      await shot(page, "01-empty-state");
    });

    const fed = feed(loupe, ["--traces", "60", "--big-trace", "5000"]);
    await waitFor(async () => (await apiJson(loupe, "/api/v1/traces?since=2h&limit=1000")).body.traces?.length >= 61, "61 traces stored");

    await step("search and filter, then open a trace and see the conversation", async () => {
      await page.goto(loupe.ui + "/traces?since=2h");
      await page.getByTestId("traces-table").waitFor();
      await shot(page, "02-traces");
      // Filter through the form: team and status, then full text.
      await page.fill('input[name="team"]', "support");
      await page.selectOption('select[name="status"]', "error");
      await page.click('button:has-text("Search")');
      await page.waitForURL(/team=support/);
      assert.match(page.url(), /status=error/);
      const want = (await apiJson(loupe, "/api/v1/traces?since=2h&team=support&status=error&limit=1000")).body.traces;
      assert.ok(want.length > 0, "the feed has failed support traces");
      await waitFor(async () => (await page.locator(".trow").count()) === want.length, `${want.length} rows`);
      const shown = await page.locator(".trow").evaluateAll((rows) => rows.map((r) => r.dataset.traceId));
      assert.deepEqual(new Set(shown), new Set(want.map((t) => t.trace_id)));
      await shot(page, "03-traces-filtered");

      await page.goto(loupe.ui + "/traces?since=2h&q=refund");
      await page.getByTestId("traces-table").waitFor();
      const refund = (await apiJson(loupe, "/api/v1/traces?since=2h&q=refund&limit=1000")).body.traces;
      await waitFor(async () => (await page.locator(".trow").count()) === refund.length, "full-text rows");

      // A filter the API refuses shows the API's own 400, not a blank table.
      await page.goto(loupe.ui + "/traces?since=2h&score_below=accuracy");
      const err = page.locator(".error-box");
      await err.waitFor();
      assert.match(await err.innerText(), /API error 400[\s\S]*score_below/);
      await shot(page, "04-traces-bad-filter");

      // The prompt-version filter selects what the API selects.
      await page.goto(loupe.ui + "/traces?since=2h&prompt_version=v2");
      await page.getByTestId("traces-table").waitFor();
      const v2 = (await apiJson(loupe, "/api/v1/traces?since=2h&prompt_version=v2&limit=1000")).body.traces;
      assert.ok(v2.length > 20, "the feed has prompt v2 traces");
      // The table is virtualized, so count what it says it loaded.
      await waitFor(async () => (await page.getByText(`${v2.length} traces loaded, all of them`).count()) === 1, `${v2.length} prompt v2 rows`);

      // Open a trace with a tool call from the list.
      const withTool = fed.traces.find((t, i) => i % 5 === 0 && i > 0);
      await page.goto(`${loupe.ui}/traces?since=2h&session=${withTool.session}`);
      await page.locator(`.trow[data-trace-id="${withTool.trace_id}"]`).click();
      await page.waitForURL(new RegExp(`/traces/${withTool.trace_id}`));
      const details = page.getByTestId("span-details");
      await details.waitFor();
      const chat = details.locator(".chat");
      await chat.waitFor();
      const chatText = await chat.innerText();
      assert.match(chatText, /You are Loupe's demo assistant/);
      assert.match(chatText, /Here is the answer to:/);
      assert.ok((await chat.locator(".chat-msg.role-user").count()) >= 1);
      assert.ok((await chat.locator(".chat-msg.role-assistant.output").count()) >= 1);
      assert.equal(await chat.locator("details.chat-reasoning").first().getAttribute("open"), null, "reasoning starts collapsed");
      // The first of its two calls made a tool call; select it in the waterfall.
      await page.locator(".wf-row.llm .wf-label").first().click();
      await page.locator(".chat-tool-call").waitFor();
      assert.match(await page.locator(".chat-tool-call").innerText(), /search_docs/);
      assert.match(await page.locator(".chat-tool-result").innerText(), /policy\.md/);
      assert.match(await page.getByTestId("price-source").innerText(), /catalog entry/);
      await page.fill(".attr-search input", "gen_ai.request.model");
      assert.equal(await details.locator(".attr-table tr").count(), 1);
      await shot(page, "05-trace-detail");
    });

    await step("a 5,000-span trace stays virtualized", async () => {
      const t0 = Date.now();
      const answered = page.waitForResponse((r) => r.url().includes(`/api/v1/traces/${fed.big}`), { timeout: 60000 });
      await page.goto(`${loupe.ui}/traces/${fed.big}`);
      await (await answered).finished();
      const api = Date.now() - t0;
      await page.getByTestId("waterfall").waitFor();
      await page.locator(".wf-row").first().waitFor();
      const ms = Date.now() - t0 - api;
      const rows = await page.locator(".wf-row").count();
      assert.ok(rows < 150, `only visible rows are in the DOM (${rows})`);
      await page.locator(".waterfall .vlist").evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.waitForTimeout(100);
      assert.match(await page.locator(".wf-row").last().innerText(), /execute_tool|chat|step/);
      console.log(`     5,000 spans: API answered in ${api} ms, rendered ${ms} ms later, ${rows} rows in the DOM`);
      assert.ok(ms < 3000, `rendering took ${ms} ms`);
      await shot(page, "06-trace-5000-spans");
    });

    let teamRow;
    await step("cost page numbers equal /api/v1/stats for the same range", async () => {
      await page.goto(loupe.ui + "/cost?since=2h");
      const cost = page.getByTestId("cost-page");
      await page.getByTestId("spend-by-team").waitFor();
      await page.getByTestId("cost-per-request").waitFor();
      const since = await cost.getAttribute("data-since");
      const until = await cost.getAttribute("data-until");
      const q = `since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`;
      const teams = (await apiJson(loupe, `/api/v1/stats?${q}&group_by=team&measures=cost_usd,requests&limit=1000`)).body.groups;
      assert.ok(teams.length >= 3);
      const rows = await page.getByTestId("spend-by-team").locator("tr").evaluateAll((trs) =>
        trs.map((tr) => ({ key: tr.dataset.key, value: Number(tr.dataset.value), text: tr.querySelector(".value").innerText })));
      assert.equal(rows.length, teams.length);
      for (const g of teams) {
        const row = rows.find((r) => r.key === g.key.team);
        assert.ok(row, `row for team ${g.key.team}`);
        assert.equal(row.value, g.cost_usd);
        assert.ok(Math.abs(usdText(row.text) - g.cost_usd) <= Math.max(0.005, g.cost_usd * 0.01), `${row.text} shows ${g.cost_usd}`);
      }
      const total = teams.reduce((s, g) => s + g.cost_usd, 0);
      assert.ok(Math.abs(Number(await page.getByTestId("total-spend").getAttribute("data-value")) - total) < 1e-9);
      const features = (await apiJson(loupe, `/api/v1/stats?${q}&group_by=feature&measures=cost_per_request&limit=50`)).body.groups;
      const frows = await page.getByTestId("cost-per-request").locator("tr").evaluateAll((trs) => trs.map((tr) => ({ key: tr.dataset.key, value: tr.dataset.value })));
      for (const g of features) {
        assert.equal(frows.find((r) => r.key === g.key.feature)?.value, g.cost_per_request == null ? "" : String(g.cost_per_request));
      }
      // Top users by spend: the same numbers as /stats by user.
      const users = (await apiJson(loupe, `/api/v1/stats?${q}&group_by=user&measures=cost_usd,requests&order_by=cost_usd&limit=10`)).body.groups;
      assert.ok(users.length > 0, "the feed has users");
      const urows = await page.getByTestId("top-user").locator("tr").evaluateAll((trs) => trs.map((tr) => ({ key: tr.dataset.key, value: Number(tr.dataset.value) })));
      assert.deepEqual(urows.map((r) => r.key), users.map((g) => g.key.user));
      for (const g of users) assert.equal(urows.find((r) => r.key === g.key.user).value, g.cost_usd);
      assert.match(await page.getByTestId("unpriced").innerText(), /acme-private-llm-7/);
      await page.locator(".chart canvas").first().waitFor();
      teamRow = teams.sort((a, b) => b.cost_usd - a.cost_usd)[0];
      teamRow.q = q;
      await shot(page, "07-cost");
    });

    await step("drill-down from a cost bar to its traces", async () => {
      await page.getByTestId("spend-by-team").locator(`tr[data-key="${teamRow.key.team}"] .bar`).click();
      await page.waitForURL(/\/traces\?/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get("team"), teamRow.key.team);
      const want = (await apiJson(loupe, `/api/v1/traces?${teamRow.q}&team=${encodeURIComponent(teamRow.key.team)}&limit=1000`)).body.traces;
      assert.ok(want.length > 0);
      await waitFor(async () => (await page.locator(".trow").count()) === want.length, `${want.length} drill-down rows`);
      await shot(page, "08-cost-drilldown");
    });

    await step("sessions list, a user's spend and one session's conversation", async () => {
      await page.goto(loupe.ui + "/sessions?since=2h&user=alice");
      await page.getByTestId("sessions-table").waitFor();
      assert.match(await page.getByTestId("user-summary").innerText(), /alice: \d+ sessions, \$/);
      await shot(page, "09-sessions");
      await page.locator('[data-testid="sessions-table"] a[href^="/sessions/sess-alice"]').first().click();
      await page.getByTestId("session-turns").waitFor();
      await page.locator(".turn .chat").first().waitFor();
      assert.match(await page.locator(".turn .chat").first().innerText(), /Here is the answer to/);
      await shot(page, "10-session");
    });

    await step("settings: price lookup and health", async () => {
      await page.goto(loupe.ui + "/settings?model=gpt-4o");
      await page.getByTestId("price-result").waitFor();
      assert.match(await page.getByTestId("price-result").innerText(), /matches/);
      await waitFor(async () => /spans\/s/.test(await page.getByTestId("health").innerText()), "an ingest rate", 10000);
      assert.match(await page.getByTestId("health").innerText(), /Disk use\s+[\d.]+ (KiB|MiB|GiB)/);
      await shot(page, "11-settings");
    });

    await step("dark theme", async () => {
      await page.goto(`${loupe.ui}/traces/${fed.traces[5].trace_id}`);
      await page.getByTestId("span-details").waitFor();
      await page.click('button[aria-label^="Switch to dark"]');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
      await shot(page, "12-trace-dark");
      await page.click('button[aria-label^="Switch to light"]');
    });

    await step("10,000 traces scroll through a virtualized table", async () => {
      feed(loupe, ["--traces", "10000", "--minutes-ago", "400", "--seed", "11"]);
      await waitFor(async () => (await apiJson(loupe, "/api/v1/traces?since=1d&limit=1&q=refund")).status === 200, "api");
      await page.goto(loupe.ui + "/traces?since=1d");
      await page.getByTestId("traces-table").waitFor();
      const t0 = Date.now();
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const n = Number((await page.locator(".table-foot").innerText()).match(/([\d,]+) traces loaded/)[1].replace(/,/g, ""));
        if (n >= 10000) break;
        await page.locator(".traces-table .vlist").evaluate((el) => (el.scrollTop = el.scrollHeight));
        await page.waitForTimeout(100);
      }
      const foot = await page.locator(".table-foot").innerText();
      const loaded = Number(foot.match(/([\d,]+) traces loaded/)[1].replace(/,/g, ""));
      assert.ok(loaded >= 10000, foot);
      const domRows = await page.locator(".trow").count();
      assert.ok(domRows < 150, `DOM rows ${domRows}`);
      // Sorting 10k rows by cost, client-side.
      const s0 = Date.now();
      await page.click('.thead a:has-text("Cost")');
      await page.waitForURL(/sort=cost_usd/, { waitUntil: "commit" });
      const first = Number((await page.locator(".trow .c-num").nth(3).innerText()).replace(/[$,]/g, ""));
      const second = Number((await page.locator(".trow").nth(1).locator(".c-num").nth(3).innerText()).replace(/[$,]/g, ""));
      assert.ok(first >= second, `sorted by cost, descending: ${first} >= ${second}`);
      console.log(`     ${loaded} rows loaded in ${Date.now() - t0} ms, ${domRows} in the DOM, sorted in ${Date.now() - s0} ms`);
      await shot(page, "13-traces-10k");
    });

    await qualityPhase(page);

    await step("no script errors on any page", async () => {
      assert.deepEqual(consoleErrors, []);
    });
  } finally {
    await browser.close();
    await loupe.stop();
  }
  console.log(failures ? `${failures} UI e2e step(s) failed; screenshots in ${ARTIFACTS}` : `all UI e2e steps passed; screenshots in ${ARTIFACTS}`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
