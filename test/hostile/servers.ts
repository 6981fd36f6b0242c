// Hostile servers on 127.0.0.1 for the hostile tests and the hostile benchmark: an AWS
// endpoint that never answers, an app that answers 502 slowly on many endpoints.
import { createServer, type Server, type Socket } from 'node:net';
import { json } from '../probe/servers.js';

/** A TCP server on 127.0.0.1 that accepts every connection, reads it, and never writes a byte. */
export async function neverAnswering(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An app whose OpenAPI document lists `count` GET endpoints and a predict endpoint, all answering 502 after `delayMs`. */
export function slow502App(count: number, delayMs: number) {
  const paths: Record<string, unknown> = {};
  for (let index = 0; index < count; index += 1) paths[`/slow/${index}`] = { get: { summary: `slow ${index}` } };
  paths['/predict'] = {
    post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { text: { type: 'string' } } } } } } },
  };
  return (request: { url?: string }, _body: string, response: Parameters<typeof json>[0]): void => {
    if (request.url === '/openapi.json') return json(response, 200, { openapi: '3.1.0', paths });
    setTimeout(() => json(response, 502, { message: 'Bad Gateway' }), delayMs);
  };
}
