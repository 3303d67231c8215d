import { API, type ConsoleState, type RunResult } from '../protocol.js';

/** The console server's API: same origin, JSON both ways (the server refuses other POST bodies). */
async function call(path: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new Error(`The console server does not answer (${String(error)}): is cekit still running?`, {
      cause: error,
    });
  }
  if (!response.ok) {
    const body = await response.text();
    let message = body || response.statusText;
    try {
      message = (JSON.parse(body) as { error: { message: string } }).error.message;
    } catch {
      // Not the API's JSON error: show the body as it came.
    }
    throw new Error(`${path}: HTTP ${response.status}: ${message}`);
  }
  return response;
}

const post = async <T>(path: string, body: unknown): Promise<T> =>
  (await (
    await call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json()) as T;

export const getState = async () => (await (await call(API.state)).json()) as ConsoleState;
export const runLine = (line: string) => post<RunResult>(API.run, { line });
export const setToken = (token: string | null) => post<ConsoleState>(API.token, { token });
export const resetRun = () => post<ConsoleState>(API.reset, {});
export const exportScript = async () => (await call(API.exportScript)).text();
export const exportJson = async () => (await call(API.exportJson)).text();
