#include "store/batch_codec.h"

#include <zstd.h>

#include <memory>
#include <unordered_map>
#include <vector>

#include "store/wire.h"

namespace loupe::store {
namespace {

constexpr uint8_t kFormatVersion = 1;

// AnyValue tags on the wire; stable, never renumber.
enum Tag : uint8_t { kEmpty = 0, kString, kBool, kInt, kDouble, kBytes, kArray, kKvList };

void PutValue(Writer& w, const model::AnyValue& v);
void PutAttributes(Writer& w, const model::Attributes& attrs) {
  w.PutVarint(attrs.size());
  for (const auto& kv : attrs.items()) {
    w.PutString(kv.key);
    PutValue(w, kv.value);
  }
}

void PutValue(Writer& w, const model::AnyValue& v) {
  if (const auto* s = v.AsString()) {
    w.PutByte(kString);
    w.PutString(*s);
  } else if (const auto* b = v.AsBool()) {
    w.PutByte(kBool);
    w.PutByte(*b ? 1 : 0);
  } else if (const auto* i = v.AsInt()) {
    w.PutByte(kInt);
    w.PutSigned(*i);
  } else if (const auto* d = v.AsDouble()) {
    w.PutByte(kDouble);
    w.PutDouble(*d);
  } else if (const auto* bytes = std::get_if<model::Bytes>(&v.v)) {
    w.PutByte(kBytes);
    w.PutString(bytes->data);
  } else if (const auto* a = v.AsArray()) {
    w.PutByte(kArray);
    w.PutVarint(a->values.size());
    for (const auto& e : a->values) PutValue(w, e);
  } else if (const auto* kvl = v.AsKvList()) {
    w.PutByte(kKvList);
    w.PutVarint(kvl->values.size());
    for (const auto& kv : kvl->values) {
      w.PutString(kv.key);
      PutValue(w, kv.value);
    }
  } else {
    w.PutByte(kEmpty);
  }
}

void PutOptInt(Writer& w, const std::optional<int64_t>& v) {
  w.PutByte(v ? 1 : 0);
  if (v) w.PutSigned(*v);
}

void PutParts(Writer& w, const std::vector<model::MessagePart>& parts) {
  w.PutVarint(parts.size());
  for (const auto& p : parts) {
    w.PutString(p.type);
    w.PutString(p.content);
    w.PutString(p.id);
    w.PutString(p.name);
    w.PutString(p.arguments);
    w.PutString(p.response);
    w.PutString(p.mime_type);
  }
}

void PutMessages(Writer& w, const std::vector<model::Message>& messages) {
  w.PutVarint(messages.size());
  for (const auto& m : messages) {
    w.PutString(m.role);
    PutParts(w, m.parts);
    w.PutString(m.name);
    w.PutString(m.finish_reason);
  }
}

void PutContent(Writer& w, const model::LlmCall& c) {
  PutParts(w, c.system_instructions);
  PutMessages(w, c.input_messages);
  PutMessages(w, c.output_messages);
}

void PutLlmCall(Writer& w, const model::LlmCall& c, bool with_content) {
  for (const std::string* s : {&c.dialect, &c.provider, &c.request_model, &c.response_model, &c.operation,
                               &c.service_tier, &c.user, &c.session, &c.team, &c.feature, &c.prompt_name,
                               &c.prompt_version, &c.environment, &c.error_type}) {
    w.PutString(*s);
  }
  const auto& t = c.tokens;
  for (const auto* v : {&t.input, &t.cache_read, &t.cache_write, &t.output, &t.reasoning, &t.total}) PutOptInt(w, *v);
  w.PutByte(c.counts_usage ? 1 : 0);
  w.PutByte(with_content ? 1 : 0);
  if (with_content) PutContent(w, c);
  w.PutVarint(c.finish_reasons.size());
  for (const auto& f : c.finish_reasons) w.PutString(f);
  PutOptInt(w, c.time_to_first_token_nanos);
  PutOptInt(w, c.reported_cost_nanos);
  const auto& k = c.cost;
  w.PutByte(static_cast<uint8_t>(k.source));
  PutOptInt(w, k.total_nanos);
  PutOptInt(w, k.catalog_nanos);
  PutOptInt(w, k.reported_nanos);
  for (int64_t v : {k.input_nanos, k.cache_read_nanos, k.cache_write_nanos, k.output_nanos, k.reasoning_nanos}) {
    w.PutSigned(v);
  }
  w.PutString(k.price_entry);
  w.PutString(k.price_match);
  w.PutString(k.price_tier);
}

// Interns resources and scopes so a batch stores each once.
class Encoder {
 public:
  uint64_t ResourceRef(const std::shared_ptr<const model::Resource>& r) {
    if (!r) return 0;
    auto [it, added] = resource_ids_.try_emplace(r.get(), resources_.size() + 1);
    if (added) resources_.push_back(r.get());
    return it->second;
  }
  uint64_t ScopeRef(const std::shared_ptr<const model::Scope>& s) {
    if (!s) return 0;
    auto [it, added] = scope_ids_.try_emplace(s.get(), scopes_.size() + 1);
    if (added) scopes_.push_back(s.get());
    return it->second;
  }

  void PutLog(Writer& w, const model::LogRecord& l) {
    w.PutVarint(l.time_unix_nano);
    w.PutVarint(l.observed_time_unix_nano);
    w.PutSigned(l.severity_number);
    w.PutString(l.severity_text);
    w.PutString(l.event_name);
    PutValue(w, l.body);
    PutAttributes(w, l.attributes);
    w.PutVarint(l.dropped_attributes_count);
    w.PutVarint(l.flags);
    w.PutRaw({reinterpret_cast<const char*>(l.trace_id.data()), l.trace_id.size()});
    w.PutRaw({reinterpret_cast<const char*>(l.span_id.data()), l.span_id.size()});
    w.PutVarint(ResourceRef(l.resource));
    w.PutVarint(ScopeRef(l.scope));
  }

  void PutRecord(Writer& w, const model::SpanRecord& rec, bool with_content) {
    const model::Span& s = rec.span;
    w.PutRaw({reinterpret_cast<const char*>(s.trace_id.data()), s.trace_id.size()});
    w.PutRaw({reinterpret_cast<const char*>(s.span_id.data()), s.span_id.size()});
    w.PutRaw({reinterpret_cast<const char*>(s.parent_span_id.data()), s.parent_span_id.size()});
    w.PutString(s.trace_state);
    w.PutVarint(s.flags);
    w.PutString(s.name);
    w.PutByte(static_cast<uint8_t>(s.kind));
    w.PutVarint(s.start_time_unix_nano);
    w.PutVarint(s.end_time_unix_nano);
    PutAttributes(w, s.attributes);
    w.PutVarint(s.dropped_attributes_count);
    w.PutVarint(s.events.size());
    for (const auto& e : s.events) {
      w.PutVarint(e.time_unix_nano);
      w.PutString(e.name);
      PutAttributes(w, e.attributes);
      w.PutVarint(e.dropped_attributes_count);
    }
    w.PutVarint(s.dropped_events_count);
    w.PutVarint(s.links.size());
    for (const auto& l : s.links) {
      w.PutRaw({reinterpret_cast<const char*>(l.trace_id.data()), l.trace_id.size()});
      w.PutRaw({reinterpret_cast<const char*>(l.span_id.data()), l.span_id.size()});
      w.PutString(l.trace_state);
      PutAttributes(w, l.attributes);
      w.PutVarint(l.dropped_attributes_count);
      w.PutVarint(l.flags);
    }
    w.PutVarint(s.dropped_links_count);
    w.PutByte(static_cast<uint8_t>(s.status.code));
    w.PutString(s.status.message);
    w.PutVarint(ResourceRef(s.resource));
    w.PutVarint(ScopeRef(s.scope));
    w.PutByte(s.clock_skew ? 1 : 0);
    w.PutVarint(s.logs.size());
    for (const auto& l : s.logs) PutLog(w, l);
    w.PutByte(rec.llm ? 1 : 0);
    if (rec.llm) PutLlmCall(w, *rec.llm, with_content);
  }

  // Version byte, the interned tables, then `body`.
  std::string Finish(const std::string& body) {
    Writer w;
    w.PutByte(kFormatVersion);
    w.PutVarint(resources_.size());
    for (const auto* r : resources_) {
      PutAttributes(w, r->attributes);
      w.PutVarint(r->dropped_attributes_count);
      w.PutString(r->schema_url);
    }
    w.PutVarint(scopes_.size());
    for (const auto* s : scopes_) {
      w.PutString(s->name);
      w.PutString(s->version);
      PutAttributes(w, s->attributes);
      w.PutString(s->schema_url);
    }
    w.PutRaw(body);
    return w.Release();
  }

 private:
  std::unordered_map<const model::Resource*, uint64_t> resource_ids_;
  std::unordered_map<const model::Scope*, uint64_t> scope_ids_;
  std::vector<const model::Resource*> resources_;
  std::vector<const model::Scope*> scopes_;
};

// ---- decoding ----

constexpr int kMaxValueDepth = 64;

bool GetValue(Reader& r, model::AnyValue* v, int depth);
bool GetAttributes(Reader& r, model::Attributes* attrs, int depth = 0) {
  uint64_t n;
  if (!r.GetCount(&n)) return false;
  std::vector<model::KeyValue> items(n);
  for (auto& kv : items) {
    if (!r.GetString(&kv.key) || !GetValue(r, &kv.value, depth + 1)) return false;
  }
  *attrs = model::Attributes(std::move(items));
  return true;
}

bool GetValue(Reader& r, model::AnyValue* v, int depth) {
  if (depth > kMaxValueDepth) return false;
  uint8_t tag;
  if (!r.GetByte(&tag)) return false;
  switch (tag) {
    case kEmpty: v->v = std::monostate{}; return true;
    case kString: { std::string s; if (!r.GetString(&s)) return false; v->v = std::move(s); return true; }
    case kBool: { uint8_t b; if (!r.GetByte(&b)) return false; v->v = b != 0; return true; }
    case kInt: { int64_t i; if (!r.GetSigned(&i)) return false; v->v = i; return true; }
    case kDouble: { double d; if (!r.GetDouble(&d)) return false; v->v = d; return true; }
    case kBytes: { model::Bytes b; if (!r.GetString(&b.data)) return false; v->v = std::move(b); return true; }
    case kArray: {
      uint64_t n;
      if (!r.GetCount(&n)) return false;
      model::ArrayValue a;
      a.values.resize(n);
      for (auto& e : a.values) if (!GetValue(r, &e, depth + 1)) return false;
      v->v = std::move(a);
      return true;
    }
    case kKvList: {
      uint64_t n;
      if (!r.GetCount(&n)) return false;
      model::KeyValueList l;
      l.values.resize(n);
      for (auto& kv : l.values) if (!r.GetString(&kv.key) || !GetValue(r, &kv.value, depth + 1)) return false;
      v->v = std::move(l);
      return true;
    }
    default: return false;
  }
}

template <typename Int>
bool GetUint(Reader& r, Int* out) {
  uint64_t v;
  if (!r.GetVarint(&v)) return false;
  *out = static_cast<Int>(v);
  return true;
}

template <size_t N>
bool GetId(Reader& r, std::array<uint8_t, N>* id) {
  std::string_view raw;
  if (!r.GetRaw(N, &raw)) return false;
  std::copy(raw.begin(), raw.end(), id->begin());
  return true;
}

bool GetOptInt(Reader& r, std::optional<int64_t>* v) {
  uint8_t has;
  if (!r.GetByte(&has)) return false;
  if (!has) { v->reset(); return true; }
  int64_t x;
  if (!r.GetSigned(&x)) return false;
  *v = x;
  return true;
}

bool GetParts(Reader& r, std::vector<model::MessagePart>* parts) {
  uint64_t n;
  if (!r.GetCount(&n)) return false;
  parts->resize(n);
  for (auto& p : *parts) {
    for (std::string* s : {&p.type, &p.content, &p.id, &p.name, &p.arguments, &p.response, &p.mime_type}) {
      if (!r.GetString(s)) return false;
    }
  }
  return true;
}

bool GetMessages(Reader& r, std::vector<model::Message>* messages) {
  uint64_t n;
  if (!r.GetCount(&n)) return false;
  messages->resize(n);
  for (auto& m : *messages) {
    if (!r.GetString(&m.role) || !GetParts(r, &m.parts) || !r.GetString(&m.name) || !r.GetString(&m.finish_reason)) {
      return false;
    }
  }
  return true;
}

bool GetContent(Reader& r, model::LlmCall* c) {
  return GetParts(r, &c->system_instructions) && GetMessages(r, &c->input_messages) &&
         GetMessages(r, &c->output_messages);
}

bool GetLlmCall(Reader& r, model::LlmCall* c) {
  for (std::string* s : {&c->dialect, &c->provider, &c->request_model, &c->response_model, &c->operation,
                         &c->service_tier, &c->user, &c->session, &c->team, &c->feature, &c->prompt_name,
                         &c->prompt_version, &c->environment, &c->error_type}) {
    if (!r.GetString(s)) return false;
  }
  auto& t = c->tokens;
  for (auto* v : {&t.input, &t.cache_read, &t.cache_write, &t.output, &t.reasoning, &t.total}) {
    if (!GetOptInt(r, v)) return false;
  }
  uint8_t counts, has_content;
  if (!r.GetByte(&counts) || !r.GetByte(&has_content)) return false;
  c->counts_usage = counts != 0;
  if (has_content && !GetContent(r, c)) return false;
  uint64_t n;
  if (!r.GetCount(&n)) return false;
  c->finish_reasons.resize(n);
  for (auto& f : c->finish_reasons) if (!r.GetString(&f)) return false;
  if (!GetOptInt(r, &c->time_to_first_token_nanos) || !GetOptInt(r, &c->reported_cost_nanos)) return false;
  auto& k = c->cost;
  uint8_t source;
  if (!r.GetByte(&source) || source > 2) return false;
  k.source = static_cast<model::CostSource>(source);
  if (!GetOptInt(r, &k.total_nanos) || !GetOptInt(r, &k.catalog_nanos) || !GetOptInt(r, &k.reported_nanos)) {
    return false;
  }
  for (int64_t* v : {&k.input_nanos, &k.cache_read_nanos, &k.cache_write_nanos, &k.output_nanos,
                     &k.reasoning_nanos}) {
    if (!r.GetSigned(v)) return false;
  }
  return r.GetString(&k.price_entry) && r.GetString(&k.price_match) && r.GetString(&k.price_tier);
}

class Decoder {
 public:
  bool ReadTables(Reader& r) {
    uint8_t version;
    if (!r.GetByte(&version) || version != kFormatVersion) return false;
    uint64_t n;
    if (!r.GetCount(&n)) return false;
    for (uint64_t i = 0; i < n; ++i) {
      auto res = std::make_shared<model::Resource>();
      if (!GetAttributes(r, &res->attributes) || !GetUint(r, &res->dropped_attributes_count) ||
          !r.GetString(&res->schema_url)) {
        return false;
      }
      resources_.push_back(std::move(res));
    }
    if (!r.GetCount(&n)) return false;
    for (uint64_t i = 0; i < n; ++i) {
      auto scope = std::make_shared<model::Scope>();
      if (!r.GetString(&scope->name) || !r.GetString(&scope->version) || !GetAttributes(r, &scope->attributes) ||
          !r.GetString(&scope->schema_url)) {
        return false;
      }
      scopes_.push_back(std::move(scope));
    }
    return true;
  }

  template <typename T>
  bool Ref(Reader& r, const std::vector<std::shared_ptr<const T>>& table, std::shared_ptr<const T>* out) {
    uint64_t i;
    if (!r.GetVarint(&i) || i > table.size()) return false;
    *out = i == 0 ? nullptr : table[i - 1];
    return true;
  }

  bool GetLog(Reader& r, model::LogRecord* l) {
    return GetUint(r, &l->time_unix_nano) && GetUint(r, &l->observed_time_unix_nano) &&
           GetSignedInto(r, &l->severity_number) && r.GetString(&l->severity_text) && r.GetString(&l->event_name) &&
           GetValue(r, &l->body, 0) && GetAttributes(r, &l->attributes) && GetUint(r, &l->dropped_attributes_count) &&
           GetUint(r, &l->flags) && GetId(r, &l->trace_id) && GetId(r, &l->span_id) &&
           Ref(r, resources_, &l->resource) && Ref(r, scopes_, &l->scope);
  }

  bool GetRecord(Reader& r, model::SpanRecord* rec) {
    model::Span& s = rec->span;
    uint8_t kind, code, skew, has_llm;
    uint64_t n;
    if (!GetId(r, &s.trace_id) || !GetId(r, &s.span_id) || !GetId(r, &s.parent_span_id) ||
        !r.GetString(&s.trace_state) || !GetUint(r, &s.flags) || !r.GetString(&s.name) || !r.GetByte(&kind) ||
        kind > 5 || !GetUint(r, &s.start_time_unix_nano) || !GetUint(r, &s.end_time_unix_nano) ||
        !GetAttributes(r, &s.attributes) || !GetUint(r, &s.dropped_attributes_count) || !r.GetCount(&n)) {
      return false;
    }
    s.kind = static_cast<model::SpanKind>(kind);
    s.events.resize(n);
    for (auto& e : s.events) {
      if (!GetUint(r, &e.time_unix_nano) || !r.GetString(&e.name) || !GetAttributes(r, &e.attributes) ||
          !GetUint(r, &e.dropped_attributes_count)) {
        return false;
      }
    }
    if (!GetUint(r, &s.dropped_events_count) || !r.GetCount(&n)) return false;
    s.links.resize(n);
    for (auto& l : s.links) {
      if (!GetId(r, &l.trace_id) || !GetId(r, &l.span_id) || !r.GetString(&l.trace_state) ||
          !GetAttributes(r, &l.attributes) || !GetUint(r, &l.dropped_attributes_count) || !GetUint(r, &l.flags)) {
        return false;
      }
    }
    if (!GetUint(r, &s.dropped_links_count) || !r.GetByte(&code) || code > 2 || !r.GetString(&s.status.message) ||
        !Ref(r, resources_, &s.resource) || !Ref(r, scopes_, &s.scope) || !r.GetByte(&skew) || !r.GetCount(&n)) {
      return false;
    }
    s.status.code = static_cast<model::StatusCode>(code);
    s.clock_skew = skew != 0;
    s.logs.resize(n);
    for (auto& l : s.logs) if (!GetLog(r, &l)) return false;
    if (!r.GetByte(&has_llm)) return false;
    if (has_llm) {
      rec->llm.emplace();
      if (!GetLlmCall(r, &*rec->llm)) return false;
    }
    return true;
  }

 private:
  static bool GetSignedInto(Reader& r, int32_t* out) {
    int64_t v;
    if (!r.GetSigned(&v)) return false;
    *out = static_cast<int32_t>(v);
    return true;
  }

  std::vector<std::shared_ptr<const model::Resource>> resources_;
  std::vector<std::shared_ptr<const model::Scope>> scopes_;
};

Status Corrupt(std::string_view what) { return Status::InvalidArgument("corrupt stored " + std::string(what)); }

}  // namespace

std::string EncodeBatch(const model::Batch& batch) {
  Encoder enc;
  Writer body;
  body.PutVarint(batch.spans.size());
  for (const auto& rec : batch.spans) enc.PutRecord(body, rec, /*with_content=*/true);
  body.PutVarint(batch.logs.size());
  for (const auto& log : batch.logs) enc.PutLog(body, log);
  return enc.Finish(body.buffer());
}

Status DecodeBatch(std::string_view bytes, model::Batch* batch) {
  Reader r(bytes);
  Decoder dec;
  uint64_t n;
  if (!dec.ReadTables(r) || !r.GetCount(&n)) return Corrupt("batch header");
  batch->spans.resize(n);
  for (auto& rec : batch->spans) if (!dec.GetRecord(r, &rec)) return Corrupt("batch span");
  if (!r.GetCount(&n)) return Corrupt("batch logs");
  batch->logs.resize(n);
  for (auto& log : batch->logs) if (!dec.GetLog(r, &log)) return Corrupt("batch log");
  if (!r.done()) return Corrupt("batch (trailing bytes)");
  return Status::Ok();
}

std::string EncodeSpanRecord(const model::SpanRecord& record, bool with_content) {
  Encoder enc;
  Writer body;
  enc.PutRecord(body, record, with_content);
  return enc.Finish(body.buffer());
}

Status DecodeSpanRecord(std::string_view bytes, model::SpanRecord* record) {
  Reader r(bytes);
  Decoder dec;
  if (!dec.ReadTables(r) || !dec.GetRecord(r, record) || !r.done()) return Corrupt("span");
  return Status::Ok();
}

std::string EncodeLog(const model::LogRecord& log) {
  Encoder enc;
  Writer body;
  enc.PutLog(body, log);
  return enc.Finish(body.buffer());
}

Status DecodeLog(std::string_view bytes, model::LogRecord* log) {
  Reader r(bytes);
  Decoder dec;
  if (!dec.ReadTables(r) || !dec.GetLog(r, log) || !r.done()) return Corrupt("log");
  return Status::Ok();
}

std::string EncodeContent(const model::LlmCall& call) {
  Writer w;
  w.PutByte(kFormatVersion);
  PutContent(w, call);
  return w.Release();
}

Status DecodeContent(std::string_view bytes, model::LlmCall* call) {
  Reader r(bytes);
  uint8_t version;
  if (!r.GetByte(&version) || version != kFormatVersion || !GetContent(r, call) || !r.done()) {
    return Corrupt("content");
  }
  return Status::Ok();
}

std::string ContentText(const model::LlmCall& call) {
  std::string text;
  auto add = [&text](const std::string& s) {
    if (s.empty()) return;
    text.append(s);
    text.push_back('\n');
  };
  auto add_parts = [&add](const std::vector<model::MessagePart>& parts) {
    for (const auto& p : parts) {
      add(p.content);
      add(p.arguments);
      add(p.response);
    }
  };
  add_parts(call.system_instructions);
  for (const auto& m : call.input_messages) add_parts(m.parts);
  for (const auto& m : call.output_messages) add_parts(m.parts);
  return text;
}

std::string Compress(std::string_view raw) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  // One context per thread: creating one per call costs more than
  // compressing a small span.
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> ctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  size_t n = ZSTD_compressCCtx(ctx.get(), out.data(), out.size(), raw.data(), raw.size(), 1);
  if (ZSTD_isError(n)) return {};  // cannot happen with a bound-sized buffer
  out.resize(n);
  return out;
}

Status Decompress(std::string_view compressed, std::string* raw, size_t max_bytes) {
  unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Status::InvalidArgument("corrupt stored record: not a zstd frame");
  }
  if (size > max_bytes) return Status::InvalidArgument("corrupt stored record: frame too large");
  raw->resize(size);
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  size_t n = ZSTD_decompressDCtx(ctx.get(), raw->data(), raw->size(), compressed.data(), compressed.size());
  if (ZSTD_isError(n) || n != size) {
    return Status::InvalidArgument(std::string("corrupt stored record: ") + ZSTD_getErrorName(n));
  }
  return Status::Ok();
}

}  // namespace loupe::store
