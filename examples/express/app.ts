/**
 * An Express application that already has a JSON API and adds a CEK endpoint: the dice extension
 * from examples/dice served at POST /clova by cekit/express.
 */
import express from 'express';
import { keepRawBody, toExpressErrorHandler, toExpressHandler } from 'cekit/express';
import { createDiceExtension, type DiceOptions } from '../dice/extension.js';

export function createApp(options: DiceOptions = {}) {
  const dice = createDiceExtension(options);
  const app = express();

  // The rest of the API parses JSON for every route. `keepRawBody` keeps the exact bytes beside the
  // parsed body, so cekit can still check CEK's signature. (Without a global parser, simply register
  // the cekit route first; cekit then reads the body itself.)
  // The parser's limit matches the endpoint's bodyLimit (128 KiB by default).
  app.use(express.json({ verify: keepRawBody, limit: 128 * 1024 }));

  app.post('/clova', toExpressHandler(dice, { logger: options.logger }));
  // Whatever the global parser refuses on /clova (malformed JSON, too large, wrong charset) gets
  // cekit's JSON 4xx, not Express's HTML error page with a stack trace and a log line with the body.
  app.use('/clova', toExpressErrorHandler(dice, { logger: options.logger }));

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/api/rolls', (req, res) => {
    const count = Number((req.body as { count?: unknown }).count ?? 1);
    res.json({ count, note: 'an ordinary JSON route next to the CEK endpoint' });
  });
  return app;
}
