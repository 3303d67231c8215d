/**
 * The dice extension (examples/dice) as an AWS Lambda function, behind API Gateway (REST or HTTP API)
 * or a Lambda function URL. `index.ts` is what you deploy; this factory lets tests inject a key.
 */
import { toLambdaHandler } from 'cekit/lambda';
import { createDiceExtension, type DiceOptions } from '../dice/extension.js';

export function createHandler(options: DiceOptions = {}) {
  return toLambdaHandler(createDiceExtension(options), { logger: options.logger });
}
