// Server-sent events as OpenAI-compatible servers send them: `data: <json>` lines, blank-line
// separated, ending with `data: [DONE]`. Hand-written because it is a dozen lines and the
// chat-completions stream uses only `data:` fields (comments and other fields are skipped).

/** Yields each event's data (multi-line data joined with \n) until `[DONE]` or the end of input. */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  let data: string[] = [];
  for await (const bytes of body) {
    pending += decoder.decode(bytes, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (line === '') {
        if (data.length > 0) {
          const event = data.join('\n');
          data = [];
          if (event === '[DONE]') return;
          yield event;
        }
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
  }
  pending += decoder.decode();
  if (pending.startsWith('data:')) data.push(pending.slice(pending.startsWith('data: ') ? 6 : 5));
  if (data.length > 0) {
    const event = data.join('\n');
    if (event === '[DONE]') return;
    yield event;
  }
  // No [DONE]: the caller decides whether a stream that just ended is complete.
  throw new SseTruncatedError();
}

export class SseTruncatedError extends Error {
  constructor() {
    super('the event stream ended without [DONE]');
    this.name = 'SseTruncatedError';
  }
}
