// An LLM call's conversation as chat messages: system, user, assistant,
// tool calls and their results; reasoning starts collapsed.
import type { Block, ChatEntry } from "../chat";

const ROLE_LABEL: Record<string, string> = {
  system: "System",
  user: "User",
  assistant: "Assistant",
  tool: "Tool",
};

function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case "text":
      return <div class="chat-text">{block.text}</div>;
    case "reasoning":
      return (
        <details class="chat-reasoning">
          <summary>Reasoning ({block.text.length.toLocaleString("en-US")} chars)</summary>
          <div class="chat-text">{block.text}</div>
        </details>
      );
    case "tool_call":
      return (
        <div class="chat-tool-call">
          <div class="chat-tool-head">
            <span class="tag">tool call</span> <code>{block.name || "(unnamed)"}</code>
            {block.id && <span class="muted"> id {block.id}</span>}
          </div>
          {block.args && <pre>{block.args}</pre>}
        </div>
      );
    case "tool_result":
      return (
        <div class="chat-tool-result">
          <div class="chat-tool-head">
            <span class="tag">tool result</span> {block.name && <code>{block.name}</code>}
            {block.id && <span class="muted"> id {block.id}</span>}
          </div>
          <pre>{block.text}</pre>
        </div>
      );
    case "media":
      return (
        <div class="chat-media">
          <span class="tag">{block.media}</span> {block.mime && <span class="muted">{block.mime} </span>}
          {block.ref ? (
            /^https?:\/\//.test(block.ref) ? (
              <a href={block.ref} target="_blank" rel="noreferrer noopener">
                {block.ref}
              </a>
            ) : (
              <code>{block.ref}</code>
            )
          ) : (
            <span class="muted">(inline content not stored)</span>
          )}
        </div>
      );
    case "other":
      return (
        <div class="chat-other">
          <span class="tag">{block.type || "part"}</span>
          <pre>{block.json}</pre>
        </div>
      );
  }
}

export function ChatView({ entries }: { entries: ChatEntry[] }) {
  if (entries.length === 0) {
    return (
      <p class="muted">
        No prompt or completion content was recorded for this call (content capture may be off in the
        instrumentation).
      </p>
    );
  }
  return (
    <ol class="chat" aria-label="Conversation">
      {entries.map((e, i) => (
        <li key={i} class={`chat-msg role-${e.role}${e.output ? " output" : ""}`}>
          <div class="chat-role">
            {ROLE_LABEL[e.role] ?? e.role}
            {e.name && <span class="muted"> · {e.name}</span>}
            {e.output && <span class="muted"> · response</span>}
            {e.finishReason && <span class="tag">finish: {e.finishReason}</span>}
          </div>
          {e.blocks.length === 0 ? <div class="muted">(empty)</div> : e.blocks.map((b, j) => <BlockView key={j} block={b} />)}
        </li>
      ))}
    </ol>
  );
}
