/**
 * The console page's HTML document. Static: the page draws itself from `GET /api/state`, so the shell
 * holds no data and needs no escaping. Its assets are the browser bundle built into dist/console/.
 */
export function renderShell(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>cekit console</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<div id="app"><p>Loading the cekit console…</p></div>
<noscript><p>The cekit console needs JavaScript. Without it, use <code>cekit simulate</code> in a terminal.</p></noscript>
</body>
</html>
`;
}
