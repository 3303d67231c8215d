export * from './request.js';
export * from './response.js';
export * from './speech.js';
export * from './audio.js';
// Not `export *`: the helpers ResponseBuilder.directive() uses stay internal.
export {
  directiveSchema,
  type AudioItem,
  type CustomDirectives,
  type Directive,
  type DirectiveKey,
  type DirectiveName,
  type DirectivePayload,
  type DirectivePayloads,
  type PlayDirective,
  type RegisteredDirective,
  type RenderPlayerInfoDirective,
  type StreamDeliverDirective,
} from './directives.js';
export * from './events.js';
export * from './validate.js';
export * from './json-schema.js';
