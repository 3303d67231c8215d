import type { JsonSchema } from '../../schema/index.js';
import { customRequestSchema } from './request.js';
import { customResponseSchema } from './response.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The published JSON Schemas (`schema/custom-*.json`), derived from the same definitions that type
 * and validate messages at run time. File name → document.
 */
export function customJsonSchemas(): Record<string, JsonSchema> {
  return {
    'custom-request.json': {
      $schema: DRAFT,
      $id: 'urn:cekit:schema:custom-request',
      title: 'CEK Custom extension request',
      ...customRequestSchema.toJSONSchema(),
    },
    'custom-response.json': {
      $schema: DRAFT,
      $id: 'urn:cekit:schema:custom-response',
      title: 'CEK Custom extension response',
      ...customResponseSchema.toJSONSchema(),
    },
  };
}
