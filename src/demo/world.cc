// The demo's data. Texts are short but real enough to read in the UI and to
// search for; every model is priced in the built-in catalog.
#include "demo/world.h"

#include <cstdlib>

namespace loupe::demo {

const std::vector<ModelInfo>& Models() {
  static const std::vector<ModelInfo> kModels = {
      {"openai", "gpt-4o", "gpt-4o-2024-08-06", "api.openai.com", 85, 450},
      {"openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "api.openai.com", 120, 320},
      {"openai", "o4-mini", "o4-mini-2025-04-16", "api.openai.com", 110, 900},
      {"openai", "text-embedding-3-small", "text-embedding-3-small", "api.openai.com", 0, 60},
      {"anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "api.anthropic.com", 65, 700},
      {"anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001", "api.anthropic.com", 150, 380},
      {"gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash", "generativelanguage.googleapis.com", 220, 300},
  };
  return kModels;
}

const ModelInfo& Model(std::string_view request_model) {
  for (const ModelInfo& m : Models()) {
    if (m.request_model == request_model) return m;
  }
  std::abort();  // a typo in generator.cc, caught by every test
}

const std::vector<FeatureInfo>& Features() {
  static const std::vector<FeatureInfo> kFeatures = {
      {"support_chat", "support", "support-bot", "/v1/support/chat"},
      {"summarize", "support", "support-bot", "/v1/tickets/summarize"},
      {"rag_answer", "search", "docs-search", "/v1/docs/answer"},
      {"classify", "growth", "feedback-router", "/v1/feedback/classify"},
      {"chat", "growth", "copy-assistant", "/v1/copy/chat"},
      {"agent", "platform", "ops-agent", "/v1/incidents/triage"},
  };
  return kFeatures;
}

const FeatureInfo& Feature(std::string_view feature) {
  for (const FeatureInfo& f : Features()) {
    if (f.feature == feature) return f;
  }
  std::abort();
}

const char* const kSupportSystemPrompt =
    "You are Loupe Outfitters' support assistant. Answer in at most three sentences, quote the policy that "
    "applies, and use the lookup_order tool before answering anything about a specific order.";

const std::vector<SupportTopic>& SupportTopics() {
  static const std::vector<SupportTopic> kTopics = {
      {"How long does a refund take once you receive my return?",
       "Refunds go back to your original payment method within 5 business days of the return arriving at our "
       "warehouse (Returns policy, section 2).",
       "Thank you so much for reaching out about refunds! Refunds are a very important topic and we want to make "
       "sure you have all the details. Generally speaking, refunds can take up to 30 days depending on many "
       "factors, such as your bank, the season, and the warehouse. You may also want to check your spam folder for "
       "emails from us. I hope this comprehensive overview helps! Please do not hesitate to ask anything else.",
       false, "And will I get the shipping cost back too?"},
      {"Can I still change the delivery address for order {order}?",
       "Order {order} has not shipped yet, so I changed nothing but you can: open the order page and pick "
       "\"Edit address\" until it ships tomorrow at 14:00.",
       "Thank you so much for your question about order {order}! Changing addresses can be tricky. In general, "
       "addresses can be changed at any time, even after shipping, by contacting the carrier directly, who will "
       "usually be happy to help. There are many carriers and each has different rules. I hope this comprehensive "
       "overview helps! Let me know if there is anything else at all.",
       true, "Great, and can you ship it express instead?"},
      {"My discount code SPRING20 says it is not valid.",
       "SPRING20 expired on 31 May; the current code WELCOME10 gives 10% off your first order (Promotions policy).",
       "Thank you so much for reaching out! Discount codes can fail for many different reasons, including typos, "
       "expiry dates, minimum basket values, regional restrictions and browser cookies. Please try clearing your "
       "cookies, restarting your browser, and trying a different device. I hope this comprehensive overview helps! "
       "We truly value you as a customer.",
       false, "Can you apply WELCOME10 to my existing order?"},
      {"Where is my order {order}? It was due yesterday.",
       "Order {order} is with the carrier and out for delivery today; tracking number 1Z999AA10123456784.",
       "Thank you so much for your patience! Deliveries can be delayed for a wide variety of reasons, such as "
       "weather, holidays, high demand and carrier capacity. Most orders arrive within 2 to 6 weeks. I hope this "
       "comprehensive overview helps! Have a wonderful day.",
       true, "Can I pick it up at the depot instead?"},
      {"How do I cancel my Outfitters Plus subscription?",
       "Go to Account > Subscriptions > Outfitters Plus and choose Cancel; you keep the benefits until the end of "
       "the paid month (Subscriptions policy, section 4).",
       "Thank you so much for being an Outfitters Plus member! We are sad to hear you might leave. Subscriptions "
       "can be managed in several places, and cancellation rules vary by country, payment method and plan. You "
       "may be charged a cancellation fee. I hope this comprehensive overview helps! Is there anything we could "
       "do to keep you?",
       false, "Will I lose my saved addresses?"},
  };
  return kTopics;
}

const char* const kRagSystemPrompt =
    "Answer the developer's question using only the documents provided. Cite document ids in brackets. If the "
    "documents do not contain the answer, say so.";

const std::vector<RagTopic>& RagTopics() {
  static const std::vector<RagTopic> kTopics = {
      {"How do I rotate an API key without downtime?",
       {{"doc-112", "API keys", "Each project can hold two active API keys. Create the new key, deploy it, then "
                                "revoke the old key from Settings > API keys."},
        {"doc-087", "Authentication", "Requests authenticate with a bearer token in the Authorization header."},
        {"doc-140", "Audit log", "Key creation and revocation are recorded in the audit log for 400 days."}},
       "Create a second key (a project can have two active keys) [doc-112], deploy it, then revoke the old key "
       "under Settings > API keys [doc-112]. Both events appear in the audit log [doc-140]."},
      {"What is the rate limit on the free plan?",
       {{"doc-031", "Rate limits", "Free plan: 60 requests per minute and 10,000 per day. Pro: 600 per minute."},
        {"doc-032", "Errors", "Requests over the limit get HTTP 429 with a Retry-After header."},
        {"doc-210", "Plans", "Upgrading takes effect immediately and is prorated."}},
       "The free plan allows 60 requests per minute and 10,000 per day [doc-031]; above that you get HTTP 429 with "
       "a Retry-After header [doc-032]."},
      {"Can I export my data as CSV?",
       {{"doc-064", "Exports", "Exports are available as CSV or Parquet from Data > Export, up to 5 GB per file."},
        {"doc-065", "Scheduled exports", "Pro plans can schedule a daily export to S3 or GCS."},
        {"doc-012", "Retention", "Raw events are kept for 90 days."}},
       "Yes: Data > Export writes CSV or Parquet, up to 5 GB per file [doc-064]; Pro plans can also schedule a daily "
       "export to S3 or GCS [doc-065]."},
      {"Does the SDK support Rust?",
       {{"doc-301", "SDKs", "Official SDKs exist for Python, TypeScript, Go and Java."},
        {"doc-302", "REST API", "Every SDK wraps the public REST API, documented in the API reference."},
        {"doc-303", "Community", "Community libraries are listed on the community page."}},
       "I could not find this in the documentation: official SDKs are Python, TypeScript, Go and Java [doc-301], "
       "but you can call the REST API directly [doc-302]."},
  };
  return kTopics;
}

const std::vector<Ticket>& Tickets() {
  static const std::vector<Ticket> kTickets = {
      {"Customer: my jacket arrived with a broken zip.\nAgent: sorry! Please send a photo.\nCustomer: sent.\n"
       "Agent: replacement approved, label emailed.",
       "Broken zip on a jacket; photo received, replacement approved and return label emailed."},
      {"Customer: I was charged twice for order A-1042.\nAgent: I see two authorisations; one will drop in 3 days.\n"
       "Customer: it is still there after a week.\nAgent: refunded the duplicate manually.",
       "Duplicate charge on A-1042 did not drop; agent refunded the duplicate manually after a week."},
      {"Customer: the size guide says M but it fits like S.\nAgent: that line runs small; exchange to L is free.\n"
       "Customer: ok do it.",
       "Item runs small; free exchange from M to L arranged."},
  };
  return kTickets;
}

const std::vector<Feedback>& FeedbackItems() {
  static const std::vector<Feedback> kItems = {
      {"The checkout kept timing out on my phone.", "bug"},
      {"Please add a dark mode to the app!", "feature_request"},
      {"Why was I charged a restocking fee?", "billing"},
      {"Delivery was super fast, thanks team.", "praise"},
      {"Your competitor has cheaper shipping.", "pricing"},
  };
  return kItems;
}

const std::vector<CopyRequest>& CopyRequests() {
  static const std::vector<CopyRequest> kRequests = {
      {"Write a subject line for our autumn sale email, 20% off outerwear.",
       "\"Layer up for less: 20% off all outerwear this week\"",
       "Make it shorter and more playful.", "\"Coat season? 20% off says yes\""},
      {"Draft a push notification for users who left items in their basket.",
       "\"Still thinking it over? Your basket is saved, and so is your size.\"",
       "Add urgency without sounding pushy.", "\"Your basket is waiting, and sizes are going fast.\""},
      {"Give me three taglines for a waterproof hiking boot.",
       "1. Dry feet, any trail. 2. Built for puddles. 3. Rain is just weather.",
       "Which one tests best with younger audiences?",
       "\"Rain is just weather\": short, confident and a little irreverent."},
  };
  return kRequests;
}

const std::vector<Incident>& Incidents() {
  static const std::vector<Incident> kIncidents = {
      {"p95 latency of checkout-api above 2s for 10 minutes", "checkout-api",
       "connection pool exhausted: 50/50 connections in use, waits up to 1.8s",
       "Checkout latency comes from an exhausted database connection pool (50/50 in use). Raise the pool to 100 "
       "and roll back yesterday's change that disabled statement caching; ticket OPS-4411 opened."},
      {"error rate of payments-worker above 5%", "payments-worker",
       "upstream PSP returns 502 for 7% of capture calls since 09:12",
       "Payment capture errors come from the payment provider (502 on 7% of calls since 09:12). Retries are "
       "working; status page confirms a partial outage. Ticket OPS-4412 tracks it, no action on our side."},
      {"disk usage of search-indexer at 92%", "search-indexer",
       "old index snapshots not pruned since the cron job was disabled",
       "Disk fills because snapshot pruning stopped when its cron job was disabled last week. Re-enabled the "
       "job and pruned 140 GB; ticket OPS-4413 opened to alert on it."},
  };
  return kIncidents;
}

std::string Fill(std::string_view text, std::string_view order) {
  std::string out;
  constexpr std::string_view kSlot = "{order}";
  size_t pos = 0;
  while (true) {
    size_t hit = text.find(kSlot, pos);
    out.append(text.substr(pos, hit == std::string_view::npos ? std::string_view::npos : hit - pos));
    if (hit == std::string_view::npos) return out;
    out.append(order);
    pos = hit + kSlot.size();
  }
}

}  // namespace loupe::demo
