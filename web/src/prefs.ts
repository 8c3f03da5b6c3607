// Small preferences kept in localStorage: the name people sign annotations
// and silences with. Storage may be disabled; then nothing is remembered.
const AUTHOR_KEY = "loupe.author";

export function getAuthor(): string {
  try {
    return localStorage.getItem(AUTHOR_KEY) ?? "";
  } catch {
    return "";
  }
}

export function setAuthor(name: string): void {
  try {
    if (name.trim()) localStorage.setItem(AUTHOR_KEY, name.trim());
  } catch {
    // not remembered
  }
}
