import { formatPath, type Issue } from '../schema/index.js';

/** One thing wrong with a reply, with the JSON path of the field when there is one. */
export interface Problem {
  /** Stable code: `HTTP_STATUS`, `CONTENT_TYPE`, `NOT_JSON`, `SCHEMA`, `DEADLINE`. */
  code: 'HTTP_STATUS' | 'CONTENT_TYPE' | 'NOT_JSON' | 'SCHEMA' | 'DEADLINE';
  /** `response.outputSpeech.values.lang`, or `''` for the whole reply. */
  path: string;
  message: string;
}

/** CEK ends the dialogue when an answer takes longer (spec http-and-validation.md §1.3, JP). */
export const CEK_DEADLINE_MS = 8000;

export const issueProblem = (issue: Issue): Problem => ({
  code: 'SCHEMA',
  path: formatPath(issue.path),
  message: issue.message,
});

export const formatProblem = (problem: Problem) =>
  problem.path ? `${problem.path}: ${problem.message}` : problem.message;

/** Thrown by `reply.assertValid()` (and by the harness in strict mode); lists every problem. */
export class ReplyProblemError extends Error {
  readonly problems: readonly Problem[];
  constructor(what: string, problems: readonly Problem[]) {
    super(
      `${what} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'ReplyProblemError';
    this.problems = problems;
  }
}

/** Status, media type and JSON checks every reply gets before its schema (spec http-and-validation.md §1.2). */
export function wireProblems(status: number, contentType: string | undefined, ms: number): Problem[] {
  const problems: Problem[] = [];
  if (status !== 200)
    problems.push({ code: 'HTTP_STATUS', path: '', message: `HTTP status ${status}, expected 200` });
  if (!contentType || !/^application\/json\b/i.test(contentType.trim()))
    problems.push({
      code: 'CONTENT_TYPE',
      path: '',
      message: `content-type ${contentType ?? '(none)'}, expected application/json`,
    });
  if (ms > CEK_DEADLINE_MS)
    problems.push({
      code: 'DEADLINE',
      path: '',
      message: `answered in ${Math.round(ms)} ms, over CEK's ${CEK_DEADLINE_MS} ms deadline`,
    });
  return problems;
}

export function parseJson(body: string): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false, problem: { code: 'NOT_JSON', path: '', message: 'the body is not JSON' } };
  }
}
