/**
 * An Express application that already has a JSON API and adds a CEK endpoint: the dice extension
 * from examples/dice served at POST /clova by cekit/express.
 */
import express from 'express';
import { keepRawBody, toExpressHandler } from 'cekit/express';
import { createDiceExtension, type DiceOptions } from '../dice/extension.js';

export function createApp(options: DiceOptions = {}) {
  const dice = createDiceExtension(options);
  const app = express();

  // The rest of the API parses JSON for every route. `keepRawBody` keeps the exact bytes beside the
  // parsed body, so cekit can still check CEK's signature. (Without a global parser, simply register
  // the cekit route first; cekit then reads the body itself.)
  app.use(express.json({ verify: keepRawBody }));

  app.post('/clova', toExpressHandler(dice, { logger: options.logger }));

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/api/rolls', (req, res) => {
    const count = Number((req.body as { count?: unknown }).count ?? 1);
    res.json({ count, note: 'an ordinary JSON route next to the CEK endpoint' });
  });
  return app;
}
