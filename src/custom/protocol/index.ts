export * from './request.js';
export * from './response.js';
export * from './speech.js';
export * from './audio.js';
export * from './directives.js';
export * from './events.js';
export * from './validate.js';
export * from './json-schema.js';
