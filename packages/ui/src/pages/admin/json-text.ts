/**
 * Checks text meant as JSON: text that starts like a JSON object or array must parse.
 * Answers the parser's message naming what is wrong, or undefined when the text is fine.
 */
export function jsonProblem(text: string, what: string, required = false): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const looksJson = t.startsWith('{') || t.startsWith('[');
  if (!looksJson && !required) return undefined;
  try {
    JSON.parse(t);
    return undefined;
  } catch (e) {
    return `${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
}
