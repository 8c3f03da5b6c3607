"""Writes the Grafana dashboards of deploy/grafana/dashboards.

    python3 deploy/grafana/generate_dashboards.py deploy/grafana/dashboards

The JSON files are the product (Grafana imports them as they are); this
script keeps their shared parts consistent: one datasource uid, the same
five template variables, the same label filter in every query.
tests/e2e/test_dashboards.py checks the JSON files equal its output and
runs every query against a real Prometheus. Metric families: docs/metrics.md;
the llm:* names are recorded by deploy/prometheus/rules/loupe_recording.yml.
"""
import json
import sys

# Must equal the uid in provisioning/datasources/loupe.yaml.
DS = {"type": "prometheus", "uid": "loupe-prometheus"}
# Every query carries every template variable ("All" is .*, which also
# matches a label Loupe left off, e.g. no environment).
F = ('deployment_environment_name=~"$environment", service_name=~"$service", ai_team=~"$team", '
     'ai_feature=~"$feature", gen_ai_request_model=~"$model"')

def var(name, label, prev):
    match = ", ".join(f'{l}=~"${n}"' for n, l in prev)
    sel = f"ai_requests_total{{{match}}}" if match else "ai_requests_total"
    q = f"label_values({sel}, {label})"
    return {"name": name, "label": name.capitalize(), "type": "query", "datasource": DS,
            "query": {"query": q, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "definition": q, "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "sort": 1}

def templating():
    order = [("environment", "deployment_environment_name"), ("service", "service_name"),
             ("team", "ai_team"), ("feature", "ai_feature"), ("model", "gen_ai_request_model")]
    return {"list": [var(n, l, order[:i]) for i, (n, l) in enumerate(order)]}

class Board:
    def __init__(self): self.panels, self.x, self.y, self.row_h, self.next_id = [], 0, 0, 0, 1
    def add(self, type_, title, targets, w=12, h=8, unit=None, desc=None, instant=False, extra=None):
        if self.x + w > 24: self.x, self.y = 0, self.y + self.row_h; self.row_h = 0
        p = {"id": self.next_id, "type": type_, "title": title, "datasource": DS,
             "gridPos": {"h": h, "w": w, "x": self.x, "y": self.y}, "targets": []}
        if desc: p["description"] = desc
        for i, (expr, legend) in enumerate(targets):
            t = {"refId": chr(65 + i), "datasource": DS, "expr": expr, "legendFormat": legend, "range": not instant,
                 "instant": instant}
            p["targets"].append(t)
        p["fieldConfig"] = {"defaults": {"unit": unit} if unit else {}, "overrides": []}
        if extra: p.update(extra)
        self.panels.append(p); self.next_id += 1
        self.x += w; self.row_h = max(self.row_h, h)

def dashboard(uid, title, desc, b, tags):
    return {"uid": uid, "title": title, "description": desc, "tags": ["loupe", "llm"] + tags,
            "schemaVersion": 39, "version": 1, "editable": True, "graphTooltip": 1,
            "time": {"from": "now-24h", "to": "now"}, "refresh": "1m", "timezone": "",
            "templating": templating(), "annotations": {"list": []}, "links": [], "panels": b.panels}

# ---- cost attribution ----
c = Board()
c.add("bargauge", "Spend by team, last 7 days",
      [(f"sum by (ai_team) (ai_cost_usd_total{{{F}}} - ((ai_cost_usd_total{{{F}}} offset 1w) or ai_cost_usd_total{{{F}}} * 0))",
        "{{ai_team}}")], w=8, unit="currencyUSD", instant=True,
      desc="Counter now minus a week ago (0 for series born this week): exact while Loupe has not restarted this week. Priced calls only; see Unpriced calls.",
      extra={"options": {"orientation": "horizontal", "displayMode": "gradient", "reduceOptions": {"calcs": ["lastNotNull"]}}})
c.add("stat", "Spend in the selected range",
      [(f"sum(increase(ai_cost_usd_total{{{F}}}[$__range]))", "spend")], w=8, unit="currencyUSD", instant=True,
      desc="increase() extrapolates at the range edges: approximate.")
c.add("bargauge", "Top models by spend in the selected range",
      [(f"topk(10, sum by (gen_ai_request_model) (increase(ai_cost_usd_total{{{F}}}[$__range])))",
        "{{gen_ai_request_model}}")], w=8, unit="currencyUSD", instant=True,
      extra={"options": {"orientation": "horizontal", "displayMode": "gradient", "reduceOptions": {"calcs": ["lastNotNull"]}}})
c.add("timeseries", "Spend over time by model ($/hour)",
      [(f"sum by (gen_ai_request_model) (llm:ai_cost_usd:rate5m{{{F}}}) * 3600", "{{gen_ai_request_model}}")],
      w=12, unit="currencyUSD")
c.add("timeseries", "Cost per request by feature",
      [(f"sum by (ai_feature) (llm:ai_cost_usd:rate5m{{{F}}}) / sum by (ai_feature) (llm:ai_requests:rate5m{{{F}}})",
        "{{ai_feature}}")], w=12, unit="currencyUSD",
      desc="Requests include unpriced calls (their cost is unknown, not $0).")
c.add("timeseries", "Tokens per request by prompt version",
      [(f"sum by (ai_prompt_version) (llm:ai_tokens:rate5m{{{F}}}) / sum by (ai_prompt_version) (llm:ai_requests:rate5m{{{F}}})",
        "{{ai_prompt_version}}")], w=12, unit="short",
      desc="All token types (input, cache, output, reasoning). A prompt change shows as a new version line.")
c.add("timeseries", "Cost per request by prompt version",
      [(f"sum by (ai_prompt_version) (llm:ai_cost_usd:rate5m{{{F}}}) / sum by (ai_prompt_version) (llm:ai_requests:rate5m{{{F}}})",
        "{{ai_prompt_version}}")], w=12, unit="currencyUSD")
c.add("timeseries", "Tokens per second by type",
      [(f"sum by (gen_ai_token_type) (llm:ai_tokens:rate5m{{{F}}})", "{{gen_ai_token_type}}")], w=12, unit="short")
c.add("table", "Unpriced calls in the selected range",
      [(f"sum by (gen_ai_provider_name, gen_ai_request_model) (increase(ai_unpriced_calls_total{{{F}}}[$__range]))",
        "{{gen_ai_provider_name}} {{gen_ai_request_model}}")], w=12, unit="short", instant=True,
      desc="Calls with neither a catalog price nor a reported cost: add the model to the price catalog.")

# ---- latency and errors ----
l = Board()
l.add("timeseries", "Request rate by model",
      [(f"sum by (gen_ai_request_model) (llm:ai_requests:rate5m{{{F}}})", "{{gen_ai_request_model}}")],
      w=12, unit="reqps")
l.add("timeseries", "Error ratio by error type",
      [(f'sum by (error_type) (llm:ai_requests:rate5m{{{F}, error_type!=""}}) / ignoring (error_type) group_left '
        f"sum(llm:ai_requests:rate5m{{{F}}})", "{{error_type}}")],
      w=12, unit="percentunit", desc="Share of all LLM calls that failed, per error.type.")
def quantile_panel(q):
    now = (f"histogram_quantile({q}, sum by (le, gen_ai_request_model, ai_feature) "
           f"(llm:ai_request_duration_seconds_bucket:rate5m{{{F}}}))")
    # Yesterday reads the raw histogram, so it works before the rules have a day of history.
    yday = (f"histogram_quantile({q}, sum by (le, gen_ai_request_model, ai_feature) "
            f"(rate(ai_request_duration_seconds_bucket{{{F}}}[5m] offset 1d)))")
    p = int(float(q) * 100)
    l.add("timeseries", f"p{p} latency by model and feature, vs same time yesterday",
          [(now, "{{gen_ai_request_model}} {{ai_feature}}"), (yday, "{{gen_ai_request_model}} {{ai_feature}} yesterday")],
          w=8, unit="s",
          extra={"fieldConfig": {"defaults": {"unit": "s"}, "overrides": [
              {"matcher": {"id": "byFrameRefID", "options": "B"},
               "properties": [{"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}}]}]}})
for q in ("0.50", "0.95", "0.99"):
    quantile_panel(q)
l.add("timeseries", "Time to first token p50 / p95 by model",
      [(f"histogram_quantile(0.5, sum by (le, gen_ai_request_model) (llm:ai_time_to_first_token_seconds_bucket:rate5m{{{F}}}))",
        "{{gen_ai_request_model}} p50"),
       (f"histogram_quantile(0.95, sum by (le, gen_ai_request_model) (llm:ai_time_to_first_token_seconds_bucket:rate5m{{{F}}}))",
        "{{gen_ai_request_model}} p95")], w=12, unit="s", desc="Streaming calls whose spans report the first token.")
l.add("timeseries", "Errors per second by error type and model",
      [(f'sum by (error_type, gen_ai_request_model) (llm:ai_requests:rate5m{{{F}, error_type!=""}})',
        "{{error_type}} {{gen_ai_request_model}}")], w=12, unit="reqps")

out = sys.argv[1]
for name, d in [("llm-cost-attribution.json", dashboard("loupe-llm-cost", "LLM cost attribution",
                 "Where the LLM money goes: by team, feature, model and prompt version (Loupe metrics).", c, ["cost"])),
                ("llm-latency-errors.json", dashboard("loupe-llm-latency", "LLM latency and errors",
                 "LLM call latency against yesterday, time to first token, errors and request rate (Loupe metrics).", l, ["latency"]))]:
    with open(f"{out}/{name}", "w") as fh:
        json.dump(d, fh, indent=2); fh.write("\n")
