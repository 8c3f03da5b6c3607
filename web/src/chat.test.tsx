// Every message shape of the GenAI conventions
// (../shared/reference/genai-attributes.md) rendered as chat.
import { describe, expect, it } from "vitest";
import { render } from "preact-render-to-string";
import { conversation, prettyJson } from "./chat";
import { ChatView } from "./components/chat_view";
import type { Message, Part } from "./types";

function html(system: Part[], input: Message[], output: Message[] = []): string {
  return render(<ChatView entries={conversation({ system_instructions: system, input_messages: input, output_messages: output })} />);
}

describe("conversation", () => {
  it("puts system instructions first, then input, then output", () => {
    const c = conversation({
      system_instructions: [{ type: "text", content: "Be brief." }],
      input_messages: [{ role: "user", parts: [{ type: "text", content: "Hi" }] }],
      output_messages: [{ role: "assistant", parts: [{ type: "text", content: "Hello" }], finish_reason: "stop" }],
    });
    expect(c.map((e) => e.role)).toEqual(["system", "user", "assistant"]);
    expect(c[2].output).toBe(true);
    expect(c[2].finishReason).toBe("stop");
  });

  it("names the tool that answered a tool call by its id", () => {
    const c = conversation({
      system_instructions: [],
      input_messages: [
        { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
        { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: '{"temp":21}' }] },
      ],
      output_messages: [],
    });
    expect(c[0].blocks[0]).toEqual({ kind: "tool_call", id: "call_1", name: "get_weather", args: '{\n  "city": "Paris"\n}' });
    expect(c[1].blocks[0]).toEqual({ kind: "tool_result", id: "call_1", name: "get_weather", text: '{\n  "temp": 21\n}' });
  });

  it("reads a tool result sent as `result` (as the spec's examples do)", () => {
    const c = conversation({
      system_instructions: [],
      input_messages: [{ role: "tool", parts: [{ type: "tool_call_response", id: "x", result: "sunny" }] }],
      output_messages: [],
    });
    expect(c[0].blocks[0]).toMatchObject({ kind: "tool_result", text: "sunny" });
  });

  it("keeps non-JSON text as it is", () => {
    expect(prettyJson("plain")).toBe("plain");
    expect(prettyJson("{broken")).toBe("{broken");
  });
});

describe("ChatView renders every part type", () => {
  it("text with roles system, user and assistant", () => {
    const h = html(
      [{ type: "text", content: "You are a support bot." }],
      [{ role: "user", parts: [{ type: "text", content: "Where is my refund?" }] }],
      [{ role: "assistant", parts: [{ type: "text", content: "It is on its way." }], finish_reason: "stop" }],
    );
    expect(h).toContain('class="chat-msg role-system"');
    expect(h).toContain("You are a support bot.");
    expect(h).toContain('class="chat-msg role-user"');
    expect(h).toContain("Where is my refund?");
    expect(h).toContain('class="chat-msg role-assistant output"');
    expect(h).toContain("It is on its way.");
    expect(h).toContain("finish: stop");
  });

  it("tool_call with arguments and tool_call_response from a tool message", () => {
    const h = html(
      [],
      [
        { role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "lookup_order", arguments: '{"order":42}' }] },
        { role: "tool", name: "lookup_order", parts: [{ type: "tool_call_response", id: "c1", response: "shipped" }] },
      ],
    );
    expect(h).toContain("tool call");
    expect(h).toContain("<code>lookup_order</code>");
    expect(h).toContain("&quot;order&quot;: 42");
    expect(h).toContain("tool result");
    expect(h).toContain("shipped");
    expect(h).toContain('class="chat-msg role-tool"');
  });

  it("reasoning collapsed behind a summary", () => {
    const h = html([], [], [{ role: "assistant", parts: [{ type: "reasoning", content: "First, check the policy." }, { type: "text", content: "Yes." }] }]);
    expect(h).toMatch(/<details class="chat-reasoning"><summary>Reasoning \(24 chars\)<\/summary>/);
    expect(h).not.toContain("<details open");
    expect(h).toContain("First, check the policy.");
  });

  it("blob, file and uri parts", () => {
    const h = html(
      [],
      [
        {
          role: "user",
          parts: [
            { type: "blob", mime_type: "image/png" },
            { type: "file", content: "file-abc123", mime_type: "application/pdf" },
            { type: "uri", content: "https://example.com/cat.png", mime_type: "image/png" },
          ],
        },
      ],
    );
    expect(h).toContain("(inline content not stored)");
    expect(h).toContain("<code>file-abc123</code>");
    expect(h).toContain('href="https://example.com/cat.png"');
    expect(h).toContain("application/pdf");
  });

  it("a named participant and an unknown part type", () => {
    const h = html([], [{ role: "user", name: "alice", parts: [{ type: "audio_transcript", content: "hello" } as Part] }]);
    expect(h).toContain(" · alice");
    expect(h).toContain("audio_transcript");
    expect(h).toContain("&quot;content&quot;: &quot;hello&quot;");
  });

  it("says so when no content was captured", () => {
    expect(html([], [])).toContain("No prompt or completion content was recorded");
  });

  it("escapes content instead of injecting it", () => {
    const h = html([], [{ role: "user", parts: [{ type: "text", content: "<script>alert(1)</script>" }] }]);
    expect(h).not.toContain("<script>");
    expect(h).toContain("&lt;script>");
  });
});
