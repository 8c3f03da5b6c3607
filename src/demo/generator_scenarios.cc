// The stories the generator tells, one method per kind of trace. Durations
// follow each model's speed and output length; token counts follow the
// texts (plus the context a real prompt would carry).
#include <algorithm>
#include <cstdio>

#include "demo/generator.h"
#include "demo/trace_builder.h"
#include "demo/world.h"

namespace loupe::demo {
namespace {

using nlohmann::json;
using model::SpanKind;

const char* const kWorseSupportRules =
    " Always be warm, thorough and comprehensive: cover every possible case, thank the customer, and close by "
    "offering more help.";
const std::vector<std::string> kFollowUps = {"Thanks! One more thing: do you price match?",
                                             "Ok. Can I talk to a human?", "Perfect, and how do I reach you by phone?"};
const std::vector<std::string> kGoodFollowUpAnswers = {
    "Yes: I noted that on your order; you will get a confirmation email within a few minutes.",
    "That is free of charge in your case and takes effect immediately (Service policy, section 1).",
    "No, that is not possible for this order, but our team can call you back today between 14:00 and 18:00."};
const std::string kWorseFollowUpAnswer =
    "Thank you so much for the follow-up! There are many possibilities here and every situation is unique, so "
    "the answer could be yes or no depending on a variety of factors such as your location, your order history, "
    "and current demand. I hope this comprehensive overview helps! Feel free to reach out again any time.";

std::string Hex(Rng& rng, int digits) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  uint64_t bits = rng.Next();
  for (int i = 0; i < digits; ++i, bits >>= 4) out.push_back(kHex[bits & 15]);
  return out;
}

// Duration and time to first token of one call producing `output_tokens`.
struct Timing {
  uint64_t duration;
  double ttft_ms;
};
Timing CallTiming(Rng& rng, const ModelInfo& m, int64_t output_tokens, double slowdown = 1) {
  double ttft = rng.LogNormal(m.ttft_ms, 0.35) * slowdown;
  double gen = m.tokens_per_second > 0
                   ? static_cast<double>(output_tokens) * 1000.0 / m.tokens_per_second * rng.LogNormal(1, 0.15)
                   : 0;
  return {static_cast<uint64_t>((ttft + gen) * kMillis), ttft};
}

size_t AddRoot(TraceBuilder& b, const FeatureInfo& f, uint64_t start, const GeneratedTrace& t) {
  size_t root = b.AddSpan("POST " + f.route, SpanKind::kServer, -1, start, start);
  model::Attributes& a = b.span(root).attributes;
  a.Add("http.request.method", "POST");
  a.Add("http.route", f.route);
  a.Add("url.path", f.route);
  if (!t.user.empty()) a.Add("user.id", t.user);
  if (!t.session.empty()) a.Add("session.id", t.session);
  return root;
}

void FinishRoot(TraceBuilder& b, GeneratedTrace* t, uint64_t end, int http_status, const std::string& error = "") {
  model::Span& root = b.span(0);
  root.end_time_unix_nano = end;
  root.attributes.Add("http.response.status_code", http_status);
  if (!error.empty()) {
    root.status = {model::StatusCode::kError, error};
    root.attributes.Add("error.type", std::to_string(http_status));
    t->failed = true;
  }
  t->end_unix_nanos = end;
  t->spans = b.Take();
}

void Describe(GeneratedTrace* t, const FeatureInfo& f, std::string prompt_version) {
  t->service = f.service;
  t->team = f.team;
  t->feature = f.feature;
  t->prompt_version = std::move(prompt_version);
}

Attribution Who(const GeneratedTrace& t) { return {t.team, t.feature, t.prompt_version, t.user, t.session}; }

// Times `s` from its output length, adds it under `parent` starting at
// *now, counts it, and moves *now to its end.
void AddTimedCall(Rng& rng, TraceBuilder& b, int parent, LlmCallSpec s, GeneratedTrace* t, uint64_t* now,
                  double slowdown = 1) {
  Timing timing = CallTiming(rng, *s.model, s.usage.output, slowdown);
  s.start = *now;
  s.duration = timing.duration;
  s.ttft_ms = timing.ttft_ms;
  b.AddLlmCall(parent, s, Who(*t));
  ++t->llm_calls;
  *now += s.duration;
}

size_t AddToolSpan(TraceBuilder& b, int parent, const std::string& tool, const std::string& call_id,
                   const json& args, const json& result, uint64_t start, uint64_t duration) {
  size_t i = b.AddSpan("execute_tool " + tool, SpanKind::kInternal, parent, start, start + duration);
  model::Attributes& a = b.span(i).attributes;
  a.Add("gen_ai.operation.name", "execute_tool");
  a.Add("gen_ai.tool.name", tool);
  a.Add("gen_ai.tool.type", "function");
  a.Add("gen_ai.tool.call.id", call_id);
  a.Add("gen_ai.tool.call.arguments", args.dump());
  a.Add("gen_ai.tool.call.result", result.dump());
  b.span(i).status.code = model::StatusCode::kOk;
  return i;
}

}  // namespace

Generator::Conversation Generator::NewSupportConversation(uint64_t start, bool looks_up_order) {
  Conversation c;
  std::vector<size_t> topics;
  for (size_t i = 0; i < SupportTopics().size(); ++i) {
    if (SupportTopics()[i].looks_up_order == looks_up_order) topics.push_back(i);
  }
  c.topic = rng_.Pick(topics);
  c.looks_up_order = looks_up_order;
  c.session = "chat-" + Hex(rng_, 12);
  c.user = PickUser("cust", 120);
  c.environment = PickEnvironment();
  bool after_rollout = start >= options_.worse_prompt_rollout_unix_nanos;
  bool worse = after_rollout && rng_.Chance(options_.worse_prompt_share);
  c.prompt_version = std::string(worse ? kWorsePromptVersion : kGoodPromptVersion);
  c.order = "A-" + std::to_string(rng_.Int(10000, 99999));
  c.max_turns = static_cast<int>(rng_.Int(1, 4));
  c.model = "claude-sonnet-4-5";
  return c;
}

void Generator::SupportTurn(GeneratedTrace* t, bool tool_call) {
  Conversation c;
  if (!tool_call && !support_open_.empty() && rng_.Chance(0.6)) {
    size_t i = static_cast<size_t>(rng_.Int(0, static_cast<int64_t>(support_open_.size()) - 1));
    c = std::move(support_open_[i]);
    support_open_.erase(support_open_.begin() + static_cast<std::ptrdiff_t>(i));
  } else {
    c = NewSupportConversation(t->start_unix_nanos, tool_call);
  }
  ++c.turn;
  const FeatureInfo& f = Feature("support_chat");
  Describe(t, f, c.prompt_version);
  t->user = c.user;
  t->session = c.session;
  t->environment = c.environment;
  const bool worse = c.prompt_version == kWorsePromptVersion;
  const SupportTopic& topic = SupportTopics()[c.topic];
  std::string question = c.turn == 1 ? Fill(topic.question, c.order) : c.turn == 2 ? topic.follow_up
                                                                                    : rng_.Pick(kFollowUps);
  std::string answer = c.turn == 1 ? Fill(worse ? topic.worse_answer : topic.good_answer, c.order)
                                   : (worse ? kWorseFollowUpAnswer : rng_.Pick(kGoodFollowUpAnswers));
  std::string system = std::string(kSupportSystemPrompt) + (worse ? kWorseSupportRules : "");
  // The visible prompt plus the policy documents the real one embeds.
  const int64_t system_tokens = Tokens(system) + (worse ? 3000 : 1800);

  TraceBuilder b(IdSeed(t->start_unix_nanos), ServiceResource(f.service, c.environment));
  AddRoot(b, f, t->start_unix_nanos, *t);
  const ModelInfo& m = Model(c.model);
  uint64_t now = t->start_unix_nanos + static_cast<uint64_t>(rng_.Range(2, 12) * kMillis);
  json input = c.history;
  input.push_back(Message("user", TextPart(question)));
  int64_t history_tokens = Tokens(c.history.dump()) / 2 + Tokens(question);
  bool first_call = true;

  auto call = [&](json in, json out, int64_t output_tokens) {
    LlmCallSpec s;
    s.model = &m;
    s.system = system;
    s.input = std::move(in);
    s.output = std::move(out);
    s.usage.input = system_tokens + history_tokens;
    // Anthropic prompt caching: the first call of a conversation writes the
    // system prefix, every later call reads it.
    (c.turn == 1 && first_call ? s.usage.cache_write : s.usage.cache_read) = system_tokens;
    s.usage.output = output_tokens;
    AddTimedCall(rng_, b, 0, std::move(s), t, &now);
    first_call = false;
  };

  if (tool_call && c.turn == 1) {
    std::string id = "toolu_" + Hex(rng_, 16);
    json args = {{"order_id", c.order}};
    call(input, json::array({Message("assistant", ToolCallPart(id, "lookup_order", args), "tool_calls")}),
         rng_.Int(35, 60));
    bool shipped = topic.good_answer.find("carrier") != std::string::npos;
    json result = {{"order_id", c.order},
                   {"status", shipped ? "out_for_delivery" : "not_shipped"},
                   {"carrier", "UPS"},
                   {"ships_at", "tomorrow 14:00"}};
    uint64_t tool_ms = static_cast<uint64_t>(rng_.LogNormal(60, 0.4) * kMillis);
    AddToolSpan(b, 0, "lookup_order", id, args, result, now, tool_ms);
    now += tool_ms + kMillis;
    input.push_back(Message("assistant", ToolCallPart(id, "lookup_order", args)));
    input.push_back(Message("tool", ToolResponsePart(id, result)));
    history_tokens += 90;
  }
  call(input, json::array({Message("assistant", TextPart(answer), "stop")}), Tokens(answer) + rng_.Int(5, 25));
  FinishRoot(b, t, now + static_cast<uint64_t>(rng_.Range(3, 15) * kMillis), 200);

  // The next turn sees this one whole, tool call included.
  c.history = std::move(input);
  c.history.push_back(Message("assistant", TextPart(answer)));
  if (c.turn < c.max_turns) {
    if (support_open_.size() >= 40) support_open_.erase(support_open_.begin());
    support_open_.push_back(std::move(c));
  }
}

void Generator::RagAnswer(GeneratedTrace* t, bool timeout) {
  const FeatureInfo& f = Feature("rag_answer");
  Describe(t, f, "v7");
  t->user = PickUser("dev", 60);
  t->environment = PickEnvironment();
  const RagTopic& topic = rng_.Pick(RagTopics());
  const ModelInfo& m = Model(timeout || rng_.Chance(0.75) ? "gpt-4o" : "claude-haiku-4-5");
  TraceBuilder b(IdSeed(t->start_unix_nanos), ServiceResource(f.service, t->environment));
  AddRoot(b, f, t->start_unix_nanos, *t);
  uint64_t now = t->start_unix_nanos + static_cast<uint64_t>(rng_.Range(2, 8) * kMillis);

  LlmCallSpec embed;
  embed.model = &Model("text-embedding-3-small");
  embed.operation = "embeddings";
  embed.start = now;
  embed.duration = static_cast<uint64_t>(rng_.LogNormal(60, 0.3) * kMillis);
  embed.usage.input = Tokens(topic.question);
  b.AddLlmCall(0, embed, Who(*t));
  ++t->llm_calls;
  now += embed.duration + kMillis;

  // Retrieval: the documents as content, in the conventions' JSON and as
  // OpenInference's flattened keys.
  uint64_t retrieval_ms = static_cast<uint64_t>(rng_.LogNormal(35, 0.4) * kMillis);
  size_t r = b.AddSpan("retrieval kb-docs", SpanKind::kInternal, 0, now, now + retrieval_ms);
  model::Attributes& ra = b.span(r).attributes;
  ra.Add("gen_ai.operation.name", "retrieval");
  ra.Add("gen_ai.data_source.id", "kb-docs");
  ra.Add("gen_ai.retrieval.query.text", topic.question);
  json docs = json::array();
  std::string context;
  double score = 0.92;
  for (size_t i = 0; i < topic.documents.size(); ++i) {
    const Document& d = topic.documents[i];
    score -= rng_.Range(0.02, 0.12);
    docs.push_back({{"id", d.id}, {"title", d.title}, {"score", score}, {"content", d.content}});
    std::string prefix = "retrieval.documents." + std::to_string(i) + ".document.";
    ra.Add(prefix + "id", d.id);
    ra.Add(prefix + "score", score);
    ra.Add(prefix + "content", d.content);
    context += "[" + d.id + "] " + d.title + ": " + d.content + "\n";
  }
  ra.Add("gen_ai.retrieval.documents", docs.dump());
  b.span(r).status.code = model::StatusCode::kOk;
  now += retrieval_ms + kMillis;

  LlmCallSpec s;
  s.model = &m;
  s.system = kRagSystemPrompt;
  std::string user_text = topic.question + "\n\nDocuments:\n" + context;
  s.input = json::array({Message("user", TextPart(user_text))});
  s.usage.input = Tokens(s.system) + Tokens(user_text) + rng_.Int(800, 2400);  // the full chunks
  s.start = now;
  if (timeout) {
    s.duration = 30000 * kMillis + static_cast<uint64_t>(rng_.Range(0, 40) * kMillis);
    s.error_type = "timeout";
    s.exception_type = "openai.APITimeoutError";
    s.error_message = "Request timed out after 30s";
    b.AddLlmCall(0, s, Who(*t));
    ++t->llm_calls;
    now += s.duration;
    FinishRoot(b, t, now + 2 * kMillis, 504, "upstream model call timed out");
    return;
  }
  // OpenAI caches prompt prefixes in 1024-token steps.
  if (m.provider == "openai" && s.usage.input > 1300 && rng_.Chance(0.3)) s.usage.cache_read = 1024;
  s.output = json::array({Message("assistant", TextPart(topic.answer), "stop")});
  s.usage.output = Tokens(topic.answer) + rng_.Int(5, 30);
  AddTimedCall(rng_, b, 0, std::move(s), t, &now);
  FinishRoot(b, t, now + static_cast<uint64_t>(rng_.Range(2, 10) * kMillis), 200);
}

void Generator::Summarize(GeneratedTrace* t, bool expensive) {
  const FeatureInfo& f = Feature("summarize");
  Describe(t, f, "v2");
  t->user = PickUser("agent", 25);
  t->environment = PickEnvironment();
  const Ticket& ticket = rng_.Pick(Tickets());
  const ModelInfo& m = Model(expensive ? "claude-sonnet-4-5" : "gpt-4o-mini");
  TraceBuilder b(IdSeed(t->start_unix_nanos), ServiceResource(f.service, t->environment));
  AddRoot(b, f, t->start_unix_nanos, *t);
  LlmCallSpec s;
  s.model = &m;
  s.system = "Summarize the support ticket in one sentence for the agent taking it over.";
  std::string user_text = ticket.thread;
  std::string summary = ticket.summary;
  if (expensive) {
    // Someone attached a whole call recording's transcript: past 200k tokens,
    // so the long-context price applies.
    user_text = "[attached: call-center transcript, 4h12m, 240k tokens]\n" + ticket.thread;
    summary = "Long call: " + ticket.summary + " The customer also asked about loyalty points and a catalogue.";
    s.usage.input = rng_.Int(235000, 250000);
    s.usage.output = rng_.Int(900, 1600);
  } else {
    s.usage.input = Tokens(s.system) + Tokens(user_text) + rng_.Int(40, 400);
    s.usage.output = Tokens(summary) + rng_.Int(3, 15);
  }
  s.input = json::array({Message("user", TextPart(user_text))});
  s.output = json::array({Message("assistant", TextPart(summary), "stop")});
  uint64_t now = t->start_unix_nanos + static_cast<uint64_t>(rng_.Range(2, 8) * kMillis);
  AddTimedCall(rng_, b, 0, std::move(s), t, &now, expensive ? 12 : 1);
  FinishRoot(b, t, now + static_cast<uint64_t>(rng_.Range(2, 10) * kMillis), 200);
}

void Generator::Classify(GeneratedTrace* t) {
  const FeatureInfo& f = Feature("classify");
  Describe(t, f, "v1");
  t->user = PickUser("cust", 120);
  t->environment = PickEnvironment();
  const Feedback& item = rng_.Pick(FeedbackItems());
  const ModelInfo& m = Model("gemini-2.5-flash");
  TraceBuilder b(IdSeed(t->start_unix_nanos), ServiceResource(f.service, t->environment));
  AddRoot(b, f, t->start_unix_nanos, *t);
  LlmCallSpec s;
  s.model = &m;
  s.system = "Classify the customer feedback as one of bug, feature_request, billing, praise, pricing. Reply with "
             "JSON {\"label\": ...}.";
  s.input = json::array({Message("user", TextPart(item.text))});
  std::string label = json{{"label", item.label}}.dump();
  s.output = json::array({Message("assistant", TextPart(label), "stop")});
  s.usage.input = Tokens(s.system) + Tokens(item.text);
  s.usage.reasoning = rng_.Chance(0.5) ? rng_.Int(40, 180) : 0;  // Gemini 2.5 "thinking"
  s.usage.output = Tokens(label) + s.usage.reasoning;
  uint64_t now = t->start_unix_nanos + static_cast<uint64_t>(rng_.Range(1, 5) * kMillis);
  AddTimedCall(rng_, b, 0, std::move(s), t, &now);
  FinishRoot(b, t, now + static_cast<uint64_t>(rng_.Range(1, 5) * kMillis), 200);
}

void Generator::CopyChat(GeneratedTrace* t, bool rate_limited) {
  Conversation c;
  if (!rate_limited && !copy_open_.empty() && rng_.Chance(0.5)) {
    c = std::move(copy_open_.back());
    copy_open_.pop_back();
  } else {
    c.topic = static_cast<size_t>(rng_.Int(0, static_cast<int64_t>(CopyRequests().size()) - 1));
    c.session = "copy-" + Hex(rng_, 12);
    c.user = PickUser("mkt", 30);
    c.environment = PickEnvironment();
    c.max_turns = static_cast<int>(rng_.Int(1, 2));
    c.model = rate_limited || rng_.Chance(0.6) ? "gpt-4o" : "claude-haiku-4-5";
  }
  ++c.turn;
  const FeatureInfo& f = Feature("chat");
  Describe(t, f, "v2");
  t->user = c.user;
  t->session = c.session;
  t->environment = c.environment;
  const CopyRequest& req = CopyRequests()[c.topic];
  const std::string& ask = c.turn == 1 ? req.ask : req.follow_up;
  const std::string& reply = c.turn == 1 ? req.reply : req.follow_up_reply;
  const ModelInfo& m = Model(c.model);
  TraceBuilder b(IdSeed(t->start_unix_nanos), ServiceResource(f.service, c.environment));
  AddRoot(b, f, t->start_unix_nanos, *t);
  uint64_t now = t->start_unix_nanos + static_cast<uint64_t>(rng_.Range(2, 8) * kMillis);

  LlmCallSpec s;
  s.model = &m;
  s.system = "You are a copywriter for Loupe Outfitters: short, warm, never pushy.";
  s.input = c.history;
  s.input.push_back(Message("user", TextPart(ask)));
  s.usage.input = Tokens(s.system) + Tokens(s.input.dump()) / 2 + 350;

  int attempts = rate_limited ? (rng_.Chance(0.35) ? 2 : 1) : 0;  // failed attempts
  for (int i = 0; i < attempts; ++i) {
    LlmCallSpec failed = s;
    failed.start = now;
    failed.duration = static_cast<uint64_t>(rng_.Range(120, 300) * kMillis);
    failed.error_type = "429";
    failed.http_status = 429;
    failed.exception_type = "openai.RateLimitError";
    failed.error_message = "Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Used 29874";
    b.AddLlmCall(0, failed, Who(*t));
    ++t->llm_calls;
    now += failed.duration + static_cast<uint64_t>(rng_.Range(1000, 2500) * kMillis);  // Retry-After
  }
  if (attempts == 2) {
    FinishRoot(b, t, now, 429, "model provider rate limit: retries exhausted");
    return;
  }
  s.output = json::array({Message("assistant", TextPart(reply), "stop")});
  s.usage.output = Tokens(reply) + rng_.Int(5, 20);
  AddTimedCall(rng_, b, 0, std::move(s), t, &now);
  FinishRoot(b, t, now + static_cast<uint64_t>(rng_.Range(2, 8) * kMillis), 200);

  c.history.push_back(Message("user", TextPart(ask)));
  c.history.push_back(Message("assistant", TextPart(reply)));
  if (c.turn < c.max_turns) {
    if (copy_open_.size() >= 20) copy_open_.erase(copy_open_.begin());
    copy_open_.push_back(std::move(c));
  }
}

void Generator::Agent(GeneratedTrace* t, bool slow) {
  const FeatureInfo& f = Feature("agent");
  Describe(t, f, "v1");
  t->user = PickUser("sre", 12);
  t->session = "INC-" + std::to_string(rng_.Int(2000, 9999));
  t->environment = "production";
  const Incident& inc = rng_.Pick(Incidents());
  const double slowdown = slow ? 2.5 : 1;
  TraceBuilder b(IdSeed(t->start_unix_nanos), ServiceResource(f.service, t->environment));
  AddRoot(b, f, t->start_unix_nanos, *t);
  uint64_t now = t->start_unix_nanos + static_cast<uint64_t>(rng_.Range(2, 8) * kMillis);
  const ModelInfo& sonnet = Model("claude-sonnet-4-5");
  const ModelInfo& mini = Model("o4-mini");

  size_t agent = b.AddSpan("invoke_agent incident_triage", SpanKind::kInternal, 0, now, now);
  {
    model::Attributes& a = b.span(agent).attributes;
    a.Add("gen_ai.operation.name", "invoke_agent");
    a.Add("gen_ai.agent.name", "incident_triage");
    a.Add("gen_ai.provider.name", "anthropic");
    a.Add("gen_ai.request.model", "claude-sonnet-4-5");
    a.Add("ai.team", t->team);
    a.Add("ai.feature", t->feature);
    a.Add("ai.prompt_version", t->prompt_version);
  }
  const int parent = static_cast<int>(agent);
  const std::string system =
      "You are the on-call triage agent. Investigate with the tools, find the cause, open a ticket, and "
      "summarise in two sentences.";

  // Severity first, with a small reasoning model.
  {
    LlmCallSpec s;
    s.model = &mini;
    s.system = "Rate the severity of the alert as SEV1, SEV2 or SEV3. Reply with the level only.";
    s.input = json::array({Message("user", TextPart(inc.alert))});
    std::string level = slow ? "SEV1" : "SEV2";
    s.output = json::array({Message("assistant", TextPart(level), "stop")});
    s.usage.input = Tokens(s.system) + Tokens(inc.alert);
    s.usage.reasoning = rng_.Int(300, 1200);
    s.usage.output = 3 + s.usage.reasoning;
    AddTimedCall(rng_, b, parent, std::move(s), t, &now, slowdown);
    now += kMillis;
  }

  json messages = json::array({Message("user", TextPart("Alert: " + inc.alert))});
  int64_t context_tokens = Tokens(system) + 1400;  // tool definitions
  const std::vector<std::string> tools = {"search_logs", "get_metrics", "get_recent_deploys"};
  const int steps = static_cast<int>(slow ? rng_.Int(9, 13) : rng_.Int(2, 4));
  for (int step = 0; step <= steps; ++step) {
    const bool ticket = step == steps;
    const std::string tool = ticket ? "create_ticket" : tools[static_cast<size_t>(step) % tools.size()];
    json args = ticket ? json{{"title", inc.alert}, {"service", inc.service}}
                       : json{{"service", inc.service}, {"window", "30m"}};
    std::string id = "toolu_" + Hex(rng_, 16);
    std::string thought = ticket ? "I know the cause; open a ticket." : "Check " + tool + " for " + inc.service + ".";
    LlmCallSpec s;
    s.model = &sonnet;
    s.system = system;
    s.input = messages;
    s.output = json::array(
        {Message("assistant", json::array({ReasoningPart(thought), ToolCallPart(id, tool, args)}), "tool_use")});
    s.usage.input = context_tokens;
    s.usage.cache_read = step == 0 ? 0 : context_tokens - 300;
    s.usage.cache_write = step == 0 ? context_tokens : 300;
    s.usage.output = rng_.Int(60, 160);
    const int64_t output_tokens = s.usage.output;
    AddTimedCall(rng_, b, parent, std::move(s), t, &now, slowdown);
    now += kMillis;

    json result = ticket                   ? json{{"ticket", "OPS-" + std::to_string(rng_.Int(4400, 4999))}}
                  : tool == "search_logs" ? json{{"matches", rng_.Int(12, 480)}, {"top", inc.finding}}
                  : tool == "get_metrics" ? json{{"p95_ms", rng_.Int(900, 2600)}, {"error_rate", 0.07}}
                                          : json{{"deploys", json::array({"2h ago: config change"})}};
    uint64_t tool_ms = static_cast<uint64_t>(rng_.LogNormal(slow ? 2500 : 250, 0.5) * kMillis);
    AddToolSpan(b, parent, tool, id, args, result, now, tool_ms);
    now += tool_ms + kMillis;
    messages.push_back(Message("assistant", ToolCallPart(id, tool, args)));
    messages.push_back(Message("tool", ToolResponsePart(id, result)));
    context_tokens += output_tokens + rng_.Int(600, 2500);  // the tool output read back
  }

  LlmCallSpec s;
  s.model = &sonnet;
  s.system = system;
  s.input = messages;
  s.output = json::array({Message("assistant", TextPart(inc.conclusion), "end_turn")});
  s.usage.input = context_tokens;
  s.usage.cache_read = context_tokens - 400;
  s.usage.cache_write = 400;
  s.usage.output = Tokens(inc.conclusion) + rng_.Int(10, 40);
  AddTimedCall(rng_, b, parent, std::move(s), t, &now, slowdown);
  now += kMillis;
  b.span(agent).end_time_unix_nano = now;
  b.span(agent).status.code = model::StatusCode::kOk;
  FinishRoot(b, t, now + static_cast<uint64_t>(rng_.Range(2, 8) * kMillis), 200);
}

}  // namespace loupe::demo
