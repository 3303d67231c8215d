// A hosted runtime the adapter guide shows, not installed in this repository: just enough of its
// API for the snippets to type-check. (A separate file: ambient modules must not sit in a module.)
declare module 'firebase-functions/v2/https' {
  export function onRequest(handler: (req: never, res: never) => unknown): unknown;
}
