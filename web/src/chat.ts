// Turns an LLM call's system instructions, input and output messages (the
// API's role + parts form, docs/api.md) into what the chat view shows.
// Pure, so every message shape of the GenAI conventions is unit-tested
// (chat.test.tsx) without a browser.
import type { LlmCall, Message, Part } from "./types";

export type Block =
  | { kind: "text"; text: string }
  | { kind: "reasoning"; text: string }
  | { kind: "tool_call"; id: string; name: string; args: string }
  | { kind: "tool_result"; id: string; name: string; text: string }
  | { kind: "media"; media: "blob" | "file" | "uri"; mime: string; ref: string }
  | { kind: "other"; type: string; json: string };

export interface ChatEntry {
  role: string; // system | user | assistant | tool | anything the app sent
  name?: string;
  finishReason?: string;
  output: boolean; // from the model's answer rather than the prompt
  blocks: Block[];
}

/** JSON text indented for reading; other text as it is. */
export function prettyJson(text: string | undefined): string {
  if (!text) return "";
  const t = text.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return text;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return text;
  }
}

function str(v: unknown): string {
  if (v == null) return "";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

export function partToBlock(p: Part, toolNames: Map<string, string>): Block {
  switch (p.type) {
    case "text":
      return { kind: "text", text: str(p.content) };
    case "reasoning":
      return { kind: "reasoning", text: str(p.content) };
    case "tool_call":
      return { kind: "tool_call", id: str(p.id), name: str(p.name), args: prettyJson(str(p.arguments)) };
    case "tool_call_response": {
      const id = str(p.id);
      const raw = p.response ?? p.result ?? p.content;
      return { kind: "tool_result", id, name: toolNames.get(id) ?? str(p.name), text: prettyJson(str(raw)) };
    }
    case "blob":
    case "file":
    case "uri":
      return { kind: "media", media: p.type, mime: str(p.mime_type), ref: str(p.content) };
    default: {
      const { type, ...rest } = p;
      return { kind: "other", type: str(type), json: JSON.stringify(rest, null, 2) };
    }
  }
}

/** Tool call ids -> tool names, so a result can say which tool answered. */
function collectToolNames(lists: Message[][]): Map<string, string> {
  const names = new Map<string, string>();
  for (const list of lists) {
    for (const m of list) {
      for (const p of m.parts ?? []) {
        if (p.type === "tool_call" && p.id) names.set(String(p.id), str(p.name));
      }
    }
  }
  return names;
}

/** The whole conversation of one call, in order: system, input, then output. */
export function conversation(call: Pick<LlmCall, "system_instructions" | "input_messages" | "output_messages">): ChatEntry[] {
  const input = call.input_messages ?? [];
  const output = call.output_messages ?? [];
  const names = collectToolNames([input, output]);
  const out: ChatEntry[] = [];
  if (call.system_instructions && call.system_instructions.length > 0) {
    out.push({ role: "system", output: false, blocks: call.system_instructions.map((p) => partToBlock(p, names)) });
  }
  const add = (m: Message, isOutput: boolean) =>
    out.push({
      role: m.role || (isOutput ? "assistant" : "user"),
      name: m.name || undefined,
      finishReason: m.finish_reason || undefined,
      output: isOutput,
      blocks: (m.parts ?? []).map((p) => partToBlock(p, names)),
    });
  input.forEach((m) => add(m, false));
  output.forEach((m) => add(m, true));
  return out;
}
