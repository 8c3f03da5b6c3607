// The store's own serialisation of model::Batch and model::SpanRecord:
// a compact, versioned, protobuf-free binary format (varints, interned
// resources and scopes), zstd-compressed on disk. Used for the durable log
// (whole batches) and for the span bodies and content of the index.
//
// Format: one version byte, then a resource table, a scope table and the
// records, which refer to resources/scopes by index. Decoding checks every
// length, so damaged bytes give InvalidArgument rather than a crash.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "model/batch.h"

namespace loupe::store {

// A whole batch: every span record (with its LLM call and content) and
// the unjoined logs.
std::string EncodeBatch(const model::Batch& batch);
Status DecodeBatch(std::string_view bytes, model::Batch* batch);

// One span record. With `with_content` false the LLM call's messages and
// system instructions are left out: the index stores them separately
// (EncodeContent) so content can be searched and expire on its own.
std::string EncodeSpanRecord(const model::SpanRecord& record, bool with_content);
Status DecodeSpanRecord(std::string_view bytes, model::SpanRecord* record);

// One log record standalone (the index's unjoined logs).
std::string EncodeLog(const model::LogRecord& log);
Status DecodeLog(std::string_view bytes, model::LogRecord* log);

// An LLM call's content: system instructions, input and output messages.
std::string EncodeContent(const model::LlmCall& call);
Status DecodeContent(std::string_view bytes, model::LlmCall* call);
// The content's searchable text: every text part, tool argument and
// response, one per line.
std::string ContentText(const model::LlmCall& call);

// zstd at a fast level; Decompress refuses frames over `max_bytes`.
std::string Compress(std::string_view raw);
Status Decompress(std::string_view compressed, std::string* raw, size_t max_bytes = 256u << 20);

}  // namespace loupe::store
